//! Bank payment registers (regulations §9) and 1С bank statements: bytes in, payments out.
//!
//! No bank standard exists, so a register is read through a [`RegisterProfile`] saved per
//! bank: separator, encoding, column map, date/period/amount formats and the totals line.
//! Parsing streams line by line (a million-line register is never decoded whole) and calls
//! back for each payment, so the caller can write inside one transaction and roll back when
//! the result is an error: a bad line or totals that disagree reject the whole file.

mod client_bank;
mod profile;
mod purpose;
mod register;

pub use client_bank::{parse_client_bank, BankDocument, ClientBankStatement};
pub use profile::{PaymentField, PeriodFormat, RegisterProfile, TotalsLine};
pub use purpose::{account_in_purpose, period_in_purpose};
pub use register::{
    parse_register, LineError, RegisterError, RegisterPayment, RegisterSummary, MAX_LINE_ERRORS,
    MAX_REGISTER_BYTES,
};

#[cfg(test)]
mod tests;
