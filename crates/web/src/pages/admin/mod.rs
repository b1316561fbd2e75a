//! Administration of the organization as a whole: staff accounts and API tokens (`staff`);
//! the settings index by topic and the general settings (`settings`); the first-run setup
//! (`setup`); the organization's details, numbering patterns, work calendar and
//! answer-deadline rules (`organization`).

mod calendar_grid;
pub mod organization;
pub mod settings;
pub mod setup;
pub mod staff;
