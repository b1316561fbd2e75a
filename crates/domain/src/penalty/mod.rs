//! Penalties for late payment of housing and utility charges (пени, ЖК РФ ст. 155 ч. 14):
//! key-rate table as data, settings with sources, and the court-style calculation.

mod calc;
mod key_rate;
#[cfg(test)]
mod prop_tests;
mod ratio;
mod settings;
#[cfg(test)]
mod tests;

pub use calc::{
    calculate, format_rate, total, Debt, DebtKind, Payment, PenaltyCalculation, PenaltyRow,
};
pub use key_rate::{Confidence, KeyRateEntry, KeyRateTable, DEFAULT_KEY_RATES_JSON};
pub use settings::{
    CapScope, CapitalRepairRule, Moratorium, PenaltySettings, RateCap, RateDate, RateMode,
    RowRounding,
};
