//! The personal-data access log as the auditor reads it: filters, pages, a workbook.

use std::collections::BTreeMap;

use abonent_domain::registry::parse_date;
use abonent_domain::ValidationErrors;
use abonent_storage::pd_access::{self, AccessEntry, AccessFilter, RecordKind};
use abonent_storage::registry::{Page, PageReq};
use chrono::{NaiveDate, TimeZone};

use super::table::{self, Table};
use crate::{App, AppError};

/// The filters as typed: person (id), staff member (as logged), the page or API call (its
/// beginning), the period (dates in the organization's time zone, both inclusive).
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub person_id: Option<i64>,
    /// A record named by the entry: `record_kind` (`appeal`, `incoming_letter`,
    /// `outgoing_letter`, `message`) and `record_id`.
    pub record: Option<(RecordKind, i64)>,
    pub actor: Option<String>,
    pub via: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl LogQuery {
    /// Reads `person`, `record_kind` with `record_id`, `actor`, `via`, `from`, `to`; an unreadable value is named.
    pub fn parse(q: &BTreeMap<String, String>) -> Result<LogQuery, ValidationErrors> {
        let v = |k: &str| q.get(k).map(|s| s.trim()).unwrap_or("");
        let text = |k: &str| Some(v(k).to_string()).filter(|s| !s.is_empty());
        let mut e = ValidationErrors::new();
        let person_id = match v("person") {
            "" => None,
            s => match s.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add(
                        "person",
                        format!("Номер человека — целое число, например 42; сейчас: «{s}»."),
                    );
                    None
                }
            },
        };
        let record_kind = match v("record_kind") {
            "" => None,
            s => match RecordKind::from_code(s) {
                Some(k) => Some(k),
                None => {
                    e.add(
                        "record_kind",
                        format!(
                            "Вид записи — appeal, incoming_letter, outgoing_letter или message; \
                             сейчас: «{s}»."
                        ),
                    );
                    None
                }
            },
        };
        let record_id: Option<i64> = match v("record_id") {
            "" => None,
            s => match s.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add(
                        "record_id",
                        format!("Номер записи — целое число, например 17; сейчас: «{s}»."),
                    );
                    None
                }
            },
        };
        if record_id.is_some() && v("record_kind").is_empty() {
            e.add("record_kind", "Укажите вид записи вместе с её номером.");
        }
        let mut date = |k: &str, label: &str| match v(k) {
            "" => None,
            s => match parse_date(s) {
                Some(d) => Some(d),
                None => {
                    e.add(
                        k,
                        format!("Укажите дату «{label}» как 01.01.2026; сейчас: «{s}»."),
                    );
                    None
                }
            },
        };
        let from = date("from", "с");
        let to = date("to", "по");
        if !e.is_empty() {
            return Err(e);
        }
        Ok(LogQuery {
            person_id,
            record: record_kind.zip(record_id),
            actor: text("actor"),
            via: text("via"),
            from,
            to,
        })
    }

    async fn filter(&self, app: &App) -> Result<AccessFilter, AppError> {
        let tz = app.zone().await?;
        let start = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| abonent_storage::time::fmt(t.with_timezone(&chrono::Utc)))
        };
        Ok(AccessFilter {
            person_id: self.person_id,
            record: self.record,
            actor_name: self.actor.clone(),
            via: self.via.clone(),
            from: self.from.and_then(start),
            until: self.to.and_then(|d| d.succ_opt()).and_then(start),
        })
    }
}

/// One page of the log, newest first.
pub async fn page(app: &App, q: &LogQuery, page: PageReq) -> Result<Page<AccessEntry>, AppError> {
    Ok(pd_access::list(&app.db, &q.filter(app).await?, page).await?)
}

/// Everyone who appears in the log as the one who asked (the staff filter's choices).
pub async fn actors(app: &App) -> Result<Vec<String>, AppError> {
    Ok(pd_access::actors(&app.db).await?)
}

/// Every entry matching `q` (newest first), page by page.
pub async fn all(app: &App, q: &LogQuery) -> Result<Vec<AccessEntry>, AppError> {
    let f = q.filter(app).await?;
    let mut out = Vec::new();
    for n in 1.. {
        let p = pd_access::list(&app.db, &f, PageReq::new(Some(n), Some(500))).await?;
        let last = n >= p.pages();
        out.extend(p.items);
        if last {
            break;
        }
    }
    Ok(out)
}

/// «Кто, когда, через что, кого» as rows, instants in the organization's time zone.
pub fn rows(entries: &[AccessEntry], tz: chrono_tz::Tz) -> Vec<Vec<String>> {
    entries
        .iter()
        .map(|e| {
            vec![
                table::local(&e.at, tz),
                e.actor_name.clone(),
                e.via.clone(),
                e.people.len().to_string(),
                e.people
                    .iter()
                    .map(|p| format!("{} (№ {})", p.full_name, p.id))
                    .collect::<Vec<_>>()
                    .join("; "),
                e.records
                    .iter()
                    .map(super::record_title)
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect()
}

/// The columns of [`rows`].
pub fn columns() -> Vec<(&'static str, f64)> {
    vec![
        ("Когда", 20.0),
        ("Кто", 32.0),
        ("Через что", 32.0),
        ("Людей", 8.0),
        ("Кого", 80.0),
        ("Какие записи", 60.0),
    ]
}

/// The log matching `q` as an XLSX workbook. The log names people but shows nothing else
/// about them, so reading it is not itself logged (see docs/SECURITY.md).
pub async fn workbook(app: &App, q: &LogQuery) -> Result<Vec<u8>, AppError> {
    let entries = all(app, q).await?;
    let tz = app.zone().await?;
    table::workbook(&[Table {
        name: "Журнал доступа к ПДн",
        columns: columns(),
        rows: rows(&entries, tz),
    }])
}
