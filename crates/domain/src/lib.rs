//! Pure domain rules of abonent. Nothing here touches a disk, a network or a clock:
//! every function takes what it needs as arguments, so it can be tested exhaustively.

pub mod calendar;
pub mod correspondence;
pub mod deadline;
pub mod due_date;
pub mod error;
pub mod money;
pub mod numbering;
pub mod organization;
pub mod payment_qr;
pub mod penalty;
pub mod phone;
pub mod registry;
pub mod roles;
pub mod search;
pub mod state_duty;
pub mod text;

pub use error::{FieldError, ValidationErrors};
pub use roles::{Permission, Role};
