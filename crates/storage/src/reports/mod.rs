//! What the reports of issue 18 read: counts of appeals by the groups the journal filters
//! by (`appeals`), and the names of the things a report is split by. The sums of the
//! payments report are the turnover sheet's own (`ledger::turnover`); the rules of the
//! period are in abonent_domain::report, the report itself in abonent_app::reports.

pub mod appeals;
pub mod letters;

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Db, Result};

/// Whether a row `id` of `table` exists (`buildings`, `appeal_categories`, `departments`,
/// `users`, `contractors`).
pub async fn exists(db: &Db, table: Table, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE id = $1", table.name());
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .is_some())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Buildings,
    Categories,
    Departments,
    Users,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Buildings => "buildings",
            Table::Categories => "appeal_categories",
            Table::Departments => "departments",
            Table::Users => "users",
        }
    }
}

/// A category of appeals with its parent (the tree has two levels).
#[derive(Debug, Clone)]
pub struct CategoryName {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub title: String,
}

/// Every category, in the order of the reference list.
pub async fn categories(db: &Db) -> Result<Vec<CategoryName>> {
    Ok(
        sqlx::query("SELECT id, parent_id, title FROM appeal_categories ORDER BY sort, title, id")
            .fetch_all(db.read())
            .await?
            .iter()
            .map(|r| CategoryName {
                id: r.get(0),
                parent_id: r.get(1),
                title: r.get(2),
            })
            .collect(),
    )
}

/// The address of each building, by id.
pub async fn building_addresses(db: &Db) -> Result<BTreeMap<i64, String>> {
    Ok(
        sqlx::query("SELECT id, street, house FROM buildings ORDER BY street, house, id")
            .fetch_all(db.read())
            .await?
            .iter()
            .map(|r| {
                let street: String = r.get(1);
                let house: String = r.get(2);
                (
                    r.get::<i64, _>(0),
                    abonent_domain::appeal::words::appeal_address(
                        Some(&street),
                        Some(&house),
                        None,
                        None,
                    ),
                )
            })
            .collect(),
    )
}
