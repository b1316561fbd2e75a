//! The registry: buildings, premises, accounts, people, their links to accounts and their
//! benefits, and the bulk import. Every change is a use case here; the front ends only read
//! the forms and show the answer. Reads (lists, cards, history) go to storage
//! directly, except the account card, whose many sections are gathered here.

mod accounts;
mod buildings;
mod card;
pub mod import;
mod persons;

pub use accounts::{close_account, create_account, update_account};
pub use buildings::{
    close_building, close_premises, create_building, create_premises, update_building,
    update_premises,
};
pub use card::{account_card, AccountCard, CardAppeals, CardLedger, CardSections};
pub use persons::{
    close_benefit, close_link, close_person, create_benefit, create_link, create_person,
    duplicates_of, erase_person, open_card, update_benefit, update_link, update_person, NewPerson,
};
