//! Notifications of abonent: residents are informed by e-mail (SMTP) and SMS (the
//! organization's HTTP gateway) only where they consented. Messages go through the outbox
//! in storage (`abonent_storage::outbox`): written with the change they tell about, sent by
//! a [`Worker`] on some instance (on the job runner's schedule, `abonent_app::notifications`),
//! retried with back-off, never lost while a server is down.
//! See docs/NOTIFICATIONS.md.

pub mod config;
pub mod consent;
pub mod sender;
pub mod worker;

pub use config::Config;
pub use consent::{allowed, recipients};
pub use sender::Sender;
pub use worker::{Round, Worker};
