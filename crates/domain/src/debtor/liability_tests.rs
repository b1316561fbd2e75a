use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn holder(id: i64, role: LinkRole, share: Option<(i32, i32)>, born: i32) -> Holder {
    Holder {
        person_id: id,
        full_name: format!("Человек {id}"),
        role,
        share: share.map(|(num, den)| Share { num, den }),
        birth_date: Some(d(born, 6, 1)),
        family_of: None,
        capacity: LegalCapacity::Full,
    }
}

fn on() -> NaiveDate {
    d(2026, 12, 1)
}

#[test]
fn owners_answer_each_for_their_share() {
    let h = [
        holder(1, LinkRole::Owner, Some((1, 2)), 1970),
        holder(2, LinkRole::Owner, Some((1, 3)), 1972),
        holder(3, LinkRole::Owner, Some((1, 6)), 1995),
        holder(4, LinkRole::Registered, None, 1990),
    ];
    let apps = applications(&h, on()).unwrap();
    let parts: Vec<_> = apps.iter().map(|a| (a.debtors.clone(), a.part)).collect();
    assert_eq!(
        parts,
        [(vec![1], (1, 2)), (vec![2], (1, 3)), (vec![3], (1, 6))]
    );
    assert!(apps.iter().all(|a| a.basis == Basis::OwnerShare));
}

#[test]
fn a_sole_owner_answers_for_the_whole_and_shares_are_relative() {
    let apps = applications(&[holder(1, LinkRole::Owner, Some((1, 2)), 1970)], on()).unwrap();
    assert_eq!(
        apps[0].part,
        (1, 1),
        "the account covers only the owner's half"
    );
    let apps = applications(
        &[
            holder(1, LinkRole::Owner, Some((1, 4)), 1970),
            holder(2, LinkRole::Owner, Some((1, 4)), 1970),
        ],
        on(),
    )
    .unwrap();
    assert_eq!(apps[0].part, (1, 2));
    assert_eq!(apps[1].part, (1, 2));
}

#[test]
fn a_minor_owner_is_answered_for_by_the_representatives() {
    let h = [
        holder(1, LinkRole::Owner, Some((3, 4)), 1970),
        holder(2, LinkRole::Owner, Some((1, 4)), 2015),
        holder(5, LinkRole::Representative, None, 1972),
    ];
    let apps = applications(&h, on()).unwrap();
    assert_eq!(apps[1].debtors, [5]);
    assert_eq!(apps[1].minor, Some(2));
    assert_eq!(apps[1].part, (1, 4));
    let err = applications(&h[..2], on()).unwrap_err();
    assert!(matches!(
        err,
        LiabilityRefusal::MinorWithoutRepresentative { .. }
    ));
    assert!(err.message("700001").contains("Представитель"));
}

#[test]
fn joint_owners_and_a_tenant_family_answer_jointly() {
    let apps = applications(
        &[
            holder(1, LinkRole::Owner, None, 1970),
            holder(2, LinkRole::Owner, None, 1971),
        ],
        on(),
    )
    .unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(
        (apps[0].debtors.clone(), apps[0].basis),
        (vec![1, 2], Basis::JointOwners)
    );
    let apps = applications(
        &[
            holder(1, LinkRole::Tenant, None, 1960),
            holder(2, LinkRole::Registered, None, 1985),
            holder(3, LinkRole::Registered, None, 2012),
        ],
        on(),
    )
    .unwrap();
    assert_eq!(
        (apps[0].debtors.clone(), apps[0].basis),
        (vec![1, 2], Basis::TenantFamily),
        "the minor is not capable"
    );
}

#[test]
fn only_the_capable_family_of_a_social_tenant_answers_with_the_tenant() {
    let with = |id, capacity| Holder {
        capacity,
        ..holder(id, LinkRole::Registered, None, 1990)
    };
    let h = [
        holder(1, LinkRole::Tenant, None, 1960),
        with(2, LegalCapacity::Full),
        with(3, LegalCapacity::Limited),
        with(4, LegalCapacity::Incapable),
    ];
    let apps = applications(&h, on()).unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].debtors, vec![1, 2]);
    assert_eq!(apps[0].basis, Basis::TenantFamily);
}

#[test]
fn incomplete_shares_and_no_holder_are_refused() {
    let err = applications(
        &[
            holder(1, LinkRole::Owner, Some((1, 2)), 1970),
            holder(2, LinkRole::Owner, None, 1971),
        ],
        on(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        LiabilityRefusal::SharesIncomplete {
            without: vec!["Человек 2".into()]
        }
    );
    let err = applications(&[holder(1, LinkRole::Registered, None, 1970)], on()).unwrap_err();
    assert_eq!(err, LiabilityRefusal::NoHolder);
}

#[test]
fn splitting_follows_the_largest_remainder() {
    assert_eq!(split_kopecks(100, &[(1, 3), (1, 3), (1, 3)]), [34, 33, 33]);
    assert_eq!(split_kopecks(101, &[(1, 2), (1, 2)]), [51, 50]);
    assert_eq!(split_kopecks(100, &[(1, 6), (1, 2), (1, 3)]), [17, 50, 33]);
    assert_eq!(split_kopecks(-101, &[(1, 2), (1, 2)]), [-51, -50]);
    assert_eq!(split_kopecks(7, &[(1, 1)]), [7]);
    assert_eq!(split_kopecks(7, &[(0, 1), (0, 1)]), [7, 0]);
}

proptest! {
    /// The parts sum to the whole, each is within one kopeck of its exact value, and equal
    /// shares never differ by more than a kopeck.
    #[test]
    fn split_is_exact(
        total in -10_000_000_000i64..10_000_000_000,
        parts in prop::collection::vec((1i64..10_000, 1i64..10_000), 1..8),
    ) {
        let out = split_kopecks(total, &parts);
        prop_assert_eq!(out.len(), parts.len());
        prop_assert_eq!(out.iter().sum::<i64>(), total);
        let weights: Vec<f64> = parts.iter().map(|(n, d)| *n as f64 / *d as f64).collect();
        let sum: f64 = weights.iter().sum();
        for (k, w) in out.iter().zip(&weights) {
            let exact = total as f64 * w / sum;
            prop_assert!((*k as f64 - exact).abs() < 1.0 + exact.abs() * 1e-9, "{} vs {}", k, exact);
        }
    }

    /// Owners' parts from [`applications`] are reduced fractions that sum to the whole.
    #[test]
    fn owner_parts_sum_to_one(shares in prop::collection::vec((1i32..20, 1i32..20), 1..6)) {
        let h: Vec<Holder> = shares
            .iter()
            .enumerate()
            .map(|(i, (a, b))| holder(i as i64 + 1, LinkRole::Owner, Some(((*a).min(*b), (*a).max(*b))), 1970))
            .collect();
        let apps = applications(&h, on()).unwrap();
        prop_assert_eq!(apps.len(), h.len());
        let den = apps.iter().fold(1i64, |l, a| l / gcd(l, a.part.1) * a.part.1);
        let num: i64 = apps.iter().map(|a| a.part.0 * (den / a.part.1)).sum();
        prop_assert_eq!(num, den);
    }
}
