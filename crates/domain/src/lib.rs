// Kopecks are written rubles_kopecks (500_000_00 is 500 000 ₽), not in groups of three.
#![allow(clippy::inconsistent_digit_grouping)]
//! Pure domain rules of abonent. Nothing here touches a disk, a network or a clock:
//! every function takes what it needs as arguments, so it can be tested exhaustively.

pub mod absence;
pub mod appeal;
pub mod archive;
pub mod calendar;
pub mod consent;
pub mod contractor;
pub mod correspondence;
pub mod deadline;
pub mod debtor;
pub mod declension;
pub mod document;
pub mod due_date;
pub mod error;
pub mod knowledge;
pub mod ledger;
pub mod missing;
pub mod money;
pub mod numbering;
pub mod organization;
pub mod outage;
pub mod outbox;
pub mod payment_qr;
pub mod penalty;
pub mod phone;
pub mod privacy;
pub mod quality;
pub mod registry;
pub mod report;
pub mod resident_form;
pub mod roles;
pub mod search;
pub mod settings;
pub mod setup;
pub mod state_duty;
pub mod tariff;
pub mod text;
pub mod users;
pub mod words;

pub use error::{FieldError, ValidationErrors};
pub use roles::{Permission, Role};
