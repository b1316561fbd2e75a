//! Adding and editing services (reference data): one history entry per change, in the same
//! transaction. A service is never deleted: charges refer to it by code.

use abonent_domain::ledger::service::{ServiceInput, CODE_TAKEN, NO_SERVICE};
use sqlx::Row;

use super::Service;
use crate::history::{self, Actor, Change};
use crate::{Db, Result, StoreError};

pub(super) fn of(r: &sqlx::any::AnyRow) -> Service {
    Service {
        code: r.get(0),
        title: r.get(1),
        kind: r.get(2),
        may_suspend: r.get::<i64, _>(3) != 0,
        names: abonent_domain::ledger::service::split_names(&r.get::<String, _>(4)),
        number: r.get(5),
    }
}

fn snapshot(s: &ServiceInput) -> serde_json::Value {
    serde_json::json!({
        "code": s.code, "title": s.title, "kind": s.kind,
        "may_suspend": s.may_suspend, "names": s.names.join(", "),
    })
}

/// Adds a service at the end of the list; its code must be new.
pub async fn create(db: &Db, s: &ServiceInput, actor: &Actor) -> Result<Service> {
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let taken: Option<String> = sqlx::query_scalar("SELECT code FROM services WHERE code = $1")
        .bind(&s.code)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::invalid("code", CODE_TAKEN));
    }
    let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM services")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO services (code, title, sort_order, kind, may_suspend, names) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.code)
    .bind(&s.title)
    .bind(number)
    .bind(&s.kind)
    .bind(i64::from(s.may_suspend))
    .bind(s.names.join(", "))
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "service",
            entity_id: number,
            parent: None,
            action: "create",
            before: None,
            after: Some(snapshot(s)),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    get(db, &s.code).await
}

pub async fn get(db: &Db, code: &str) -> Result<Service> {
    sqlx::query(
        "SELECT code, title, kind, may_suspend, names, sort_order FROM services WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.read())
    .await?
    .as_ref()
    .map(of)
    .ok_or_else(|| StoreError::NotFound(NO_SERVICE.into()))
}

/// Changes the title, kind, suspension and words of the service `code` (the code stays).
pub async fn update(db: &Db, code: &str, s: &ServiceInput, actor: &Actor) -> Result<Service> {
    let before = get(db, code).await?;
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE services SET title = $1, kind = $2, may_suspend = $3, names = $4 WHERE code = $5",
    )
    .bind(&s.title)
    .bind(&s.kind)
    .bind(i64::from(s.may_suspend))
    .bind(s.names.join(", "))
    .bind(code)
    .execute(&mut *tx)
    .await?;
    let was = ServiceInput {
        code: before.code.clone(),
        title: before.title.clone(),
        kind: before.kind.clone(),
        may_suspend: before.may_suspend,
        names: before.names.clone(),
    };
    let after = ServiceInput {
        code: before.code.clone(),
        ..s.clone()
    };
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "service",
            entity_id: before.number,
            parent: None,
            action: "update",
            before: Some(snapshot(&was)),
            after: Some(snapshot(&after)),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    get(db, code).await
}
