//! Decimal numbers as people write them («12,345», «1 234.5») to fixed-point integers.

/// Decimals kept for volumes and norms.
pub const VOLUME_PLACES: u32 = 6;
/// Decimals of a ruble kept for prices.
pub const PRICE_PLACES: u32 = 4;

/// `text` with at most `places` decimals as an integer of 10^-places; a Russian message
/// otherwise.
pub fn parse_fixed(text: &str, places: u32) -> Result<i64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let t = t.replace(',', ".");
    let (neg, digits) = t
        .strip_prefix('-')
        .map_or((false, t.as_str()), |d| (true, d));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !ok {
        return Err(format!(
            "«{}» — не число: пишите цифры и запятую, например 12,345",
            text.trim()
        ));
    }
    if frac.len() > places as usize {
        return Err(format!(
            "«{}»: не больше {places} знаков после запятой",
            text.trim()
        ));
    }
    let scale = 10i64.pow(places);
    let frac_value: i64 = format!("{frac:0<width$}", width = places as usize)
        .parse()
        .unwrap_or(0);
    let value = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(scale))
        .and_then(|w| w.checked_add(frac_value))
        .ok_or_else(|| format!("«{}» — слишком большое число", text.trim()))?;
    Ok(if neg { -value } else { value })
}

/// `value` of 10^-places written with a comma and without trailing zeros beyond `min`
/// decimals: `format_fixed(45_870_0, 4, 2)` = «45,87».
pub fn format_fixed(value: i64, places: u32, min: u32) -> String {
    let scale = 10u64.pow(places);
    let abs = value.unsigned_abs();
    let mut frac = format!("{:0width$}", abs % scale, width = places as usize);
    while frac.len() > min as usize && frac.ends_with('0') {
        frac.pop();
    }
    let sign = if value < 0 { "-" } else { "" };
    let whole = crate::money::format_count((abs / scale) as i64);
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole},{frac}")
    }
}
