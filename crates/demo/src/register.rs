//! Bank payment registers for the demo company, benchmarks and fault tests.

use std::fmt::Write as _;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A register in the common layout (regulations §9), windows-1251, `lines` payments to the
/// given accounts (every hundredth to an unknown number), with its totals line.
pub fn bank_register(numbers: &[String], lines: usize, seed: u64) -> Vec<u8> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut s = String::with_capacity(lines * 150);
    let mut sum = 0i64;
    for i in 0..lines {
        let account = if i % 100 == 99 || numbers.is_empty() {
            format!("9{:08}", i)
        } else {
            numbers[rng.gen_range(0..numbers.len())].clone()
        };
        let amount: i64 = rng.gen_range(10_000..900_000);
        sum += amount;
        let day = 1 + i % 28;
        let _ = write!(
            s,
            "{day:02}-11-2026;{:02}-{:02}-00;7003/{:04};{};{};{account};Иванов Иван Иванович;г. Екатеринбург, ул. Ленина, д. 5, кв. {};1026;{},{:02};{},{:02};0,00\r\n",
            8 + i % 12,
            i % 60,
            i % 900,
            i % 40,
            9_000_000 + i,
            1 + i % 200,
            amount / 100,
            amount % 100,
            amount / 100,
            amount % 100
        );
    }
    let total = format!("{},{:02}", sum / 100, sum % 100);
    let _ = write!(s, "={lines};{total};{total};0,00;1;30-11-2026\r\n");
    encoding_rs::WINDOWS_1251.encode(&s).0.into_owned()
}
