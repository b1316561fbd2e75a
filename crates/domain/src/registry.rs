//! The subscriber registry: buildings, premises, accounts, people, their links and benefits.
//! Each `*Form` is what a person or an integration sends (strings, as typed); `validate`
//! turns it into clean `*Data` or Russian messages naming every bad field.

mod account;
mod building;
mod capacity;
pub mod erasure;
pub(crate) mod fields;
mod person;
mod premises;
mod refusal;
mod registration;
mod sample;
mod words;

pub use account::{AccountData, AccountForm, AccountNumberFormat, Share};
pub use building::{BuildingData, BuildingForm};
pub use capacity::LegalCapacity;
pub use fields::{format_area, parse_date};
pub use person::{BenefitData, BenefitForm, LinkData, LinkForm, LinkRole, PersonData, PersonForm};
pub use premises::{PremisesData, PremisesForm};
pub use refusal::{import_raced, ImportRefusal, RegistryRefusal};
pub use registration::{closing_date, Registration, RegistrationForm, RegistrationKind};
pub use sample::sample_building;
pub use words::{
    address_line, building_label, close_reason, duplicate_account_conflict,
    duplicate_person_conflict, premises_label, similar_by_name, similar_by_phone,
};
