//! The monthly fee at the consumption norm, which the ПП 354 п. 117 threshold counts in
//! («размер платы, исчисленный исходя из норматива потребления»): the norm in force × the
//! persons registered (with nobody registered, the owners — ПП 354 п. 56(2)) or × the area,
//! × the tariff in force.

use chrono::NaiveDate;

use super::explain::source_text;
use super::fixed::{format_fixed, VOLUME_PLACES};
use super::register::{tariff_on, NormBasis, Tariff};
use super::{cost_kopecks, norm_on, Norm, VolumeSource, PRICE_PLACES};
use crate::money::format_rub;

/// A fee at the norm and how it was found, for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormFee {
    /// Kopecks a month.
    pub fee: i64,
    /// «норматив 4,745 м³ на человека × 3 чел. × 45,50 ₽/м³ = 647,71 ₽ (тариф: …)».
    pub text: String,
}

/// What the account's premises hold on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    pub registered: u32,
    pub owners: u32,
    /// Hundredths of m².
    pub area: Option<i64>,
}

/// The fee at the norm for `service` on `day`, in `group`; none without a norm and a tariff
/// in force, or without the persons or area the norm counts by.
pub fn fee_at_norm(
    norms: &[Norm],
    tariffs: &[Tariff],
    service: &str,
    group: Option<&str>,
    day: NaiveDate,
    at: Occupancy,
) -> Option<NormFee> {
    let norm = norm_on(norms, service, group, day)?;
    let tariff = tariff_on(tariffs, service, group, None, day)?;
    let (source, who) = match norm.per {
        NormBasis::PerPerson if at.registered > 0 => (
            VolumeSource::NormPerPerson {
                norm: norm.value,
                persons: at.registered,
            },
            "",
        ),
        NormBasis::PerPerson if at.owners > 0 => (
            VolumeSource::NormPerPerson {
                norm: norm.value,
                persons: at.owners,
            },
            " — никто не зарегистрирован, по числу собственников (ПП 354 п. 56(2))",
        ),
        NormBasis::PerPerson => return None,
        NormBasis::PerSquareMeter => (
            VolumeSource::NormPerArea {
                norm: norm.value,
                area: at.area.filter(|a| *a > 0)?,
            },
            "",
        ),
    };
    let volume = source.volume()?;
    let fee = cost_kopecks(volume, tariff.price);
    let symbol = tariff.unit.symbol();
    Some(NormFee {
        fee,
        text: format!(
            "{} {symbol}{}{who} × {} ₽/{symbol} = {} (тариф: {})",
            format_fixed(volume, VOLUME_PLACES, 0),
            source_text(&source, symbol),
            format_fixed(tariff.price, PRICE_PLACES, 2),
            format_rub(fee),
            tariff.basis
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tariff::Unit;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn norm(per: NormBasis, value: i64) -> Norm {
        Norm {
            service: "cold_water".into(),
            group: None,
            from: day(2026, 1, 1),
            to: None,
            per,
            value,
            unit: Some(Unit::CubicMeter),
            basis: "Постановление РЭК № 1".into(),
        }
    }

    fn tariff(price: i64) -> Tariff {
        Tariff {
            service: "cold_water".into(),
            group: None,
            zone: None,
            from: day(2026, 1, 1),
            to: None,
            price,
            unit: Unit::CubicMeter,
            basis: "Постановление РЭК № 2".into(),
        }
    }

    const AT: Occupancy = Occupancy {
        registered: 3,
        owners: 1,
        area: Some(5_430),
    };

    #[test]
    fn per_person_norm_times_registered_times_tariff() {
        // 4,745 m³ × 3 = 14,235 m³ × 45,50 ₽ = 647,6925 ₽ → 647,69 ₽.
        let f = fee_at_norm(
            &[norm(NormBasis::PerPerson, 4_745_000)],
            &[tariff(455_000)],
            "cold_water",
            None,
            day(2026, 11, 15),
            AT,
        )
        .unwrap();
        assert_eq!(f.fee, 64_769);
        assert!(
            f.text.contains("3 чел.") && f.text.contains("РЭК № 2"),
            "{}",
            f.text
        );
    }

    #[test]
    fn nobody_registered_counts_the_owners_and_area_norms_the_area() {
        let at = Occupancy {
            registered: 0,
            owners: 2,
            area: Some(5_430),
        };
        let f = fee_at_norm(
            &[norm(NormBasis::PerPerson, 1_000_000)],
            &[tariff(100_000)],
            "cold_water",
            None,
            day(2026, 11, 15),
            at,
        )
        .unwrap();
        assert_eq!(f.fee, 2_000);
        assert!(f.text.contains("56(2)"), "{}", f.text);
        let nobody = Occupancy { owners: 0, ..at };
        let norms = [norm(NormBasis::PerPerson, 1_000_000)];
        assert_eq!(
            fee_at_norm(
                &norms,
                &[tariff(100_000)],
                "cold_water",
                None,
                day(2026, 11, 15),
                nobody
            ),
            None
        );
        // 0,0220 m³/m² × 54,30 m² = 1,1946 m³ × 100 ₽ = 119,46 ₽.
        let f = fee_at_norm(
            &[norm(NormBasis::PerSquareMeter, 22_000)],
            &[tariff(1_000_000)],
            "cold_water",
            None,
            day(2026, 11, 15),
            at,
        )
        .unwrap();
        assert_eq!(f.fee, 11_946);
    }

    #[test]
    fn no_norm_or_no_tariff_in_force_gives_nothing() {
        let norms = [norm(NormBasis::PerPerson, 1_000_000)];
        let tariffs = [tariff(100_000)];
        assert!(fee_at_norm(&norms, &[], "cold_water", None, day(2026, 11, 15), AT).is_none());
        assert!(fee_at_norm(&[], &tariffs, "cold_water", None, day(2026, 11, 15), AT).is_none());
        assert!(fee_at_norm(&norms, &tariffs, "cold_water", None, day(2025, 12, 31), AT).is_none());
        assert!(fee_at_norm(&norms, &tariffs, "hot_water", None, day(2026, 11, 15), AT).is_none());
    }
}
