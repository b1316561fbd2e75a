//! Registry records: buildings, premises, accounts, people, their links and benefits.
//! Every write runs in one transaction with its history row and search-index update.

pub mod account;
pub mod building;
pub mod erasure;
pub mod import;
pub mod link;
pub mod person;
pub mod premises;

pub use account::{Account, AccountFilter, AccountListItem};
pub use building::{Building, BuildingFilter};
pub use link::{Benefit, Link, LinkView};
pub use person::{Person, PersonFilter, SimilarPerson};
pub use premises::Premises;

use serde::Serialize;
use serde_json::Value;

/// Sizes of the registry, for the home page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub buildings: i64,
    pub open_accounts: i64,
    pub persons: i64,
}

pub async fn counts(db: &crate::Db) -> crate::Result<Counts> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM buildings WHERE closed_at IS NULL), \
         (SELECT COUNT(*) FROM accounts WHERE closed_on IS NULL), \
         (SELECT COUNT(*) FROM persons WHERE closed_at IS NULL)",
    )
    .fetch_one(db.read())
    .await?;
    Ok(Counts {
        buildings: row.get(0),
        open_accounts: row.get(1),
        persons: row.get(2),
    })
}

/// One page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// Page number and size from user input, clamped to sane bounds.
#[derive(Debug, Clone, Copy)]
pub struct PageReq {
    pub page: i64,
    pub per_page: i64,
}

impl PageReq {
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(50).clamp(1, 500),
        }
    }

    /// Rows before the page; a page past any list (`page=10^17`) is past the end, not an
    /// overflow.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// Only the fields that changed, as (before, after) objects — what the history shows.
pub fn diff(before: &Value, after: &Value) -> Option<(Value, Value)> {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return (before != after).then(|| (before.clone(), after.clone()));
    };
    let mut bo = serde_json::Map::new();
    let mut ao = serde_json::Map::new();
    for (k, av) in a {
        let bv = b.get(k).unwrap_or(&Value::Null);
        if bv != av {
            bo.insert(k.clone(), bv.clone());
            ao.insert(k.clone(), av.clone());
        }
    }
    (!ao.is_empty()).then_some((Value::Object(bo), Value::Object(ao)))
}

/// Reason given when closing a record: required, short.
pub fn close_reason(reason: &str) -> crate::Result<String> {
    abonent_domain::registry::close_reason(reason).map_err(Into::into)
}

pub(crate) fn opt_i32(v: Option<i64>) -> Option<i32> {
    v.map(|x| x as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changes() {
        let (b, a) = diff(&json!({"a":1,"b":2}), &json!({"a":1,"b":3})).unwrap();
        assert_eq!(b, json!({"b":2}));
        assert_eq!(a, json!({"b":3}));
        assert!(diff(&json!({"a":1}), &json!({"a":1})).is_none());
    }

    #[test]
    fn a_page_far_past_the_end_does_not_overflow() {
        // schemathesis asked `?page=184467440737095518`: the offset overflowed and the
        // request's task panicked.
        let p = PageReq::new(Some(184_467_440_737_095_518), Some(500));
        assert_eq!(p.offset(), i64::MAX);
        assert_eq!(PageReq::new(Some(3), Some(20)).offset(), 40);
    }
}
