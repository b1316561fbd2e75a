//! Correspondence use cases: so far the export of a register for a period.

pub mod export;
