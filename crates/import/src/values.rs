//! Cell values as 1С and Excel write them, turned into what the domain forms accept.

use abonent_domain::registry::LinkRole;
use abonent_domain::text::fold;

/// Role words seen in registries: «собственник», «Наниматель (соц. найм)», «прописан».
pub(crate) fn role(v: &str) -> Option<LinkRole> {
    let f = fold(v);
    let f = f.trim();
    if let Some(r) = LinkRole::from_code(f) {
        return Some(r);
    }
    let starts = |ps: &[&str]| ps.iter().any(|p| f.starts_with(p));
    if starts(&["собств", "владел", "сособств"]) {
        Some(LinkRole::Owner)
    } else if starts(&["нанимат", "арендат", "съемщик"]) {
        Some(LinkRole::Tenant)
    } else if starts(&["зарегистр", "прописан", "проживающ", "жилец", "член семьи"])
    {
        Some(LinkRole::Registered)
    } else if starts(&["представ", "доверен", "опекун", "законный представ"])
    {
        Some(LinkRole::Representative)
    } else {
        None
    }
}

/// `да`/`нет`, `жилое`/`нежилое`, `квартира`/`офис`. `None` when not recognised.
pub(crate) fn residential(v: &str) -> Option<bool> {
    let f = fold(v);
    let f = f.trim().trim_end_matches('.');
    if f.starts_with("нежил")
        || [
            "нет",
            "0",
            "false",
            "н",
            "офис",
            "магазин",
            "кладовая",
            "машиноместо",
            "паркинг",
        ]
        .contains(&f)
    {
        Some(false)
    } else if f.starts_with("жил")
        || f.starts_with("кв")
        || ["да", "1", "true", "ж", "комната"].contains(&f)
    {
        Some(true)
    } else {
        None
    }
}

/// Excel turns «1/2» typed into a cell into 0.5 when the cell is a number: give the
/// fraction back. Anything else is passed on for the domain to judge.
pub(crate) fn share(v: &str) -> String {
    let Ok(x) = v.replace(',', ".").parse::<f64>() else {
        return v.to_string();
    };
    if x <= 0.0 || x >= 1.0 || v.contains('/') {
        return v.to_string();
    }
    (2..=100)
        .find_map(|den| {
            let num = (x * den as f64).round();
            ((num / den as f64 - x).abs() < 1e-4).then(|| format!("{num}/{den}"))
        })
        .unwrap_or_else(|| v.to_string())
}

/// 1С writes dates as `27.11.2026 0:00:00`; the time is noise.
pub(crate) fn date(v: &str) -> String {
    match v.split_once(' ') {
        Some((d, t)) if t.contains(':') && abonent_domain::registry::parse_date(d).is_some() => {
            d.to_string()
        }
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(role("Собственник"), Some(LinkRole::Owner));
        assert_eq!(role(" НАНИМАТЕЛЬ (соц. найм)"), Some(LinkRole::Tenant));
        assert_eq!(role("зарегистрирован"), Some(LinkRole::Registered));
        assert_eq!(role("Зарегистрированный"), Some(LinkRole::Registered));
        assert_eq!(role("представитель"), Some(LinkRole::Representative));
        assert_eq!(role("owner"), Some(LinkRole::Owner));
        assert_eq!(role("сосед"), None);
    }

    #[test]
    fn residential_values() {
        assert_eq!(residential("Жилое"), Some(true));
        assert_eq!(residential("нежилое"), Some(false));
        assert_eq!(residential("Квартира"), Some(true));
        assert_eq!(residential("нет"), Some(false));
        assert_eq!(residential("может быть"), None);
    }

    #[test]
    fn shares_and_dates() {
        assert_eq!(share("0.5"), "1/2");
        assert_eq!(share("0,3333333333"), "1/3");
        assert_eq!(share("1/4"), "1/4");
        assert_eq!(share("1"), "1");
        assert_eq!(date("27.11.2026 0:00:00"), "27.11.2026");
        assert_eq!(date("вчера вечером"), "вчера вечером");
    }
}
