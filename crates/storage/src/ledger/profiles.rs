//! Register layouts per bank, stored as JSON (the import crate's `RegisterProfile`; storage
//! does not interpret it). Every change goes to the history.

use abonent_domain::ledger::checks::{check_profile_name, PROFILE_NAME_TAKEN};
use abonent_domain::ledger::words::{noun, DEFAULT_PROFILE_ACTOR};
use serde::Serialize;
use sqlx::Row;

use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct StoredProfile {
    pub id: i64,
    pub name: String,
    pub profile: serde_json::Value,
    pub updated_at: String,
}

fn of(r: &sqlx::any::AnyRow) -> StoredProfile {
    StoredProfile {
        id: r.get(0),
        name: r.get(1),
        profile: serde_json::from_str(&r.get::<String, _>(2)).unwrap_or_default(),
        updated_at: r.get(3),
    }
}

pub async fn list(db: &Db) -> Result<Vec<StoredProfile>> {
    Ok(sqlx::query(
        "SELECT id, name, profile_json, updated_at FROM register_profiles ORDER BY name",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(of)
    .collect())
}

pub async fn get(db: &Db, id: i64) -> Result<StoredProfile> {
    sqlx::query("SELECT id, name, profile_json, updated_at FROM register_profiles WHERE id = $1")
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .as_ref()
        .map(of)
        .ok_or_else(|| StoreError::NotFound(noun::REGISTER_PROFILE.into()))
}

fn taken(e: StoreError) -> StoreError {
    if e.is_unique_violation() {
        StoreError::invalid("name", PROFILE_NAME_TAKEN)
    } else {
        e
    }
}

pub async fn create(
    db: &Db,
    name: &str,
    profile: &serde_json::Value,
    actor: &Actor,
) -> Result<i64> {
    let name = check_profile_name(name)?;
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO register_profiles (name, profile_json, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(&name)
    .bind(profile.to_string())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| taken(e.into()))?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "register_profile",
            entity_id: id,
            parent: None,
            action: "create",
            before: None,
            after: Some(serde_json::json!({"name": name, "profile": profile})),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &Db,
    id: i64,
    name: &str,
    profile: &serde_json::Value,
    actor: &Actor,
) -> Result<()> {
    let name = check_profile_name(name)?;
    let before = get(db, id).await?;
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE register_profiles SET name = $1, profile_json = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&name)
    .bind(profile.to_string())
    .bind(db.now_text())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(|e| taken(e.into()))?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "register_profile",
            entity_id: id,
            parent: None,
            action: "update",
            before: Some(serde_json::json!({"name": before.name, "profile": before.profile})),
            after: Some(serde_json::json!({"name": name, "profile": profile})),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Create the profile named `name` unless one exists (the shipped common layout).
pub async fn ensure(db: &Db, name: &str, profile: &serde_json::Value) -> Result<()> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM register_profiles WHERE name = $1")
            .bind(name)
            .fetch_optional(db.read())
            .await?;
    if exists.is_none() {
        match create(db, name, profile, &Actor::system(DEFAULT_PROFILE_ACTOR)).await {
            Err(StoreError::Invalid(_)) | Ok(_) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
