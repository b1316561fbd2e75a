//! The organization's details (реквизиты) an administrator enters in the settings: checked
//! before saving, because documents and the payment QR code print them as they are.

use crate::payment_qr::{correspondent_account_ok, settlement_account_ok};
use crate::ValidationErrors;

/// Checks the `org.*` details; `get` returns a setting's trimmed value ("" when empty).
/// Empty details are allowed (a new installation has none yet); filled ones must be well formed.
pub fn validate_details(get: impl Fn(&str) -> String) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let inn = get("org.inn");
    if !inn.is_empty() {
        if !digits(&inn) || !(inn.len() == 10 || inn.len() == 12) {
            e.add(
                "org.inn",
                "ИНН — 10 цифр у организации или 12 у предпринимателя: проверьте число цифр.",
            );
        } else if !inn_key_ok(&inn) {
            e.add(
                "org.inn",
                "ИНН не проходит проверку контрольной цифры: сверьте его с выпиской ЕГРЮЛ.",
            );
        }
    }
    let mut fixed = |key: &str, label: &str, lens: &[usize]| {
        let v = get(key);
        if !v.is_empty() && (!digits(&v) || !lens.contains(&v.len())) {
            let n = lens
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(" или ");
            e.add(
                key,
                format!("{label} — {n} цифр, без пробелов и букв; сейчас: «{v}»."),
            );
        }
    };
    fixed("org.kpp", "КПП", &[9]);
    fixed("org.ogrn", "ОГРН", &[13, 15]);
    fixed("org.bic", "БИК", &[9]);
    fixed("org.corr_account", "Корреспондентский счёт", &[20]);
    fixed("org.settlement_account", "Расчётный счёт", &[20]);
    let (bic, corr, settle) = (
        get("org.bic"),
        get("org.corr_account"),
        get("org.settlement_account"),
    );
    let well = |s: &str, n: usize| digits(s) && s.len() == n;
    if well(&bic, 9) && well(&settle, 20) && !settlement_account_ok(&bic, &settle) {
        e.add(
            "org.settlement_account",
            "Расчётный счёт не сходится с БИК по контрольному ключу: проверьте оба реквизита.",
        );
    }
    if well(&bic, 9) && well(&corr, 20) && !correspondent_account_ok(&bic, &corr) {
        e.add("org.corr_account", "Корреспондентский счёт не сходится с БИК по контрольному ключу: проверьте оба реквизита.");
    }
    let email = get("org.email");
    let email_ok = email.contains('@')
        && !email.contains(' ')
        && email.rsplit('@').next().is_some_and(|d| d.contains('.'));
    if !email.is_empty() && !email_ok {
        e.add(
            "org.email",
            "Адрес эл. почты вида info@uk-example.ru: проверьте написание.",
        );
    }
    e
}

/// Control digits of an ИНН (10 or 12 digits, already checked to be digits).
fn inn_key_ok(inn: &str) -> bool {
    let d: Vec<u32> = inn.bytes().map(|b| u32::from(b - b'0')).collect();
    let key = |w: &[u32]| w.iter().zip(&d).map(|(w, x)| w * x).sum::<u32>() % 11 % 10;
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    match d.len() {
        10 => key(&W10) == d[9],
        12 => key(&W11) == d[10] && key(&W12) == d[11],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn check(pairs: &[(&str, &str)]) -> ValidationErrors {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        validate_details(|k| m.get(k).cloned().unwrap_or_default())
    }

    #[test]
    fn empty_details_pass_and_bad_ones_are_named() {
        assert!(check(&[]).is_empty());
        // ИНН of Сбербанк (7707083893) is valid; a changed last digit is not.
        assert!(check(&[("org.inn", "7707083893"), ("org.kpp", "773601001")]).is_empty());
        let e = check(&[
            ("org.inn", "7707083894"),
            ("org.kpp", "77360100"),
            ("org.ogrn", "12345"),
            ("org.bic", "04452522A"),
            ("org.settlement_account", "4070281"),
        ]);
        for f in [
            "org.inn",
            "org.kpp",
            "org.ogrn",
            "org.bic",
            "org.settlement_account",
        ] {
            assert!(e.for_field(f).is_some(), "{f}: {e}");
        }
        assert!(e.for_field("org.kpp").unwrap().contains("9 цифр"));
        assert!(check(&[("org.inn", "12345")])
            .for_field("org.inn")
            .unwrap()
            .contains("10 цифр"));
    }
}
