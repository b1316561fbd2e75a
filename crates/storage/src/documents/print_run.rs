//! The accounts a monthly print run covers: the open accounts of the chosen buildings in the
//! order the postman walks — building, entrance, flat (numbers in natural order: 2 before
//! 10, 12 before 12а).

use sqlx::Row;

use crate::{Db, Result};

/// One account of a print run, in print order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAccount {
    pub account_id: i64,
    pub number: String,
    pub building_id: i64,
}

/// «12а» → (12, «а»): flats sort by their number, then by the letter.
fn flat_key(s: &str) -> (u64, String) {
    let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
    let rest = s.trim()[digits.len()..].to_lowercase();
    (digits.parse().unwrap_or(u64::MAX), rest)
}

pub async fn accounts(db: &Db, building_ids: &[i64]) -> Result<Vec<RunAccount>> {
    let mut rows = Vec::new();
    for &b in building_ids {
        let found = sqlx::query(
            "SELECT a.id, a.number, p.building_id, COALESCE(p.entrance, 0) AS entrance, p.number \
             AS flat, COALESCE(bl.street, '') AS street, COALESCE(bl.house, '') AS house FROM accounts a \
             JOIN premises p ON p.id = a.premises_id JOIN buildings bl ON bl.id = p.building_id \
             WHERE p.building_id = $1 AND a.closed_on IS NULL",
        )
        .bind(b)
        .fetch_all(db.read())
        .await?;
        for r in found {
            let key = (
                r.get::<String, _>("street"),
                flat_key(&r.get::<String, _>("house")),
                r.get::<i64, _>("building_id"),
                r.get::<i64, _>("entrance"),
                flat_key(&r.get::<String, _>("flat")),
                r.get::<String, _>("number"),
            );
            rows.push((
                key,
                RunAccount {
                    account_id: r.get("id"),
                    number: r.get("number"),
                    building_id: r.get("building_id"),
                },
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.dedup_by_key(|r| r.1.account_id);
    Ok(rows.into_iter().map(|r| r.1).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn flats_in_natural_order() {
        let mut v = vec!["12а", "10", "2", "12", "1"];
        v.sort_by_key(|s| super::flat_key(s));
        assert_eq!(v, vec!["1", "2", "10", "12", "12а"]);
    }
}
