//! Answer-deadline rules per sender kind: the shipped ones
//! (`abonent_domain::correspondence::rule_for`) unless an administrator saved another.

use std::collections::BTreeMap;

use abonent_domain::correspondence::{check_answer_rule, rule_for, SenderKind};
use abonent_domain::deadline::{DeadlineRule, DeadlineUnit, Verification};
use serde::Serialize;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

/// A rule as shown on the admin page.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRule {
    pub sender_kind: SenderKind,
    pub rule: DeadlineRule,
    /// False while the shipped rule is in force.
    pub edited: bool,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
}

/// Every sender kind with the rule in force.
pub async fn all(db: &Db) -> Result<Vec<AnswerRule>> {
    let mut saved: BTreeMap<String, AnyRule> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT sender_kind, amount, unit, title, source, updated_at, updated_by FROM answer_rules",
    )
    .fetch_all(db.read())
    .await?
    {
        saved.insert(
            r.get(0),
            AnyRule {
                amount: r.get(1),
                unit: r.get(2),
                title: r.get(3),
                source: r.get(4),
                updated_at: r.get(5),
                updated_by: r.get(6),
            },
        );
    }
    Ok(SenderKind::ALL
        .into_iter()
        .map(|kind| {
            let shipped = rule_for(kind);
            match saved.remove(kind.code()) {
                Some(s) => AnswerRule {
                    sender_kind: kind,
                    rule: DeadlineRule {
                        amount: u32::try_from(s.amount).unwrap_or(shipped.amount),
                        unit: DeadlineUnit::from_code(&s.unit).unwrap_or(shipped.unit),
                        title: s.title,
                        source: s.source,
                        // An administrator entered it with its source: theirs to vouch for.
                        verification: Verification::Confirmed,
                        ..shipped
                    },
                    edited: true,
                    updated_at: s.updated_at,
                    updated_by: s.updated_by,
                },
                None => AnswerRule {
                    sender_kind: kind,
                    rule: shipped,
                    edited: false,
                    updated_at: None,
                    updated_by: None,
                },
            }
        })
        .collect())
}

struct AnyRule {
    amount: i64,
    unit: String,
    title: String,
    source: String,
    updated_at: Option<String>,
    updated_by: Option<String>,
}

/// History id of a sender kind's rule (its place in `SenderKind::ALL`, from 1).
pub fn kind_id(kind: SenderKind) -> i64 {
    SenderKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as i64 + 1
}

/// The rule in force for a sender kind.
pub async fn rule(db: &Db, kind: SenderKind) -> Result<DeadlineRule> {
    Ok(all(db)
        .await?
        .into_iter()
        .find(|r| r.sender_kind == kind)
        .map(|r| r.rule)
        .unwrap_or_else(|| rule_for(kind)))
}

/// Saves an edited rule (checked: day-counted, with a source). New letters use it; deadlines
/// already computed stay, as they were announced.
pub async fn save(db: &Db, kind: SenderKind, rule: &DeadlineRule, actor: &Actor) -> Result<()> {
    check_answer_rule(rule).map_err(StoreError::Invalid)?;
    let before = all(db).await?.into_iter().find(|r| r.sender_kind == kind);
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "INSERT INTO answer_rules (sender_kind, amount, unit, title, source, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (sender_kind) DO UPDATE SET \
         amount = excluded.amount, unit = excluded.unit, title = excluded.title, \
         source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(kind.code())
    .bind(i64::from(rule.amount))
    .bind(rule.unit.code())
    .bind(rule.title.trim())
    .bind(rule.source.trim())
    .bind(db.now_text())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let show = |r: &DeadlineRule| serde_json::json!({"amount": r.amount, "unit": r.unit.code(), "title": r.title, "source": r.source});
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "answer_rule",
            entity_id: kind_id(kind),
            parent: None,
            action: "update",
            before: before.map(|b| show(&b.rule)),
            after: Some(show(rule)),
            note: Some(kind.code()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Back to the shipped rule.
pub async fn reset(db: &Db, kind: SenderKind, actor: &Actor) -> Result<()> {
    let mut tx = db.write().begin().await?;
    let n = sqlx::query("DELETE FROM answer_rules WHERE sender_kind = $1")
        .bind(kind.code())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n > 0 {
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: "answer_rule",
                entity_id: kind_id(kind),
                parent: None,
                action: "reset",
                before: None,
                after: None,
                note: Some(kind.code()),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
