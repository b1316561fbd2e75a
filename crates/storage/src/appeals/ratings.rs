//! The applicant's rating of the work: a personal link (the token is stored hashed, it
//! expires and works once) or an answer by phone recorded by a specialist. A bad mark
//! (`appeals.rating_reopen_at` or lower) or «не устранено» reopens the appeal in the same
//! transaction, through the workflow (reopen counter, history, message).

use abonent_domain::appeal::work::{check_rateable, link_closed, rating_note, reopen_threshold};
use abonent_domain::appeal::{notice, words, AppealRefusal, Rating, Status};
use abonent_domain::Role;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::notices::{to_applicant_in, Texts};
use super::workflow::{apply_in, prepare};
use super::{Appeal, StatusChange};
use crate::history::{self, Change};
use crate::{time, Actor, Db, Result, StoreError};

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// After `done`: a rating link for the applicant and the question with it, when the
/// applicant can be written to. Returns the messages queued.
pub(crate) async fn ask_in(
    conn: &mut AnyConnection,
    t: &Texts,
    a: &Appeal,
    actor: &Actor,
) -> Result<usize> {
    if super::notices::recipients_in(conn, a).await?.is_empty() {
        return Ok(0);
    }
    let mut b = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut b);
    let token = hex::encode(b);
    let days = t.number("appeals.rating_link_days", 14).max(1);
    let now = t.now;
    sqlx::query(
        "INSERT INTO rating_links (token_hash, appeal_id, created_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(a.id)
    .bind(time::fmt(now))
    .bind(time::fmt(now + chrono::TimeDelta::days(days)))
    .bind(actor.user_id)
    .execute(&mut *conn)
    .await?;
    let body = notice::rating_question(
        t.get("appeals.notice.rating"),
        &a.number,
        t.get("app.public_url"),
        &token,
    );
    to_applicant_in(conn, t, a, &body, None).await
}

/// What the rating page shows.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub number: String,
    pub substance: String,
    pub result: Option<String>,
    /// The link was used or expired: nothing more to do.
    pub closed: Option<String>,
}

async fn find(conn: &mut AnyConnection, token: &str) -> Result<(i64, Option<String>, String)> {
    sqlx::query("SELECT appeal_id, used_at, expires_at FROM rating_links WHERE token_hash = $1")
        .bind(hash(token.trim()))
        .fetch_optional(conn)
        .await?
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .ok_or_else(|| StoreError::NotFound(words::noun::RATING_LINK.into()))
}

/// Reading a link never votes (mail scanners open links).
pub async fn link(db: &Db, token: &str) -> Result<LinkView> {
    let mut conn = db.read().acquire().await?;
    let (appeal_id, used, expires) = find(&mut conn, token).await?;
    drop(conn);
    let a = super::get(db, appeal_id).await?;
    let closed = link_closed(used.is_some(), expires < db.now_text()).map(str::to_string);
    Ok(LinkView {
        number: a.number,
        substance: a.substance,
        result: a.result,
        closed,
    })
}

/// The applicant's confirmed answer through the link (once, before it expires).
pub async fn rate_by_link(db: &Db, token: &str, rating: Rating) -> Result<Appeal> {
    let appeal_id = {
        let mut conn = db.read().acquire().await?;
        find(&mut conn, token).await?.0
    };
    let actor = Actor::system(words::LINK_APPLICANT);
    record(db, appeal_id, rating, "link", &actor, Some(token)).await
}

/// The answer the applicant gave by phone, recorded by a specialist.
pub async fn rate_by_phone(db: &Db, id: i64, rating: Rating, actor: &Actor) -> Result<Appeal> {
    record(db, id, rating, "phone", actor, None).await
}

async fn record(
    db: &Db,
    id: i64,
    rating: Rating,
    via: &str,
    actor: &Actor,
    token: Option<&str>,
) -> Result<Appeal> {
    let a = super::get(db, id).await?;
    check_rateable(Status::from_code(&a.status))?;
    let t = Texts::load(db).await?;
    let reopen_at = reopen_threshold(t.number("appeals.rating_reopen_at", 2));
    let reason = rating_note(rating);
    let reopen = if rating.reopens(reopen_at) {
        let ch = StatusChange {
            to: Some(Status::Reopened),
            reason: Some(reason.clone()),
            ..Default::default()
        };
        // The rating is recorded even when reopening is no longer allowed (window passed).
        match prepare(db, id, &ch, Role::Manager, actor).await {
            Ok(plan) => Some((plan, ch)),
            Err(StoreError::Invalid(_)) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    if let Some(token) = token {
        let claimed = sqlx::query(
            "UPDATE rating_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(&now)
        .bind(hash(token.trim()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Err(AppealRefusal::RatingLinkSpent.into());
        }
    }
    let (mark, not_fixed) = match rating {
        Rating::Mark(m) => (Some(i64::from(m)), 0),
        Rating::NotFixed => (None, 1),
    };
    sqlx::query(
        "UPDATE appeals SET rating = $1, not_fixed = $2, rated_at = $3, rating_via = $4, updated_at = $3 WHERE id = $5",
    )
    .bind(mark)
    .bind(not_fixed)
    .bind(&now)
    .bind(via)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "appeal",
            entity_id: id,
            parent: None,
            action: "rating",
            before: Some(serde_json::json!({"rating": a.rating, "not_fixed": a.not_fixed})),
            after: Some(
                serde_json::json!({"rating": mark, "not_fixed": not_fixed != 0, "via": via}),
            ),
            note: Some(&reason),
        },
    )
    .await?;
    if let Some((plan, ch)) = &reopen {
        apply_in(&mut tx, plan, ch, actor).await?;
    }
    tx.commit().await?;
    super::get(db, id).await
}

/// How the rating came, for the card: `link` or `phone`.
pub async fn rating_via(db: &Db, id: i64) -> Result<Option<String>> {
    Ok(sqlx::query("SELECT rating_via FROM appeals WHERE id = $1")
        .bind(id)
        .fetch_optional(db.read())
        .await?
        .and_then(|r| r.get(0)))
}
