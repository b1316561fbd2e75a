//! Reading appeals: one card, and the lists of the views (my work, overdue, at risk,
//! emergencies, by building / department / contractor) with filters and search.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use abonent_domain::appeal::{words, Status};

use super::{open_condition, terms};
use crate::registry::{Page, PageReq};
use crate::{time, Db, Result, StoreError};

/// An appeal as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Appeal {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub channel: String,
    pub priority: String,
    pub status: String,
    pub category_id: Option<i64>,
    pub category_title: Option<String>,
    pub suggested_category: Option<String>,
    pub suggested_emergency: bool,
    pub building_id: Option<i64>,
    pub premises_id: Option<i64>,
    pub account_id: Option<i64>,
    pub person_id: Option<i64>,
    pub address: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_email: Option<String>,
    pub anonymous: bool,
    pub substance: String,
    pub received_at: String,
    pub registered_at: String,
    pub deadline_rule: Option<String>,
    pub deadline_at: Option<String>,
    pub department_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub executor_id: Option<i64>,
    pub result: Option<String>,
    pub done_at: Option<String>,
    pub closed_at: Option<String>,
    pub quality_ok: Option<bool>,
    pub quality_comment: Option<String>,
    pub rating: Option<i64>,
    pub not_fixed: bool,
    pub cause: Option<String>,
    pub responsible: Option<String>,
    pub parties: Option<String>,
    pub decision: Option<String>,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub reopen_count: i64,
    /// `person` (a resident), `organization` or a state body (59-ФЗ): see `NewAppeal`.
    pub sender_kind: String,
    /// The phone could not be recognised at intake: `applicant_phone` is as typed.
    pub phone_unchecked: bool,
    /// An emergency's localisation deadline (ПП 416 п. 13, 30 minutes), UTC, and when the
    /// damage was localised; `deadline_at` is then the elimination (3 сутки).
    pub localisation_rule: Option<String>,
    pub localisation_at: Option<String>,
    pub localised_at: Option<String>,
}

impl Appeal {
    /// Past its deadline while the clock runs.
    pub fn overdue(&self, now: &str) -> bool {
        Status::from_code(&self.status).is_some_and(Status::clock_runs)
            && self.deadline_at.as_deref().is_some_and(|d| d < now)
    }

    /// Not localised by the localisation deadline (still open, or localised late).
    pub fn localisation_overdue(&self, now: &str) -> bool {
        late(
            self.localisation_at.as_deref(),
            self.localised_at.as_deref(),
            now,
        )
    }
}

/// A deadline `due` missed: done after it, or not done and past it at `now`.
fn late(due: Option<&str>, done: Option<&str>, now: &str) -> bool {
    due.is_some_and(|d| done.unwrap_or(now) > d)
}

const COLS: &str = "a.id, a.number, a.kind, a.channel, a.priority, a.status, a.category_id, c.title, \
    a.suggested_category, a.suggested_emergency, a.building_id, a.premises_id, a.account_id, a.person_id, \
    a.address_text, b.street, b.house, p.number, a.applicant_name, a.applicant_phone, a.applicant_email, \
    a.anonymous, a.substance, a.received_at, a.registered_at, a.deadline_rule, a.deadline_at, \
    a.department_id, a.contractor_id, a.executor_id, a.result, a.done_at, a.closed_at, a.quality_ok, \
    a.quality_comment, a.rating, a.not_fixed, a.cause, a.responsible, a.parties, a.decision, \
    a.reject_reason, a.merged_into, a.reopen_count, a.sender_kind, a.phone_unchecked, \
    a.localisation_rule, a.localisation_at, a.localised_at";

const FROM: &str = "appeals a LEFT JOIN appeal_categories c ON c.id = a.category_id \
    LEFT JOIN buildings b ON b.id = a.building_id LEFT JOIN premises p ON p.id = a.premises_id";

fn address(
    street: Option<String>,
    house: Option<String>,
    flat: Option<String>,
    text: Option<String>,
) -> String {
    words::appeal_address(
        street.as_deref(),
        house.as_deref(),
        flat.as_deref(),
        text.as_deref(),
    )
}

fn from_row(r: &AnyRow) -> Appeal {
    let flag = |i: usize| r.get::<i64, _>(i) != 0;
    Appeal {
        id: r.get(0),
        number: r.get(1),
        kind: r.get(2),
        channel: r.get(3),
        priority: r.get(4),
        status: r.get(5),
        category_id: r.get(6),
        category_title: r.get(7),
        suggested_category: r.get(8),
        suggested_emergency: flag(9),
        building_id: r.get(10),
        premises_id: r.get(11),
        account_id: r.get(12),
        person_id: r.get(13),
        address: address(r.get(15), r.get(16), r.get(17), r.get(14)),
        applicant_name: r.get(18),
        applicant_phone: r.get(19),
        applicant_email: r.get(20),
        anonymous: flag(21),
        substance: r.get(22),
        received_at: r.get(23),
        registered_at: r.get(24),
        deadline_rule: r.get(25),
        deadline_at: r.get(26),
        department_id: r.get(27),
        contractor_id: r.get(28),
        executor_id: r.get(29),
        result: r.get(30),
        done_at: r.get(31),
        closed_at: r.get(32),
        quality_ok: r.get::<Option<i64>, _>(33).map(|v| v != 0),
        quality_comment: r.get(34),
        rating: r.get(35),
        not_fixed: flag(36),
        cause: r.get(37),
        responsible: r.get(38),
        parties: r.get(39),
        decision: r.get(40),
        reject_reason: r.get(41),
        merged_into: r.get(42),
        reopen_count: r.get(43),
        sender_kind: r.get(44),
        phone_unchecked: flag(45),
        localisation_rule: r.get(46),
        localisation_at: r.get(47),
        localised_at: r.get(48),
    }
}

pub async fn get(db: &Db, id: i64) -> Result<Appeal> {
    sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::NotFound(words::noun::appeal(id)))
}

/// Several appeals in one read, in the order of `ids`; an unknown id is an error naming it.
pub(crate) async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<Appeal>> {
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {COLS} FROM {FROM} WHERE a.id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(db.read()).await? {
            let a = from_row(&r);
            found.insert(a.id, a);
        }
    }
    ids.iter()
        .map(|id| {
            found
                .remove(id)
                .ok_or_else(|| StoreError::NotFound(words::noun::appeal(*id)))
        })
        .collect()
}

/// The same inside a transaction: sees the transaction's own changes.
pub(crate) async fn get_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Appeal> {
    sqlx::query(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| from_row(&r))
        .ok_or_else(|| StoreError::NotFound(words::noun::appeal(id)))
}

/// A row of a list.
#[derive(Debug, Clone, Serialize)]
pub struct AppealListItem {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub priority: String,
    pub status: String,
    pub category_title: Option<String>,
    pub address: String,
    pub substance: String,
    pub registered_at: String,
    pub deadline_at: Option<String>,
    /// An emergency's localisation deadline and when it was localised (see `Appeal`).
    pub localisation_at: Option<String>,
    pub localised_at: Option<String>,
    /// Past either deadline: `deadline_overdue` or an emergency not localised in time.
    pub overdue: bool,
    /// Past `deadline_at` while the clock runs.
    pub deadline_overdue: bool,
    /// Localised late, or not localised and past `localisation_at`.
    pub localisation_overdue: bool,
}

/// The ready-made views of the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Every appeal, newest first.
    #[default]
    All,
    /// Open ones, nearest deadline first.
    Open,
    /// Open and past the deadline.
    Overdue,
    /// Open and due within the next two hours (day-counted rules: by the end of the next day).
    AtRisk,
    /// Open, not yet overdue, and due by the end of today (the organization's day).
    DueToday,
    /// Open emergencies.
    Emergencies,
    /// Open ones where the user is the executor.
    Mine,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AppealFilter {
    pub view: View,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub category_id: Option<i64>,
    pub building_id: Option<i64>,
    pub department_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub executor_id: Option<i64>,
    pub person_id: Option<i64>,
    pub account_id: Option<i64>,
    /// Registered on or after this day of the organization's time zone (reports' links).
    pub registered_from: Option<chrono::NaiveDate>,
    /// Registered on or before this day (inclusive), organization's time zone.
    pub registered_to: Option<chrono::NaiveDate>,
    pub channel: Option<String>,
    /// A category or any of its subcategories.
    pub category_group: Option<i64>,
    /// `category` or `building`: the appeals without one.
    pub without: Option<String>,
    pub outcome: Option<super::outcome::Outcome>,
    pub rating: Option<i64>,
}

/// One page of a view; `user_id` is who asks (for «my work»).
pub async fn list(
    db: &Db,
    f: &AppealFilter,
    page: PageReq,
    user_id: Option<i64>,
) -> Result<Page<AppealListItem>> {
    let now = db.now();
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    let add = |sql: &str, b: Bind, conds: &mut Vec<String>, binds: &mut Vec<Bind>| {
        binds.push(b);
        conds.push(sql.replace('?', &format!("${}", binds.len())));
    };
    let open = open_condition();
    let mut order = "a.registered_at DESC, a.id DESC";
    // The Overdue view's condition, by position, and its two disjoint halves.
    let mut overdue: Option<(usize, [String; 2])> = None;
    match f.view {
        View::All => {}
        View::Open => {
            conds.push(open.clone());
            order = "a.deadline_at, a.id";
        }
        View::Overdue => {
            conds.push(open.clone());
            // Either deadline: the elimination (or the only one), or an emergency's
            // localisation not yet done. The page reads them in deadline order; the count
            // adds two disjoint counts, each along its own partial index (0011, 0017), as
            // one count of the OR would read every open appeal.
            binds.push(Bind::Text(time::fmt(now)));
            let n = binds.len();
            let by_deadline = format!("a.deadline_at < ${n}");
            let unlocalised = format!("a.localised_at IS NULL AND a.localisation_at < ${n}");
            conds.push(format!("({by_deadline} OR ({unlocalised}))"));
            overdue = Some((
                conds.len() - 1,
                [
                    by_deadline,
                    format!("{unlocalised} AND (a.deadline_at IS NULL OR a.deadline_at >= ${n})"),
                ],
            ));
            order = "a.deadline_at, a.id";
        }
        View::AtRisk => {
            // Minute and hour rules: 2 hours or less left. Day-counted rules: due by the end
            // of the next working day (organization's time zone and calendar).
            conds.push(open.clone());
            binds.push(Bind::Text(time::fmt(now)));
            let now_n = binds.len();
            let day_rules: Vec<String> = {
                let mut conn = db.read().acquire().await?;
                super::reference::rules(&mut conn)
                    .await?
                    .into_iter()
                    .filter(|r| r.unit.is_day_counted())
                    .map(|r| r.code)
                    .collect()
            };
            binds.push(Bind::Text(time::fmt(now + chrono::TimeDelta::hours(2))));
            let soon = binds.len();
            let mut either = format!("(a.deadline_at >= ${now_n} AND (a.deadline_at < ${soon}");
            if !day_rules.is_empty() {
                binds.push(Bind::Text(next_working_day_end(db, now).await?));
                let end = binds.len();
                let mut codes = Vec::new();
                for code in day_rules {
                    binds.push(Bind::Text(code));
                    codes.push(format!("${}", binds.len()));
                }
                either.push_str(&format!(
                    " OR (a.deadline_at < ${end} AND a.deadline_rule IN ({}))",
                    codes.join(", ")
                ));
            }
            either.push_str("))");
            // Or an emergency not localised, its localisation deadline within 2 hours.
            conds.push(format!(
                "({either} OR (a.localised_at IS NULL AND a.localisation_at >= ${now_n} \
                 AND a.localisation_at < ${soon}))"
            ));
            order = "a.deadline_at, a.id";
        }
        View::DueToday => {
            conds.push(open.clone());
            binds.push(Bind::Text(time::fmt(now)));
            let now_n = binds.len();
            binds.push(Bind::Text(today_end(db, now).await?));
            let end = binds.len();
            conds.push(format!(
                "a.deadline_at >= ${now_n} AND a.deadline_at <= ${end}"
            ));
            order = "a.deadline_at, a.id";
        }
        View::Emergencies => {
            conds.push(open.clone());
            conds.push("a.priority = 'emergency'".into());
            order = "a.registered_at, a.id";
        }
        View::Mine => {
            conds.push(open.clone());
            add(
                "a.executor_id = ?",
                Bind::Int(user_id.unwrap_or(-1)),
                &mut conds,
                &mut binds,
            );
            order = "a.deadline_at, a.id";
        }
    }
    // The conditions of the view itself; more come from the filters.
    let view_conds = conds.len();
    for (col, v) in [
        ("a.kind", &f.kind),
        ("a.status", &f.status),
        ("a.priority", &f.priority),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            add(
                &format!("{col} = ?"),
                Bind::Text(v.to_string()),
                &mut conds,
                &mut binds,
            );
        }
    }
    for (col, v) in [
        ("a.category_id", f.category_id),
        ("a.building_id", f.building_id),
        ("a.department_id", f.department_id),
        ("a.contractor_id", f.contractor_id),
        ("a.executor_id", f.executor_id),
        ("a.person_id", f.person_id),
        ("a.account_id", f.account_id),
    ] {
        if let Some(v) = v {
            add(&format!("{col} = ?"), Bind::Int(v), &mut conds, &mut binds);
        }
    }
    super::outcome::conditions(db, f, &mut conds, &mut binds).await?;
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let q = q.trim();
        if q.chars().any(|c| c.is_ascii_digit()) && !q.contains(' ') {
            add(
                "a.number LIKE ?",
                Bind::Text(format!("%{}%", q.to_uppercase())),
                &mut conds,
                &mut binds,
            );
        } else {
            let (sql, stems) = terms::condition(q, binds.len() + 1);
            if !sql.is_empty() {
                conds.push(sql);
                binds.extend(stems.into_iter().map(Bind::Text));
            }
        }
    }
    let where_sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let count_wheres = match &overdue {
        None => vec![where_sql.clone()],
        Some((at, halves)) => halves
            .iter()
            .map(|half| {
                let mut c = conds.clone();
                c[*at] = half.clone();
                format!("WHERE {}", c.join(" AND "))
            })
            .collect(),
    };
    let mut total = 0i64;
    for (i, w) in count_wheres.iter().enumerate() {
        // The not-localised half along its own index (0017): SQLite 3.46 would rather OR
        // two ranges of the (status, deadline) index, 60 ms over a million appeals.
        let table = if i == 1 && db.backend() == crate::Backend::Sqlite {
            "appeals a INDEXED BY appeals_open_unlocalised"
        } else {
            "appeals a"
        };
        let count_sql = format!("SELECT COUNT(*) FROM {table} {w}");
        let mut cq = sqlx::query(&count_sql);
        for b in &binds {
            cq = b.bind(cq);
        }
        total += cq.fetch_one(db.read()).await?.get::<i64, _>(0);
    }
    // An unfiltered open view reads its page along the open appeals' index in deadline order
    // (0011). SQLite 3.46 prefers the (status, deadline) index there and sorts every open
    // appeal for each page (about 250 ms over a million appeals), so it is told which index
    // to use; PostgreSQL plans this well by itself. With a filter the planner's choice
    // stands: a building or an executor narrows more than the deadline order does.
    let from = if db.backend() == crate::Backend::Sqlite
        && conds.len() == view_conds
        && matches!(f.view, View::Open | View::Overdue | View::AtRisk)
    {
        FROM.replacen(
            "appeals a",
            "appeals a INDEXED BY appeals_open_by_deadline",
            1,
        )
    } else {
        FROM.to_string()
    };
    let sql = format!(
        "SELECT a.id, a.number, a.kind, a.priority, a.status, c.title, a.address_text, b.street, b.house, p.number, \
         a.substance, a.registered_at, a.deadline_at, a.localisation_at, a.localised_at FROM {from} {where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = b.bind(q);
    }
    let now_text = time::fmt(now);
    let items = q
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            let status: String = r.get(4);
            let deadline_at: Option<String> = r.get(12);
            let running = Status::from_code(&status).is_some_and(Status::clock_runs);
            let substance: String = r.get(10);
            let localisation_at: Option<String> = r.get(13);
            let localised_at: Option<String> = r.get(14);
            let localisation_overdue = late(
                localisation_at.as_deref(),
                localised_at.as_deref(),
                &now_text,
            );
            let deadline_overdue = running
                && deadline_at
                    .as_deref()
                    .is_some_and(|d| d < now_text.as_str());
            AppealListItem {
                id: r.get(0),
                number: r.get(1),
                kind: r.get(2),
                priority: r.get(3),
                overdue: deadline_overdue || (localisation_overdue && localised_at.is_none()),
                deadline_overdue,
                localisation_overdue,
                localisation_at,
                localised_at,
                status,
                category_title: r.get(5),
                address: address(r.get(7), r.get(8), r.get(9), r.get(6)),
                substance: substance.chars().take(160).collect(),
                registered_at: r.get(11),
                deadline_at,
            }
        })
        .collect();
    Ok(Page {
        items,
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// The end (23:59:59 local) of the working day after today, as UTC text.
/// The end (23:59:59 local) of today in the organization's time zone, as stored.
async fn today_end(db: &Db, now: chrono::DateTime<chrono::Utc>) -> Result<String> {
    let tz = crate::settings::time_zone(db).await?;
    let end = now
        .with_timezone(&tz)
        .date_naive()
        .and_hms_opt(23, 59, 59)
        .unwrap_or_default();
    Ok(time::fmt(
        abonent_domain::deadline::from_local(&tz, end).with_timezone(&chrono::Utc),
    ))
}

async fn next_working_day_end(db: &Db, now: chrono::DateTime<chrono::Utc>) -> Result<String> {
    let tz = crate::settings::time_zone(db).await?;
    let calendar = super::work_calendar(db).await?;
    let today = now.with_timezone(&tz).date_naive();
    let end = calendar
        .add_working_days(today, 1)
        .and_hms_opt(23, 59, 59)
        .unwrap_or_default();
    Ok(time::fmt(
        abonent_domain::deadline::from_local(&tz, end).with_timezone(&chrono::Utc),
    ))
}

pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

impl Bind {
    pub(crate) fn bind<'q>(
        &'q self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Bind::Text(s) => q.bind(s.as_str()),
            Bind::Int(i) => q.bind(*i),
        }
    }
}
