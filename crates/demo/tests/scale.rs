//! A company of 100 000 accounts: its size, its proportions and how fast it is made.

use std::collections::HashSet;
use std::time::Instant;

use abonent_demo::{generate, DemoConfig};
use abonent_domain::registry::LinkRole;

#[test]
fn hundred_thousand_accounts() {
    let start = Instant::now();
    let c = generate(&DemoConfig {
        accounts: 100_000,
        seed: 2026,
    });
    let took = start.elapsed();
    let n = c.accounts.len();
    println!(
        "generated {n} accounts, {} buildings, {} premises, {} persons, {} links, {} benefits in {took:?}",
        c.buildings.len(),
        c.premises.len(),
        c.persons.len(),
        c.links.len(),
        c.benefits.len()
    );
    assert!((90_000..=110_000).contains(&n), "{n}");
    assert!(
        (1_600..=2_400).contains(&c.buildings.len()),
        "{}",
        c.buildings.len()
    );
    let numbers: HashSet<&str> = c.accounts.iter().map(|a| a.data.number.as_str()).collect();
    assert_eq!(numbers.len(), n);
    assert!(numbers
        .iter()
        .all(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())));

    // Proportions the brief asks for, with room for chance.
    let ratio = |part: usize, whole: usize| part as f64 / whole as f64;
    let nonres = c.premises.iter().filter(|p| !p.data.residential).count();
    println!("non-residential {:.3}", ratio(nonres, c.premises.len()));
    assert!((0.015..=0.05).contains(&ratio(nonres, c.premises.len())));
    let halves = c.accounts.iter().filter(|a| a.data.share.den == 2).count();
    println!(
        "flats with two accounts {:.3}",
        ratio(halves / 2, c.premises.len())
    );
    assert!((0.035..=0.065).contains(&ratio(halves / 2, c.premises.len())));
    let tenants: HashSet<usize> = c
        .links
        .iter()
        .filter(|l| l.role == LinkRole::Tenant)
        .map(|l| l.account)
        .collect();
    println!("tenant accounts {:.3}", ratio(tenants.len(), n));
    assert!((0.06..=0.14).contains(&ratio(tenants.len(), n)));
    let phone = c.persons.iter().filter(|p| !p.phones.is_empty()).count();
    let email = c.persons.iter().filter(|p| p.email.is_some()).count();
    println!(
        "phone {:.3}, e-mail {:.3}, benefits {:.3}",
        ratio(phone, c.persons.len()),
        ratio(email, c.persons.len()),
        ratio(c.benefits.len(), c.persons.len())
    );
    assert!((0.8..=0.9).contains(&ratio(phone, c.persons.len())));
    assert!((0.3..=0.5).contains(&ratio(email, c.persons.len())));
    assert!((0.06..=0.10).contains(&ratio(c.benefits.len(), c.persons.len())));
    let phones: HashSet<&str> = c
        .persons
        .iter()
        .flat_map(|p| p.phones.iter().map(String::as_str))
        .collect();
    let all_phones: usize = c.persons.iter().map(|p| p.phones.len()).sum();
    assert_eq!(phones.len(), all_phones, "phones are unique");
}
