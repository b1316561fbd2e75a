//! The subscriber registry through the API: buildings, premises, accounts, people with their
//! links and benefits, and the registry import.

pub mod accounts;
pub mod buildings;
pub mod import;
pub mod persons;
pub mod premises;
pub mod types;
