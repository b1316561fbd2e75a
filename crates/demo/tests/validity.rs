//! Every generated record passes the domain's own form validation unchanged, and the
//! references between records hold together.

use std::collections::{HashMap, HashSet};

use abonent_demo::{generate, DemoCompany, DemoConfig, AS_OF};
use abonent_domain::registry::{
    format_area, AccountForm, AccountNumberFormat, BenefitForm, BuildingForm, LinkForm, LinkRole,
    PersonForm, PremisesForm, Share,
};
use chrono::NaiveDate;

fn company() -> DemoCompany {
    generate(&DemoConfig {
        accounts: 20_000,
        seed: 7,
    })
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn on(b: bool) -> Option<String> {
    b.then(|| "on".to_string())
}

#[test]
fn every_record_passes_the_forms() {
    let c = company();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    for b in &c.buildings {
        let form = BuildingForm {
            region: Some(b.region.clone()),
            city: Some(b.city.clone()),
            street: Some(b.street.clone()),
            house: Some(b.house.clone()),
            korpus: b.korpus.clone(),
            stroenie: b.stroenie.clone(),
            fias_id: b.fias_id.clone(),
            year_built: b.year_built.map(|v| v.to_string()),
            floors: b.floors.map(|v| v.to_string()),
            entrances: b.entrances.map(|v| v.to_string()),
            managed_since: b.managed_since.map(iso),
        };
        assert_eq!(&form.validate().unwrap(), b);
    }
    for p in &c.premises {
        let d = &p.data;
        let form = PremisesForm {
            building_id: Some((p.building + 1).to_string()),
            number: Some(d.number.clone()),
            residential: on(d.residential),
            area: d.area_centi.map(format_area),
            rooms: d.rooms.map(|v| v.to_string()),
            entrance: d.entrance.map(|v| v.to_string()),
            floor: d.floor.map(|v| v.to_string()),
        };
        let mut v = form.validate().unwrap();
        v.building_id = 0;
        assert_eq!(&v, d);
    }
    let format = AccountNumberFormat::new("######");
    for a in &c.accounts {
        let d = &a.data;
        let form = AccountForm {
            number: Some(d.number.clone()),
            premises_id: Some((a.premises + 1).to_string()),
            opened_on: Some(iso(d.opened_on)),
            closed_on: d.closed_on.map(iso),
            share: Some(d.share.to_string()),
        };
        let mut v = form.validate(&format).unwrap();
        v.premises_id = 0;
        assert_eq!(&v, d);
    }
    for p in &c.persons {
        let form = PersonForm {
            last_name: Some(p.last_name.clone()),
            first_name: Some(p.first_name.clone()),
            middle_name: p.middle_name.clone(),
            birth_date: p.birth_date.map(|d| d.format("%d.%m.%Y").to_string()),
            phones: Some(p.phones.join("; ")),
            email: p.email.clone(),
            id_document: p.id_document.clone(),
            consent_sms: on(p.consent_sms),
            consent_email: on(p.consent_email),
            legal_capacity: Some(p.legal_capacity.code().to_string()),
            capacity_basis: p.capacity_basis.clone(),
        };
        assert_eq!(&form.validate(today).unwrap(), p);
        for ph in &p.phones {
            assert_eq!(
                abonent_domain::phone::normalize(ph).as_deref(),
                Some(ph.as_str())
            );
            assert!(ph.starts_with("+79") && ph.len() == 12, "{ph}");
        }
        let by = p.birth_date.unwrap();
        assert!((1935..=2006).contains(&chrono::Datelike::year(&by)));
        for part in [&p.last_name, &p.first_name, p.middle_name.as_ref().unwrap()] {
            assert!(
                part.chars()
                    .all(|ch| ch.is_alphabetic() || ch == ' ' || ch == '-'),
                "{part}"
            );
        }
    }
    for l in &c.links {
        let form = LinkForm {
            account_id: Some((l.account + 1).to_string()),
            person_id: Some((l.person + 1).to_string()),
            role: Some(l.role.code().to_string()),
            share: l.share.map(|s| s.to_string()),
            from_date: l.from_date.map(iso),
            to_date: None,
            registration: Default::default(),
        };
        let v = form.validate().unwrap();
        assert_eq!(
            (v.role, v.share, v.from_date),
            (l.role, l.share, l.from_date)
        );
    }
    for b in &c.benefits {
        let form = BenefitForm {
            person_id: Some((b.person + 1).to_string()),
            category: Some(b.category.clone()),
            document: b.document.clone(),
            from_date: Some(iso(b.from_date)),
            to_date: b.to_date.map(iso),
        };
        let v = form.validate().unwrap();
        assert_eq!(
            (&v.category, &v.document, v.from_date, v.to_date),
            (&b.category, &b.document, b.from_date, b.to_date)
        );
        assert!(b.from_date <= AS_OF);
    }
}

#[test]
fn references_and_uniqueness_hold() {
    let c = company();
    let mut addresses = HashSet::new();
    for b in &c.buildings {
        assert!(
            addresses.insert((b.street.clone(), b.house.clone(), b.korpus.clone())),
            "{}",
            b.address()
        );
        assert!((1950..=2024).contains(&b.year_built.unwrap()));
        assert!(b.managed_since.unwrap() <= AS_OF);
    }
    let mut numbers = HashSet::new();
    for p in &c.premises {
        assert!(p.building < c.buildings.len());
        assert!(numbers.insert((p.building, p.data.number.clone())));
        let area = p.data.area_centi.unwrap();
        if p.data.residential {
            assert!((1800..=14000).contains(&area), "{area}");
            assert!((1..=4).contains(&p.data.rooms.unwrap()));
            let b = &c.buildings[p.building];
            assert!(p.data.floor.unwrap() <= b.floors.unwrap());
            assert!(p.data.entrance.unwrap() <= b.entrances.unwrap());
        } else {
            assert!(p.data.number.ends_with('Н') && p.data.floor == Some(1));
        }
    }
    let mut account_share: HashMap<usize, i32> = HashMap::new();
    let mut owner_share: HashMap<usize, i32> = HashMap::new();
    let mut holders: HashMap<usize, usize> = HashMap::new();
    for a in &c.accounts {
        assert!(a.premises < c.premises.len());
        *account_share.entry(a.premises).or_default() += 2 * a.data.share.num / a.data.share.den;
        let b = &c.buildings[c.premises[a.premises].building];
        assert!(a.data.opened_on >= b.managed_since.unwrap() && a.data.opened_on <= AS_OF);
    }
    // Every premises is covered by its accounts exactly once (in halves).
    assert_eq!(account_share.len(), c.premises.len());
    assert!(account_share.values().all(|&s| s == 2));
    let mut linked = vec![false; c.persons.len()];
    for l in &c.links {
        assert!(l.account < c.accounts.len() && l.person < c.persons.len());
        linked[l.person] = true;
        match l.role {
            LinkRole::Owner => {
                let s = l.share.unwrap();
                assert!(s == Share::WHOLE || s == (Share { num: 1, den: 2 }));
                *owner_share
                    .entry(c.accounts[l.account].premises)
                    .or_default() += 2 * s.num / s.den;
                *holders.entry(l.account).or_default() += 1;
            }
            LinkRole::Tenant => {
                assert!(l.share.is_none());
                *holders.entry(l.account).or_default() += 1;
            }
            _ => assert!(l.share.is_none()),
        }
    }
    assert!(
        linked.iter().all(|&x| x),
        "every person is tied to an account"
    );
    assert_eq!(
        holders.len(),
        c.accounts.len(),
        "every account has an owner or a tenant"
    );
    assert!(holders.values().all(|&n| (1..=2).contains(&n)));
    // Owned premises: the owners' shares make the whole.
    assert!(owner_share.values().all(|&s| s == 2));
    for b in &c.benefits {
        assert!(b.person < c.persons.len());
    }
}

#[test]
fn families_agree_in_gender_and_name() {
    let c = company();
    for p in &c.persons {
        let m = p.middle_name.as_deref().unwrap();
        let female = m.ends_with("на");
        assert!(female || m.ends_with("ич"), "{}", p.full_name());
        let first_female =
            p.first_name.ends_with('а') || p.first_name.ends_with('я') || p.first_name == "Любовь";
        let male_in_a =
            ["Илья", "Никита", "Кузьма", "Фома", "Савва"].contains(&p.first_name.as_str());
        assert_eq!(female, first_female && !male_in_a, "{}", p.full_name());
        if p.last_name.ends_with("ов")
            || p.last_name.ends_with("ин")
            || p.last_name.ends_with("ский")
        {
            assert!(!female, "{}", p.full_name());
        }
        if p.last_name.ends_with("ова") || p.last_name.ends_with("ская") {
            assert!(female, "{}", p.full_name());
        }
    }
    // Registered members of one account mostly share the surname stem.
    let mut by_account: HashMap<usize, Vec<usize>> = HashMap::new();
    for l in c.links.iter().filter(|l| l.role == LinkRole::Registered) {
        by_account.entry(l.account).or_default().push(l.person);
    }
    for people in by_account.values() {
        let stem = |i: &usize| {
            let s = &c.persons[*i].last_name;
            s.trim_end_matches("ая")
                .trim_end_matches('а')
                .trim_end_matches("ий")
                .trim_end_matches("ой")
                .to_string()
        };
        let first = stem(&people[0]);
        assert!(people.iter().all(|p| stem(p) == first), "{people:?}");
        assert!(people.len() <= 4);
    }
}
