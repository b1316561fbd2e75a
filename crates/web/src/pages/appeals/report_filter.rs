//! The journal's filters that the reports' figures link with (issue 18): registered within
//! days of the organization's time zone, a channel, a category with its subcategories, no
//! category or building, where the appeal stands against its deadline, a rating. The form
//! of the journal keeps them (hidden) and says above the table what they select.

use abonent_app::reports::appeals::outcome_title;
use abonent_domain::appeal::Channel;
use abonent_storage::appeals::outcome::Outcome;
use abonent_storage::appeals::AppealFilter;
use chrono::NaiveDate;

use crate::views::ListQuery;

/// The query parameters of these filters.
pub const PARAMS: [&str; 7] = [
    "registered_from",
    "registered_to",
    "channel",
    "category_group",
    "without",
    "outcome",
    "rating",
];

fn date(v: &str) -> Option<NaiveDate> {
    abonent_app::reports::date(v.trim())
}

/// Adds the filters given in `q` to `f`; a value that does not parse is left out.
pub fn extend(q: &ListQuery, f: &mut AppealFilter) {
    f.registered_from = date(q.get("registered_from"));
    f.registered_to = date(q.get("registered_to"));
    f.channel = Channel::from_code(q.get("channel")).map(|c| c.code().to_string());
    f.category_group = q.get("category_group").parse().ok();
    f.without = match q.get("without") {
        w @ ("category" | "building") => Some(w.to_string()),
        _ => None,
    };
    f.outcome = Outcome::parse(q.get("outcome"));
    f.rating = q.get("rating").parse().ok().filter(|r| (1..=5).contains(r));
}

/// What the filters select, as people read it (empty: none given), and the pairs the form
/// keeps.
pub fn describe(q: &ListQuery) -> (String, Vec<(String, String)>) {
    let mut f = AppealFilter::default();
    extend(q, &mut f);
    let mut parts = Vec::new();
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%d.%m.%Y").to_string());
    match (day(f.registered_from), day(f.registered_to)) {
        (Some(a), Some(b)) => parts.push(format!("зарегистрированы {a} — {b}")),
        (Some(a), None) => parts.push(format!("зарегистрированы с {a}")),
        (None, Some(b)) => parts.push(format!("зарегистрированы по {b}")),
        _ => {}
    }
    if let Some(c) = f.channel.as_deref().and_then(Channel::from_code) {
        parts.push(format!("канал: {}", c.title().to_lowercase()));
    }
    if f.category_group.is_some() {
        parts.push("категория с подкатегориями".into());
    }
    match f.without.as_deref() {
        Some("category") => parts.push("без категории".into()),
        Some("building") => parts.push("без дома".into()),
        _ => {}
    }
    if let Some(o) = f.outcome {
        parts.push(outcome_title(o).to_lowercase());
    }
    if let Some(r) = f.rating {
        parts.push(format!("оценка {r}"));
    }
    let keep = PARAMS
        .iter()
        .filter(|k| !q.get(k).is_empty())
        .map(|k| (k.to_string(), q.get(k).to_string()))
        .collect();
    (parts.join("; "), keep)
}
