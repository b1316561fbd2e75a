//! What is held about one person beyond the card (152-ФЗ ст. 14, the subject's request):
//! appeals where they are the applicant, letters naming them, documents issued to them.
//! Plain rows; the use case words and assembles them.

use serde::Serialize;
use sqlx::Row;

use crate::{Db, Result};

/// One record about the person: a numbered thing with a date, a title and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: i64,
    pub number: String,
    /// A date or instant as stored.
    pub on: String,
    pub title: String,
    pub detail: String,
}

async fn records(db: &Db, sql: &str, person_id: i64) -> Result<Vec<Record>> {
    Ok(sqlx::query(sql)
        .bind(person_id)
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| Record {
            id: r.get(0),
            number: r.get(1),
            on: r.get(2),
            title: r.get::<Option<String>, _>(3).unwrap_or_default(),
            detail: r.get::<Option<String>, _>(4).unwrap_or_default(),
        })
        .collect())
}

/// Appeals whose applicant is the person: the number, registration, status and substance
/// (the name, phone and e-mail the applicant gave are in `detail` when they were recorded).
pub async fn appeals(db: &Db, person_id: i64) -> Result<Vec<Record>> {
    records(
        db,
        "SELECT id, number, registered_at, status, \
         substance || COALESCE(' | ' || applicant_name, '') || COALESCE(' | ' || applicant_phone, '') \
         || COALESCE(' | ' || applicant_email, '') \
         FROM appeals WHERE person_id = $1 ORDER BY registered_at",
        person_id,
    )
    .await
}

/// Incoming letters tied to the person: number, date, sender and subject.
pub async fn incoming_letters(db: &Db, person_id: i64) -> Result<Vec<Record>> {
    records(
        db,
        "SELECT id, number, received_on, sender_name, subject FROM incoming_letters \
         WHERE person_id = $1 ORDER BY received_on, id",
        person_id,
    )
    .await
}

/// Outgoing letters tied to the person: number, date, addressee and subject.
pub async fn outgoing_letters(db: &Db, person_id: i64) -> Result<Vec<Record>> {
    records(
        db,
        "SELECT id, number, sent_on, addressee, subject FROM outgoing_letters \
         WHERE person_id = $1 ORDER BY sent_on, id",
        person_id,
    )
    .await
}

/// Documents issued naming the person: number, date of issue, title and who issued it.
pub async fn documents(db: &Db, person_id: i64) -> Result<Vec<Record>> {
    records(
        db,
        "SELECT id, number, issued_on, title, issued_by_name FROM documents \
         WHERE person_id = $1 ORDER BY issued_at, id",
        person_id,
    )
    .await
}
