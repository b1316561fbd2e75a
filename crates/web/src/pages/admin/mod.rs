//! Administration of the organization as a whole: staff accounts, API tokens and settings
//! (`staff`); the organization's details, numbering patterns, work calendar and
//! answer-deadline rules (`organization`).

pub mod organization;
pub mod staff;
