//! Whom a resident may be written to. The rule is pure and lives in abonent_domain (storage
//! applies it when it writes a message in the same transaction as the change it tells of).

pub use abonent_domain::consent::{allowed, recipients};
