//! Correspondence registers: incoming and outgoing letters with gapless numbers per year,
//! their scans, and the answer-deadline rules. Every write records history in its transaction.

pub mod attachments;
pub mod by_account;
pub mod incoming;
pub mod outgoing;
pub mod rules;

use abonent_domain::correspondence::CorrespondenceRefusal;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::{Result, StoreError};

/// Which register a letter is in (numbering scope and history entity follow from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    Incoming,
    Outgoing,
}

impl Register {
    pub fn code(self) -> &'static str {
        match self {
            Register::Incoming => "incoming",
            Register::Outgoing => "outgoing",
        }
    }

    pub fn from_code(s: &str) -> Option<Register> {
        match s {
            "incoming" => Some(Register::Incoming),
            "outgoing" => Some(Register::Outgoing),
            _ => None,
        }
    }

    /// History entity of the letters.
    pub fn entity(self) -> &'static str {
        match self {
            Register::Incoming => "incoming_letter",
            Register::Outgoing => "outgoing_letter",
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Register::Incoming => "incoming_letters",
            Register::Outgoing => "outgoing_letters",
        }
    }
}

/// Lower-cased words a letter is found by (see `search_text` in the migration).
pub(crate) fn search_text(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" \u{1f} ")
}

/// `%query%` for LIKE over `search_text`, with LIKE's wildcards taken literally.
pub(crate) fn like_pattern(q: &str) -> String {
    let q = q.trim().to_lowercase();
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Checks that the records a letter refers to exist, naming the form field otherwise.
pub(crate) async fn check_refs(
    conn: &mut AnyConnection,
    executor_user_id: Option<i64>,
    account_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<()> {
    let mut e = abonent_domain::ValidationErrors::new();
    if let Some(id) = executor_user_id {
        let active = sqlx::query("SELECT active FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get::<i64, _>(0) != 0);
        match active {
            None => CorrespondenceRefusal::NoSuchExecutor(id).add_to(&mut e),
            Some(false) => CorrespondenceRefusal::ExecutorInactive.add_to(&mut e),
            Some(true) => {}
        }
    }
    type Refusal = fn(i64) -> CorrespondenceRefusal;
    let refs = [
        (
            "accounts",
            account_id,
            CorrespondenceRefusal::NoSuchAccount as Refusal,
        ),
        ("persons", person_id, CorrespondenceRefusal::NoSuchPerson),
    ];
    for (table, id, missing) in refs {
        if let Some(id) = id {
            let found = sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
                .is_some();
            if !found {
                missing(id).add_to(&mut e);
            }
        }
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(e))
    }
}

/// Period filter on a date column, both ends inclusive.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_escapes_wildcards() {
        assert_eq!(super::like_pattern(" 50%_Вх "), "%50\\%\\_вх%");
    }
}
