//! The one history renderer every card uses (accounts, people, buildings, premises,
//! appeals, letters, departments…): each entry in Russian, references as links named by what
//! they point at, and the 152-ФЗ views of personal data apart from the changes.

mod fields;
mod values;

use std::collections::BTreeSet;

use abonent_app::{App, AppError};
use abonent_storage::history::HistoryEntry;
use abonent_storage::labels::{self, RecordRef};
use serde_json::Value;

use values::{reference, target, Context};
pub use values::{Names, Shown};

/// What a history entry shows in place of values erased under 152-ФЗ.
pub const ERASED: &str = "данные удалены (152-ФЗ)";

/// One history entry as shown on a card.
pub struct HistoryView {
    pub at: String,
    pub who: String,
    pub what: String,
    pub note: String,
    pub rows: Vec<HistoryRow>,
    /// A view of personal data (152-ФЗ), listed apart from the changes.
    pub view: bool,
    /// The first of the views: they follow the changes, and the list of them starts here.
    pub first_view: bool,
}

/// One changed field: its name, the value before and after.
pub struct HistoryRow {
    pub field: &'static str,
    pub before: Shown,
    pub after: Shown,
}

/// The entries of a card, with the records they name looked up.
pub async fn show(app: &App, entries: &[HistoryEntry]) -> Result<Vec<HistoryView>, AppError> {
    let tz = app.zone().await?;
    let (wanted, rules_wanted) = referenced(entries);
    let mut names = Names {
        records: labels::names(&app.db, &wanted).await?,
        ..Names::default()
    };
    if !rules_wanted.is_empty() {
        let reference = app.appeals.reference(&app.db).await?;
        names.rules = reference
            .rules
            .iter()
            .filter(|r| rules_wanted.contains(&r.code))
            .map(|r| (r.code.clone(), r.title.clone()))
            .collect();
    }
    Ok(render(entries, &Context { tz, names: &names }))
}

/// The entries without looking anything up: references are named by their kind.
#[cfg(test)]
fn render_bare(entries: &[HistoryEntry], tz: chrono_tz::Tz) -> Vec<HistoryView> {
    render(
        entries,
        &Context {
            tz,
            names: &Names::default(),
        },
    )
}

/// The records and the deadline rules `entries` refer to.
fn referenced(entries: &[HistoryEntry]) -> (BTreeSet<(RecordRef, i64)>, BTreeSet<String>) {
    let mut records = BTreeSet::new();
    let mut rules = BTreeSet::new();
    let objects = entries
        .iter()
        .flat_map(|e| [&e.before, &e.after])
        .filter_map(|v| v.as_ref()?.as_object());
    for o in objects {
        for (k, v) in o {
            if let Some(kind) = reference(k) {
                match v {
                    Value::Array(a) => {
                        records.extend(a.iter().filter_map(Value::as_i64).map(|id| (kind, id)))
                    }
                    other => records.extend(other.as_i64().map(|id| (kind, id))),
                }
            } else if k == "assigned" {
                records.extend(target(v));
            } else if k == "deadline_rule" || k == "localisation_rule" {
                rules.extend(v.as_str().map(str::to_string));
            }
        }
    }
    (records, rules)
}

/// The changes, then the views (each newest first), so that many views never push a change
/// out of sight.
fn render(entries: &[HistoryEntry], ctx: &Context) -> Vec<HistoryView> {
    let (mut out, views): (Vec<_>, Vec<_>) =
        entries.iter().map(|e| entry(e, ctx)).partition(|v| !v.view);
    let first = out.len();
    out.extend(views);
    if let Some(v) = out.get_mut(first) {
        v.first_view = true;
    }
    out
}

fn entry(e: &HistoryEntry, ctx: &Context) -> HistoryView {
    let empty = serde_json::Map::new();
    let object = |v: &Option<Value>| v.as_ref().and_then(|v| v.as_object()).cloned();
    let after = object(&e.after).unwrap_or_else(|| empty.clone());
    let before = object(&e.before).unwrap_or(empty);
    // Values sealed with a person's key that erasure deleted (storage::personal).
    let erased = [e.before.as_ref(), e.after.as_ref()]
        .into_iter()
        .flatten()
        .any(abonent_storage::personal::is_erased);
    let mut rows = Vec::new();
    if !erased {
        let keys = after
            .keys()
            .chain(before.keys().filter(|k| !after.contains_key(*k)));
        for k in keys.filter(|k| !fields::hidden(k)) {
            let shown = |m: &serde_json::Map<String, Value>| match m.get(k) {
                Some(v) => values::show(&e.entity, k, v, ctx),
                None => Shown::text("—"),
            };
            rows.push(HistoryRow {
                field: fields::field_title(&e.entity, k),
                before: shown(&before),
                after: shown(&after),
            });
        }
    }
    let note = match (erased, e.note.clone()) {
        (true, None) => ERASED.to_string(),
        (_, n) => n.unwrap_or_default(),
    };
    let action = fields::action_title(&e.action);
    HistoryView {
        at: crate::format::instant(&e.at, ctx.tz).unwrap_or_default(),
        who: e.actor_name.clone(),
        what: if e.action == "view" {
            action.to_string()
        } else {
            format!("{action}: {}", fields::entity_title(&e.entity))
        },
        note,
        rows,
        view: e.action == "view",
        first_view: false,
    }
}

#[cfg(test)]
mod tests;
