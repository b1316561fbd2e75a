//! From basis points to kopecks: the reduction of one account's fee for one service and
//! month.

use serde::Serialize;

/// The reduction of a month's fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reduction {
    /// Basis points of the fee, the parts summed and capped at 100 %.
    pub bp: u32,
    /// Kopecks to take off, never more than the fee and never negative.
    pub kopecks: i64,
}

/// Reduce `charge_kopecks` (the month's fee for the service) by the parts given in basis
/// points (interruption, temperature), rounding to the nearest kopeck, half up.
pub fn reduce(charge_kopecks: i64, parts_bp: &[u32]) -> Reduction {
    let bp = parts_bp
        .iter()
        .fold(0u32, |sum, p| sum.saturating_add(*p))
        .min(10_000);
    if charge_kopecks <= 0 {
        return Reduction { bp, kopecks: 0 };
    }
    let kopecks = (i128::from(charge_kopecks) * i128::from(bp) + 5_000) / 10_000;
    Reduction {
        bp,
        kopecks: (kopecks as i64).min(charge_kopecks),
    }
}
