//! Counts of appeals registered in a period, split the ways the appeals report shows them.
//! The conditions are the journal's own (`appeals::outcome`), so each count is what the
//! journal finds with the same filters.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::appeals::outcome::{self, Outcome};
use crate::appeals::{AppealFilter, Bind, View};
use crate::{time, Db, Result};

/// Which appeals: registered on the days `from..=to` (organization's time zone), narrowed
/// by the report's filters.
#[derive(Debug, Clone, Default)]
pub struct AppealScope {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub building_id: Option<i64>,
    pub category_group: Option<i64>,
    pub department_id: Option<i64>,
    pub executor_id: Option<i64>,
}

impl AppealScope {
    /// The journal's filter of the same appeals (the view «all»).
    pub fn filter(&self) -> AppealFilter {
        AppealFilter {
            view: View::All,
            registered_from: self.from,
            registered_to: self.to,
            building_id: self.building_id,
            category_group: self.category_group,
            department_id: self.department_id,
            executor_id: self.executor_id,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AppealCounts {
    pub total: i64,
    /// By kind code.
    pub by_kind: BTreeMap<String, i64>,
    /// By channel code.
    pub by_channel: BTreeMap<String, i64>,
    /// By category id (`None`: without a category).
    pub by_category: BTreeMap<Option<i64>, i64>,
    /// By building id (`None`: without a building).
    pub by_building: BTreeMap<Option<i64>, i64>,
    /// By outcome code.
    pub outcomes: BTreeMap<String, i64>,
    /// Ratings 1 to 5.
    pub ratings: [i64; 5],
}

/// The conditions of `s` (the journal's, without the view) and their binds.
async fn where_of(db: &Db, s: &AppealScope) -> Result<(String, Vec<Bind>)> {
    let f = s.filter();
    let mut conds = Vec::new();
    let mut binds = Vec::new();
    for (col, v) in [
        ("a.building_id", f.building_id),
        ("a.department_id", f.department_id),
        ("a.executor_id", f.executor_id),
    ] {
        if let Some(v) = v {
            binds.push(Bind::Int(v));
            conds.push(format!("{col} = ${}", binds.len()));
        }
    }
    outcome::conditions(db, &f, &mut conds, &mut binds).await?;
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    Ok((sql, binds))
}

async fn grouped(
    db: &Db,
    col: &str,
    where_sql: &str,
    binds: &[Bind],
) -> Result<Vec<sqlx::any::AnyRow>> {
    let sql =
        format!("SELECT {col}, CAST(COUNT(*) AS BIGINT) FROM appeals a {where_sql} GROUP BY {col}");
    let mut q = sqlx::query(&sql);
    for b in binds {
        q = b.bind(q);
    }
    Ok(q.fetch_all(db.read()).await?)
}

pub async fn counts(db: &Db, s: &AppealScope) -> Result<AppealCounts> {
    let (where_sql, mut binds) = where_of(db, s).await?;
    let mut c = AppealCounts::default();
    for r in grouped(db, "a.kind", &where_sql, &binds).await? {
        c.by_kind.insert(r.get(0), r.get(1));
    }
    for r in grouped(db, "a.channel", &where_sql, &binds).await? {
        c.by_channel.insert(r.get(0), r.get(1));
    }
    for r in grouped(db, "a.category_id", &where_sql, &binds).await? {
        c.by_category.insert(r.get(0), r.get(1));
    }
    for r in grouped(db, "a.building_id", &where_sql, &binds).await? {
        c.by_building.insert(r.get(0), r.get(1));
    }
    binds.push(Bind::Text(time::fmt(db.now())));
    let now = format!("${}", binds.len());
    let sum = |cond: String| {
        format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS BIGINT)")
    };
    // The moment is used by the first two outcomes; every bind must be used on PostgreSQL.
    let mut cols = vec!["CAST(COUNT(*) AS BIGINT)".to_string()];
    cols.extend(Outcome::ALL.iter().map(|o| sum(o.sql(&now))));
    cols.extend((1..=5).map(|r| sum(format!("a.rating = {r}"))));
    let sql = format!("SELECT {} FROM appeals a {where_sql}", cols.join(", "));
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = b.bind(q);
    }
    let row = q.fetch_one(db.read()).await?;
    c.total = row.get(0);
    for (i, o) in Outcome::ALL.iter().enumerate() {
        c.outcomes.insert(o.code().to_string(), row.get(1 + i));
    }
    for (r, n) in c.ratings.iter_mut().enumerate() {
        *n = row.get(1 + Outcome::ALL.len() + r);
    }
    Ok(c)
}

/// A building and category with two or more appeals in the scope.
#[derive(Debug, Clone, Serialize)]
pub struct Repeated {
    pub building_id: i64,
    pub category_id: i64,
    pub count: i64,
}

/// Buildings × categories with at least `min` appeals in the scope, most first.
pub async fn repeated(db: &Db, s: &AppealScope, min: i64) -> Result<Vec<Repeated>> {
    let (where_sql, binds) = where_of(db, s).await?;
    let and = if where_sql.is_empty() { "WHERE" } else { "AND" };
    let sql = format!(
        "SELECT a.building_id, a.category_id, CAST(COUNT(*) AS BIGINT) AS n FROM appeals a {where_sql} \
         {and} a.building_id IS NOT NULL AND a.category_id IS NOT NULL \
         GROUP BY a.building_id, a.category_id HAVING COUNT(*) >= {min} \
         ORDER BY n DESC, a.building_id, a.category_id LIMIT 200"
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = b.bind(q);
    }
    Ok(q.fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Repeated {
            building_id: r.get(0),
            category_id: r.get(1),
            count: r.get(2),
        })
        .collect())
}
