//! Tariffs and consumption norms as a register with periods in force, and the explanation
//! of a charge line («why this sum»): volume and where it came from × the tariff in force
//! and its basis = the sum.
//!
//! Amounts are fixed-point integers: volumes and norms in millionths of their unit (a
//! heating norm has 4–6 decimals), prices in ten-thousandths of a ruble, money in kopecks.

mod answer;
mod explain;
mod fixed;
mod form;
mod norm_fee;
mod register;

#[cfg(test)]
mod tests;

pub use answer::{answer_paragraphs, answer_subject};
pub use explain::{explain, ExplainedLine, Explanation, LineKind, SourceLine, VolumeSource};
pub use fixed::{format_fixed, parse_fixed, PRICE_PLACES, VOLUME_PLACES};
pub use form::{norm_on, supersede_norm, NormForm, ServiceLookup, TariffForm, UNITS};
pub use norm_fee::{fee_at_norm, NormFee, Occupancy};
pub use register::{
    supersede, tariff_on, validate_norms, validate_tariffs, Norm, NormBasis, Tariff, Unit,
};

/// Kopecks for `volume` (millionths) × `price` (ten-thousandths of a ruble), half up.
pub fn cost_kopecks(volume: i64, price: i64) -> i64 {
    // 1e-6 × 1e-4 ₽ = 1e-10 ₽ = 1e-8 kopecks.
    let p = i128::from(volume) * i128::from(price);
    let half = 50_000_000 * p.signum();
    ((p + half) / 100_000_000) as i64
}
