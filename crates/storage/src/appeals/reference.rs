//! Reference data of the appeals register: the category tree, deadline rules and the
//! bindings that choose a rule. Seeded from the shipped defaults on first start; an
//! administrator edits them afterwards (laws and local regulations change).

use abonent_domain::appeal::{default_bindings, RuleBinding, DEFAULT_CATEGORIES};
use abonent_domain::appeal::{AppealKind, Channel, Priority};
use abonent_domain::correspondence::SenderKind;
use abonent_domain::deadline::{default_rules, DeadlineRule};
use sqlx::{AnyConnection, Row};

use crate::{Db, Result};

/// Seeds what is missing: categories and rules by code, bindings only into an empty table
/// (an administrator's deletions stay deleted). Runs under the migration lock.
pub async fn seed(conn: &mut AnyConnection, now: &str) -> Result<()> {
    for (i, c) in DEFAULT_CATEGORIES.iter().enumerate() {
        let parent = match c.code.split_once('.') {
            Some((group, _)) => sqlx::query("SELECT id FROM appeal_categories WHERE code = $1")
                .bind(group)
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| r.get::<i64, _>(0)),
            None => None,
        };
        sqlx::query(
            "INSERT INTO appeal_categories (code, parent_id, title, sort, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $5) ON CONFLICT (code) DO NOTHING",
        )
        .bind(c.code)
        .bind(parent)
        .bind(c.title)
        .bind(i as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    for r in default_rules() {
        sqlx::query(
            "INSERT INTO deadline_rules (code, rule_json, updated_at, updated_by) VALUES ($1, $2, $3, 'abonent') \
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(&r.code)
        .bind(serde_json::to_string(&r).unwrap_or_default())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        counts_from_of_shipped(conn, &r).await?;
    }
    let bindings: i64 = sqlx::query("SELECT COUNT(*) FROM deadline_bindings")
        .fetch_one(&mut *conn)
        .await?
        .get(0);
    if bindings == 0 {
        for (i, b) in default_bindings().iter().enumerate() {
            insert_binding(conn, b, i as i64).await?;
        }
    }
    Ok(())
}

/// A shipped rule stored before rules said what they count from gets the shipped answer
/// (ПП 354 п. 108 counts from receipt); a rule that says it already is left alone.
async fn counts_from_of_shipped(conn: &mut AnyConnection, shipped: &DeadlineRule) -> Result<()> {
    let stored: Option<String> =
        sqlx::query("SELECT rule_json FROM deadline_rules WHERE code = $1")
            .bind(&shipped.code)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0));
    let Some(mut json) = stored.and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
    else {
        return Ok(());
    };
    let Some(obj) = json
        .as_object_mut()
        .filter(|o| !o.contains_key("counts_from"))
    else {
        return Ok(());
    };
    obj.insert(
        "counts_from".into(),
        serde_json::to_value(shipped.counts_from).unwrap_or_default(),
    );
    sqlx::query("UPDATE deadline_rules SET rule_json = $1 WHERE code = $2")
        .bind(json.to_string())
        .bind(&shipped.code)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Stores a binding at position `sort`; returns its id.
pub(super) async fn insert_binding(
    conn: &mut AnyConnection,
    b: &RuleBinding,
    sort: i64,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO deadline_bindings (kind, priority, channel, category_code, rule_code, sort, sender_kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(b.kind.map(AppealKind::code))
    .bind(b.priority.map(Priority::code))
    .bind(b.channel.map(Channel::code))
    .bind(b.category.as_deref())
    .bind(&b.rule)
    .bind(sort)
    .bind(b.sender.map(SenderKind::code))
    .fetch_one(&mut *conn)
    .await?
    .get(0))
}

/// A category of the tree.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub parent_id: Option<i64>,
    pub title: String,
    pub active: bool,
}

pub async fn categories(db: &Db) -> Result<Vec<Category>> {
    Ok(sqlx::query(
        "SELECT id, code, parent_id, title, active FROM appeal_categories ORDER BY sort, id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Category {
        id: r.get(0),
        code: r.get(1),
        parent_id: r.get(2),
        title: r.get(3),
        active: r.get::<i64, _>(4) != 0,
    })
    .collect())
}

pub async fn rules(conn: &mut AnyConnection) -> Result<Vec<DeadlineRule>> {
    let rows = sqlx::query("SELECT rule_json FROM deadline_rules ORDER BY code")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str(&r.get::<String, _>(0)).ok())
        .collect())
}

pub async fn bindings(conn: &mut AnyConnection) -> Result<Vec<RuleBinding>> {
    let rows = sqlx::query(
        "SELECT kind, priority, channel, category_code, rule_code, sender_kind FROM deadline_bindings \
         ORDER BY sort, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| RuleBinding {
            kind: r
                .get::<Option<String>, _>(0)
                .as_deref()
                .and_then(AppealKind::from_code),
            priority: r
                .get::<Option<String>, _>(1)
                .as_deref()
                .and_then(Priority::from_code),
            channel: r
                .get::<Option<String>, _>(2)
                .as_deref()
                .and_then(Channel::from_code),
            category: r.get(3),
            rule: r.get(4),
            sender: r
                .get::<Option<String>, _>(5)
                .as_deref()
                .and_then(SenderKind::from_code),
        })
        .collect())
}

/// Saves an edited rule (validated), with history.
pub async fn save_rule(db: &Db, rule: &DeadlineRule, actor: &crate::Actor) -> Result<()> {
    rule.validate()?;
    let mut tx = db.write().begin().await?;
    let before = sqlx::query("SELECT rule_json FROM deadline_rules WHERE code = $1")
        .bind(&rule.code)
        .fetch_optional(&mut *tx)
        .await?
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.get::<String, _>(0)).ok());
    let json = serde_json::to_string(rule).unwrap_or_default();
    sqlx::query(
        "INSERT INTO deadline_rules (code, rule_json, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET rule_json = $2, updated_at = $3, updated_by = $4",
    )
    .bind(&rule.code)
    .bind(&json)
    .bind(db.now_text())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    crate::history::record(
        &mut tx,
        &db.now_text(),
        actor,
        crate::history::Change {
            entity: "deadline_rule",
            entity_id: 0,
            parent: None,
            action: if before.is_some() { "update" } else { "create" },
            before,
            after: serde_json::from_str(&json).ok(),
            note: Some(&rule.code),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
