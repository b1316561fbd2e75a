//! The same seed gives the same company; chunks add up to the whole.

use abonent_demo::{generate, generate_in_chunks, DemoCompany, DemoConfig};

#[test]
fn same_seed_same_company_other_seed_other_company() {
    let cfg = DemoConfig {
        accounts: 3_000,
        seed: 42,
    };
    let a = generate(&cfg);
    let b = generate(&cfg);
    assert_eq!(a, b);
    let c = generate(&DemoConfig { seed: 43, ..cfg });
    assert_ne!(a.buildings, c.buildings);
    assert_ne!(a.persons, c.persons);
}

#[test]
fn chunks_add_up_to_the_whole() {
    let cfg = DemoConfig {
        accounts: 3_000,
        seed: 5,
    };
    let whole = generate(&cfg);
    for per in [1, 7, 1000] {
        let mut sum = DemoCompany::default();
        let mut sizes = Vec::new();
        generate_in_chunks(&cfg, per, |chunk| {
            sizes.push(chunk.buildings.len());
            // Indexes are local to the chunk.
            assert!(chunk
                .premises
                .iter()
                .all(|p| p.building < chunk.buildings.len()));
            assert!(chunk
                .accounts
                .iter()
                .all(|a| a.premises < chunk.premises.len()));
            assert!(chunk
                .links
                .iter()
                .all(|l| l.account < chunk.accounts.len() && l.person < chunk.persons.len()));
            assert!(chunk
                .benefits
                .iter()
                .all(|b| b.person < chunk.persons.len()));
            sum.append(chunk);
        });
        assert!(sizes[..sizes.len() - 1].iter().all(|&n| n == per));
        assert_eq!(sum, whole, "chunks of {per}");
    }
}

#[test]
fn small_and_empty_companies() {
    let empty = generate(&DemoConfig {
        accounts: 0,
        seed: 1,
    });
    assert_eq!(empty, DemoCompany::default());
    for n in [1, 5, 17, 60] {
        let c = generate(&DemoConfig {
            accounts: n,
            seed: 3,
        });
        assert!(
            c.accounts.len() >= n && c.accounts.len() <= n + n / 5 + 6,
            "{n}: {}",
            c.accounts.len()
        );
    }
}
