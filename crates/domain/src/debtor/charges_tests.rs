use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::debtor::applications;
use crate::registry::{LegalCapacity, Share};

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn holder(id: i64, role: LinkRole, share: Option<(i32, i32)>, born: i32) -> Holder {
    Holder {
        person_id: id,
        full_name: format!("Человек {id}"),
        role,
        share: share.map(|(num, den)| Share { num, den }),
        birth_date: NaiveDate::from_ymd_opt(born, 6, 1),
        family_of: None,
        capacity: LegalCapacity::Full,
    }
}

fn family(id: i64, of: i64, born: i32) -> Holder {
    Holder {
        family_of: Some(of),
        ..holder(id, LinkRole::Registered, None, born)
    }
}

#[test]
fn an_owners_adult_family_answers_jointly_for_utilities_only() {
    let h = [
        holder(1, LinkRole::Owner, Some((1, 2)), 1970),
        holder(2, LinkRole::Owner, Some((1, 2)), 1972),
        family(3, 1, 1995),
        // A minor is not capable; a registered person with no kinship is no family.
        family(4, 1, 2015),
        holder(5, LinkRole::Registered, None, 1990),
    ];
    let apps = applications(&h, on()).unwrap();
    let got: Vec<_> = apps
        .iter()
        .map(|a| (a.debtors.clone(), a.charges, a.part, a.group))
        .collect();
    assert_eq!(
        got,
        [
            (vec![1], Charges::Housing, (1, 2), 0),
            (vec![1, 3], Charges::Utilities, (1, 2), 0),
            (vec![2], Charges::All, (1, 2), 1),
        ]
    );
    assert_eq!(apps[1].basis, Basis::OwnerFamily);
    let text = apps[1].liability_text(None).unwrap();
    assert!(
        text.contains("ЖК РФ ст. 31 ч. 3") && text.contains("1/2"),
        "{text}"
    );
    assert!(apps[0]
        .liability_text(None)
        .unwrap()
        .contains("отдельным заявлением"));
}

#[test]
fn an_owners_family_declared_incapable_is_left_out_but_limited_answers() {
    let with = |h: Holder, capacity| Holder { capacity, ..h };
    let h = [
        holder(1, LinkRole::Owner, None, 1970),
        with(family(2, 1, 1995), LegalCapacity::Incapable),
        with(family(3, 1, 1996), LegalCapacity::Limited),
    ];
    let apps = applications(&h, on()).unwrap();
    let got: Vec<_> = apps
        .iter()
        .map(|a| (a.debtors.clone(), a.charges))
        .collect();
    assert_eq!(
        got,
        [
            (vec![1], Charges::Housing),
            (vec![1, 3], Charges::Utilities)
        ]
    );
    // Only the incapable one: the owner answers alone for everything.
    let apps = applications(&h[..2], on()).unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(
        (apps[0].debtors.clone(), apps[0].charges),
        (vec![1], Charges::All)
    );
}

#[test]
fn a_tenants_family_and_a_minor_owners_part_stay_whole() {
    let apps = applications(
        &[holder(1, LinkRole::Tenant, None, 1960), family(2, 1, 1985)],
        on(),
    )
    .unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(
        (apps[0].charges, apps[0].debtors.clone()),
        (Charges::All, vec![1, 2])
    );
    // The minor owner's part goes to the representative; the family of the minor is not
    // joined (the parents answer as legal representatives).
    let apps = applications(
        &[
            holder(1, LinkRole::Owner, Some((1, 1)), 2015),
            holder(2, LinkRole::Representative, None, 1980),
            family(3, 1, 1990),
        ],
        on(),
    )
    .unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(
        (apps[0].charges, apps[0].debtors.clone()),
        (Charges::All, vec![2])
    );
}

#[test]
fn amounts_split_by_part_then_by_kind() {
    let h = [
        holder(1, LinkRole::Owner, Some((1, 2)), 1970),
        holder(2, LinkRole::Owner, Some((1, 2)), 1972),
        family(3, 1, 1995),
    ];
    let apps = applications(&h, on()).unwrap();
    // A utility line: half to the joint application, half to the other owner.
    assert_eq!(split_by_charges(&apps, 1001, (1, 0), (0, 0)), [0, 501, 500]);
    // Upkeep: half to the owner alone.
    assert_eq!(split_by_charges(&apps, 1000, (0, 1), (0, 0)), [500, 0, 500]);
    // A penalty on a period owing 300 of utilities and 100 of upkeep.
    assert_eq!(
        split_by_charges(&apps, 800, (300, 100), (0, 0)),
        [100, 300, 400]
    );
    // No debt of either kind in the period: the fallback weights.
    assert_eq!(
        split_by_charges(&apps, 800, (0, 0), (1, 3)),
        [300, 100, 400]
    );
    assert_eq!(split_by_charges(&apps, 800, (0, 0), (0, 0)), [400, 0, 400]);
}

#[test]
fn paid_penalties_are_deducted_in_proportion() {
    assert_eq!(deduct_paid(&[300, 100, 0], 200), [150, 50, 0]);
    assert_eq!(
        deduct_paid(&[300, 100], 1000),
        [300, 100],
        "never more than owed"
    );
    assert_eq!(deduct_paid(&[300, 100], 0), [0, 0]);
    assert_eq!(deduct_paid(&[], 10), Vec::<i64>::new());
}

proptest! {
    /// Every amount is split to the kopeck; a debt line is claimed by one application per
    /// part, so nobody is named twice for the same money.
    #[test]
    fn every_line_is_claimed_once_and_whole(
        shares in prop::collection::vec((1i32..6, 1i32..6), 1..4),
        families in prop::collection::vec(0usize..4, 0..4),
        lines in prop::collection::vec((any::<bool>(), 0i64..10_000_000), 1..12),
        penalty in (0i64..10_000_000, 0i64..1_000_000, 0i64..1_000_000),
        paid in 0i64..20_000_000,
    ) {
        let mut h: Vec<Holder> = shares
            .iter()
            .enumerate()
            .map(|(i, (a, b))| holder(i as i64 + 1, LinkRole::Owner, Some(((*a).min(*b), (*a).max(*b))), 1970))
            .collect();
        for (k, of) in families.iter().enumerate() {
            h.push(family(100 + k as i64, (*of % shares.len()) as i64 + 1, 1990));
        }
        let apps = applications(&h, on()).unwrap();
        for (utility, amount) in &lines {
            let w = if *utility { (1, 0) } else { (0, 1) };
            let parts = split_by_charges(&apps, *amount, w, (0, 0));
            prop_assert_eq!(parts.iter().sum::<i64>(), *amount);
            let mut named: Vec<i64> = Vec::new();
            for (a, k) in apps.iter().zip(&parts) {
                if *k != 0 {
                    prop_assert!(a.charges.covers(*utility));
                    for d in &a.debtors {
                        prop_assert!(!named.contains(d), "{} named twice", d);
                        named.push(*d);
                    }
                }
            }
        }
        let (p, u, hw) = penalty;
        let parts = split_by_charges(&apps, p, (u, hw), (1, 1));
        prop_assert_eq!(parts.iter().sum::<i64>(), p);
        let deducted = deduct_paid(&parts, paid);
        prop_assert_eq!(deducted.iter().sum::<i64>(), paid.min(p));
        for (d, k) in deducted.iter().zip(&parts) {
            prop_assert!(*d <= *k && *d >= 0);
        }
    }
}
