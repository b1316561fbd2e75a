//! The subscriber registry in the browser: buildings, premises, accounts, people, the links
//! between people and accounts (with benefits), the search box and the registry import.

pub mod accounts;
pub mod buildings;
pub mod import;
pub mod links;
pub mod persons;
pub mod premises;
pub mod search;
