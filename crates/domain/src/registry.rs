//! The subscriber registry: buildings, premises, accounts, people, their links and benefits.
//! Each `*Form` is what a person or an integration sends (strings, as typed); `validate`
//! turns it into clean `*Data` or Russian messages naming every bad field.

mod account;
mod building;
pub(crate) mod fields;
mod person;
mod premises;

pub use account::{AccountData, AccountForm, AccountNumberFormat, Share};
pub use building::{BuildingData, BuildingForm};
pub use fields::{format_area, parse_date};
pub use person::{BenefitData, BenefitForm, LinkData, LinkForm, LinkRole, PersonData, PersonForm};
pub use premises::{PremisesData, PremisesForm};
