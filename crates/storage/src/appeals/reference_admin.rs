//! An administrator's edits of the appeals reference data: the category tree and the
//! bindings that choose a deadline rule. Rules themselves are saved by
//! `reference::save_rule`. Every edit is one transaction with a history entry.

use abonent_domain::appeal::forms::check_category_title;
use abonent_domain::appeal::{words, AppealRefusal, RuleBinding};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::reference::{categories, Category};
use crate::history::{self, Change};
use crate::{Actor, Db, Result, StoreError};

/// A new category or a change of one. `parent_id` is used only when creating.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    pub parent_id: Option<i64>,
    pub title: String,
    /// `false` hides the category from the intake form; appeals keep it.
    pub active: Option<bool>,
}

async fn category_in(conn: &mut AnyConnection, id: i64) -> Result<Option<Category>> {
    Ok(sqlx::query(
        "SELECT id, code, parent_id, title, active FROM appeal_categories WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| Category {
        id: r.get(0),
        code: r.get(1),
        parent_id: r.get(2),
        title: r.get(3),
        active: r.get::<i64, _>(4) != 0,
    }))
}

fn json(c: &Category) -> Option<serde_json::Value> {
    serde_json::to_value(c).ok()
}

/// Adds a category under `parent_id` (or at the top). Its code is made from the parent's code
/// and the new id (`water.c42`), so a code never changes meaning.
pub async fn create_category(db: &Db, f: &CategoryForm, actor: &Actor) -> Result<Category> {
    let title = check_category_title(&f.title)?;
    let mut tx = db.write().begin().await?;
    let parent = match f.parent_id {
        Some(id) => Some(
            category_in(&mut tx, id)
                .await?
                .ok_or(AppealRefusal::UnknownParentCategory)?,
        ),
        None => None,
    };
    let sibling = sqlx::query(
        "SELECT id FROM appeal_categories WHERE title = $1 AND \
         (parent_id = $2 OR (parent_id IS NULL AND $3 = 0))",
    )
    .bind(&title)
    .bind(f.parent_id.unwrap_or(0))
    .bind(i64::from(f.parent_id.is_some()))
    .fetch_optional(&mut *tx)
    .await?;
    if sibling.is_some() {
        return Err(AppealRefusal::CategoryExists { title }.into());
    }
    let now = db.now_text();
    let sort: i64 = sqlx::query("SELECT COALESCE(MAX(sort), 0) + 1 FROM appeal_categories")
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    // A placeholder code unique within this transaction; replaced once the id is known.
    let placeholder = format!("new.{now}.{sort}");
    let id: i64 = sqlx::query(
        "INSERT INTO appeal_categories (code, parent_id, title, sort, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(&placeholder)
    .bind(f.parent_id)
    .bind(&title)
    .bind(sort)
    .bind(i64::from(f.active.unwrap_or(true)))
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    let code = match &parent {
        Some(p) => format!("{}.c{id}", p.code),
        None => format!("c{id}"),
    };
    sqlx::query("UPDATE appeal_categories SET code = $1 WHERE id = $2")
        .bind(&code)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let created = category_in(&mut tx, id)
        .await?
        .ok_or_else(|| StoreError::Other(words::fault::CATEGORY_LOST.into()))?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal_category",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: json(&created),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Renames a category or turns it on and off. Turning a group off hides its children from
/// the intake form too (the form lists active categories under active groups only).
pub async fn update_category(
    db: &Db,
    id: i64,
    f: &CategoryForm,
    actor: &Actor,
) -> Result<Category> {
    let title = check_category_title(&f.title)?;
    let mut tx = db.write().begin().await?;
    let before = category_in(&mut tx, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(words::noun::category(id)))?;
    let active = f.active.unwrap_or(before.active);
    if title == before.title && active == before.active {
        return Ok(before);
    }
    sqlx::query(
        "UPDATE appeal_categories SET title = $1, active = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&title)
    .bind(i64::from(active))
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = Category {
        title,
        active,
        ..before.clone()
    };
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal_category",
            entity_id: id,
            parent: None,
            action: "update",
            before: json(&before),
            after: json(&after),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Every deadline rule, by code.
pub async fn all_rules(db: &Db) -> Result<Vec<abonent_domain::deadline::DeadlineRule>> {
    let mut conn = db.read().acquire().await?;
    super::reference::rules(&mut conn).await
}

/// Categories a specialist may choose: active ones whose ancestors are active too.
pub async fn choosable_categories(db: &Db) -> Result<Vec<Category>> {
    let all = categories(db).await?;
    fn active<'a>(all: &'a [Category], mut c: &'a Category) -> bool {
        // Bounded: a damaged tree (a cycle) must not hang the intake form.
        for _ in 0..16 {
            if !c.active {
                return false;
            }
            match c.parent_id.and_then(|p| all.iter().find(|x| x.id == p)) {
                Some(parent) => c = parent,
                None => return true,
            }
        }
        false
    }
    let chosen = all.iter().filter(|c| active(&all, c)).cloned().collect();
    Ok(tree_order(chosen))
}

/// Parents first, each followed by its children (in their sort order); with depth.
pub fn tree_with_depth(all: Vec<Category>) -> Vec<(Category, usize)> {
    fn walk(all: &[Category], parent: Option<i64>, depth: usize, out: &mut Vec<(Category, usize)>) {
        // The depth bound keeps a damaged tree (a cycle) finite.
        if depth > 8 {
            return;
        }
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push((c.clone(), depth));
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    walk(&all, None, 0, &mut out);
    // Children whose parent is not in the list (hidden) are left out on purpose.
    out
}

fn tree_order(all: Vec<Category>) -> Vec<Category> {
    tree_with_depth(all).into_iter().map(|(c, _)| c).collect()
}

/// A binding as stored, with its id for removal.
#[derive(Debug, Clone, Serialize)]
pub struct BindingRow {
    pub id: i64,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub category_code: Option<String>,
    pub rule_code: String,
    /// Who sent the appeal (`housing_inspectorate`…); empty — anyone.
    pub sender_kind: Option<String>,
}

pub async fn binding_rows(db: &Db) -> Result<Vec<BindingRow>> {
    Ok(sqlx::query(
        "SELECT id, kind, priority, channel, category_code, rule_code, sender_kind FROM deadline_bindings \
         ORDER BY sort, id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| BindingRow {
        id: r.get(0),
        kind: r.get(1),
        priority: r.get(2),
        channel: r.get(3),
        category_code: r.get(4),
        rule_code: r.get(5),
        sender_kind: r.get(6),
    })
    .collect())
}

/// Adds «appeals like this get that rule». The rule and the category must exist; the same
/// set of conditions twice is refused (which of the two would win would be a guess).
pub async fn add_binding(db: &Db, b: &RuleBinding, actor: &Actor) -> Result<i64> {
    let mut tx = db.write().begin().await?;
    let rule = sqlx::query("SELECT code FROM deadline_rules WHERE code = $1")
        .bind(&b.rule)
        .fetch_optional(&mut *tx)
        .await?;
    if rule.is_none() {
        return Err(AppealRefusal::UnknownDeadlineRule {
            code: b.rule.clone(),
        }
        .into());
    }
    if let Some(code) = &b.category {
        let found = sqlx::query("SELECT id FROM appeal_categories WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Err(AppealRefusal::UnknownCategoryCode { code: code.clone() }.into());
        }
    }
    let existing = super::reference::bindings(&mut tx).await?;
    if existing.iter().any(|e| {
        e.kind == b.kind
            && e.priority == b.priority
            && e.channel == b.channel
            && e.sender == b.sender
            && e.category == b.category
    }) {
        return Err(AppealRefusal::SameBinding.into());
    }
    let sort: i64 = sqlx::query("SELECT COALESCE(MAX(sort), 0) + 1 FROM deadline_bindings")
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    let id = super::reference::insert_binding(&mut tx, b, sort).await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "deadline_binding",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: serde_json::to_value(b).ok(),
            note: Some(&b.rule),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a binding; the history keeps what it was. Appeals registered under it keep their
/// deadlines.
pub async fn remove_binding(db: &Db, id: i64, actor: &Actor) -> Result<()> {
    let mut tx = db.write().begin().await?;
    let row = sqlx::query(
        "SELECT kind, priority, channel, category_code, rule_code, sender_kind FROM deadline_bindings \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(words::noun::deadline_binding(id)))?;
    let before = serde_json::json!({
        "kind": row.get::<Option<String>, _>(0),
        "priority": row.get::<Option<String>, _>(1),
        "channel": row.get::<Option<String>, _>(2),
        "category": row.get::<Option<String>, _>(3),
        "rule": row.get::<String, _>(4),
        "sender": row.get::<Option<String>, _>(5),
    });
    sqlx::query("DELETE FROM deadline_bindings WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "deadline_binding",
            entity_id: id,
            parent: None,
            action: "delete",
            before: Some(before),
            after: None,
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
