//! The monthly fee the ПП 354 п. 117 threshold counts in, per account and service. The rule
//! reads «размер платы, исчисленный исходя из норматива потребления»: the norm × the
//! account's persons or area × the tariff, from the register of tariffs and norms
//! ([`fee_at_norm`](crate::tariff::fee_at_norm)). Where the register has no norm or tariff
//! in force for the service, the fee is the account's own average monthly charge for it; an
//! account with no charge of the service falls back to the organization's fee at the norm
//! (`norm_fees`). The page says which basis was used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ledger::{Entry, EntryKind, Period};
use crate::tariff::NormFee;

/// Where a monthly fee comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// The norm in force × the account's persons or area × the tariff in force.
    TariffNorm,
    /// The account's average monthly charge over its last charged months.
    AccountAverage,
    /// The organization's monthly fee at the norm (no charge of the service on the account).
    OrganizationNorm,
}

/// The fee one account's threshold counts in, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyFee {
    /// Kopecks a month.
    pub fee: i64,
    pub basis: FeeBasis,
    /// Months averaged (account average only).
    pub months: u32,
    /// How the fee at the norm was found (tariff norm only).
    #[serde(default)]
    pub detail: String,
}

impl MonthlyFee {
    /// For the page: «средняя месячная плата по счёту за 3 мес.».
    pub fn basis_title(&self) -> String {
        match self.basis {
            FeeBasis::TariffNorm => format!("плата по нормативу: {}", self.detail),
            FeeBasis::AccountAverage => {
                format!("средняя месячная плата по счёту за {} мес.", self.months)
            }
            FeeBasis::OrganizationNorm => "плата по нормативу, заданная организацией".into(),
        }
    }
}

/// The average monthly charge of `service` over the account's last `months` periods (up to
/// `until`, inclusive) that carry a charge of it; recalculations of those periods count
/// with them. Half a kopeck rounds up. `None` when nothing was charged (or it nets to zero).
pub fn average_monthly_charge(
    entries: &[Entry],
    service: &str,
    until: Period,
    months: u32,
) -> Option<(i64, u32)> {
    let mut by_period: BTreeMap<Period, (bool, i64)> = BTreeMap::new();
    for e in entries {
        if e.service.as_deref() != Some(service) || e.period > until {
            continue;
        }
        let charged = match e.kind {
            EntryKind::Charge => true,
            EntryKind::Recalculation => false,
            _ => continue,
        };
        let slot = by_period.entry(e.period).or_insert((false, 0));
        slot.0 |= charged;
        slot.1 += e.amount;
    }
    let last: Vec<i64> = by_period
        .values()
        .rev()
        .filter(|(charged, _)| *charged)
        .take(months as usize)
        .map(|(_, sum)| *sum)
        .collect();
    let n = last.len() as i64;
    let total: i64 = last.iter().sum();
    (n > 0 && total > 0).then(|| ((2 * total + n) / (2 * n), n as u32))
}

/// The fee for the threshold: at the norm from the register when it has one, else the
/// account's average, else the organization's norm fee.
pub fn monthly_fee(
    entries: &[Entry],
    service: &str,
    until: Period,
    months: u32,
    at_norm: Option<&NormFee>,
    norm_fee: Option<i64>,
) -> Option<MonthlyFee> {
    if let Some(n) = at_norm.filter(|n| n.fee > 0) {
        return Some(MonthlyFee {
            fee: n.fee,
            basis: FeeBasis::TariffNorm,
            months: 0,
            detail: n.text.clone(),
        });
    }
    match average_monthly_charge(entries, service, until, months) {
        Some((fee, months)) => Some(MonthlyFee {
            fee,
            basis: FeeBasis::AccountAverage,
            months,
            detail: String::new(),
        }),
        None => norm_fee.filter(|f| *f > 0).map(|fee| MonthlyFee {
            fee,
            basis: FeeBasis::OrganizationNorm,
            months: 0,
            detail: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn e(kind: EntryKind, month: u32, service: &str, amount: i64) -> Entry {
        Entry {
            id: 0,
            kind,
            period: Period { year: 2026, month },
            service: Some(service.into()),
            amount,
            date: NaiveDate::from_ymd_opt(2026, month, 1).unwrap(),
            paid_period: None,
            reverses: None,
            for_penalties: false,
        }
    }

    #[test]
    fn the_accounts_own_last_months_make_the_fee() {
        let until = Period {
            year: 2026,
            month: 10,
        };
        let entries = vec![
            e(EntryKind::Charge, 6, "electricity", 50_000),
            e(EntryKind::Charge, 8, "electricity", 100_000),
            e(EntryKind::Charge, 9, "electricity", 120_000),
            e(EntryKind::Recalculation, 9, "electricity", -20_000),
            e(EntryKind::Charge, 10, "electricity", 100_001),
            e(EntryKind::Charge, 10, "heating", 900_000),
            e(EntryKind::Payment, 10, "electricity", 500_000),
            e(EntryKind::Charge, 11, "electricity", 999_999),
        ];
        // Aug 1 000, Sep 1 000 (after the recalculation), Oct 1 000,01: 1 000 ₽ a month.
        assert_eq!(
            average_monthly_charge(&entries, "electricity", until, 3),
            Some((100_000, 3))
        );
        assert_eq!(
            average_monthly_charge(&entries, "electricity", until, 12),
            Some((87_500, 4))
        );
        let f = monthly_fee(&entries, "electricity", until, 3, None, Some(1)).unwrap();
        assert_eq!(f.basis, FeeBasis::AccountAverage);
        assert!(f.basis_title().contains("за 3 мес."));
        // No charge of the service: the organization's norm fee, said so.
        let f = monthly_fee(&entries, "gas", until, 3, None, Some(40_000)).unwrap();
        assert_eq!((f.fee, f.basis), (40_000, FeeBasis::OrganizationNorm));
        assert_eq!(monthly_fee(&entries, "gas", until, 3, None, None), None);
        // The register's norm and tariff come first: the rule's own basis.
        let n = NormFee {
            fee: 64_769,
            text: "14,235 м³ × 45,50 ₽/м³".into(),
        };
        let f = monthly_fee(&entries, "electricity", until, 3, Some(&n), Some(1)).unwrap();
        assert_eq!((f.fee, f.basis), (64_769, FeeBasis::TariffNorm));
        assert!(f.basis_title().starts_with("плата по нормативу: 14,235"));
    }
}
