//! Control key of a bank account against the BIC (Bank of Russia rules on account
//! numbering, «Порядок расчёта контрольного ключа»): the 3-digit prefix + the 20-digit
//! account are weighted 7,1,3,7,1,3…; the sum of the products must end in 0.

const WEIGHTS: [u32; 3] = [7, 1, 3];

fn key_ok(prefix: &str, account: &str) -> bool {
    let sum: u32 = prefix
        .chars()
        .chain(account.chars())
        .zip(WEIGHTS.iter().cycle())
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let last_digit = sum % 10;
    last_digit == 0
}

fn well_formed(bic: &str, account: &str) -> bool {
    bic.len() == 9
        && account.len() == 20
        && bic
            .chars()
            .chain(account.chars())
            .all(|c| c.is_ascii_digit())
}

/// A settlement account opened in a credit institution: prefix = the last 3 digits of the
/// BIC. For an account in a Bank of Russia subdivision (BIC ending «000»…«002») the prefix is
/// «0» + digits 5–6 of the BIC. `false` also for malformed input.
pub fn settlement_account_ok(bic: &str, account: &str) -> bool {
    if !well_formed(bic, account) {
        return false;
    }
    let tail = &bic[6..9];
    if matches!(tail, "000" | "001" | "002") {
        key_ok(&format!("0{}", &bic[4..6]), account)
    } else {
        key_ok(tail, account)
    }
}

/// A correspondent account: prefix = «0» + digits 5–6 of the BIC.
pub fn correspondent_account_ok(bic: &str, account: &str) -> bool {
    well_formed(bic, account) && key_ok(&format!("0{}", &bic[4..6]), account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regulations_example_passes() {
        assert!(settlement_account_ok("044525225", "40702810138250123017"));
        assert!(correspondent_account_ok(
            "044525225",
            "30101810400000000225"
        ));
    }

    #[test]
    fn any_single_digit_change_of_the_key_fails() {
        let acc = "40702810138250123017";
        for k in '0'..='9' {
            let mut changed: Vec<char> = acc.chars().collect();
            if changed[8] == k {
                continue;
            }
            changed[8] = k;
            let changed: String = changed.into_iter().collect();
            assert!(!settlement_account_ok("044525225", &changed), "{changed}");
        }
        // The same account does not fit another bank's BIC.
        assert!(!settlement_account_ok("044525593", acc));
        assert!(!correspondent_account_ok(
            "044525225",
            "30101810400000000226"
        ));
    }

    #[test]
    fn malformed_input_is_not_ok() {
        assert!(!settlement_account_ok("04452522", "40702810138250123017"));
        assert!(!settlement_account_ok("044525225", "4070281013825012301"));
        assert!(!settlement_account_ok("04452522X", "40702810138250123017"));
        assert!(!correspondent_account_ok(
            "044525225",
            "3010181040000000022A"
        ));
    }
}
