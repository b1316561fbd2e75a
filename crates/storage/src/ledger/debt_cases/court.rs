//! The court's side of a case (issue 14 §3): the record of the decision and the writ, kept per
//! case number, and the sums collected under it. Every change is in history.

use abonent_domain::debtor::CourtRecord;

use super::moves::refusal;
use super::*;

/// The court record of the account's current case with what was collected under it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CourtSide {
    pub record: CourtRecord,
    pub collections: Vec<Collection>,
    /// Kopecks collected so far.
    pub collected: i64,
    /// Awarded (debt + penalties + duty) minus collected; none before a decision is entered.
    pub outstanding: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Collection {
    pub id: i64,
    pub collected_on: String,
    pub amount: i64,
    pub note: Option<String>,
    pub recorded_by_name: String,
}

/// The case number in force for the account; none before the first move.
pub(super) async fn current_case_no(conn: &mut AnyConnection, account_id: i64) -> Result<i64> {
    sqlx::query_scalar::<_, i64>("SELECT case_no FROM debt_cases WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| refusal(DebtCaseRefusal::NoCaseYet))
}

pub(super) async fn court_side(db: &Db, account_id: i64, case_no: i64) -> Result<CourtSide> {
    let record = sqlx::query(
        "SELECT court_case_number, decision_on, awarded_debt, awarded_penalties, awarded_duty, \
         writ_number, writ_issued_on, fssp_submitted_on, fssp_case_number \
         FROM debt_court_records WHERE account_id = $1 AND case_no = $2",
    )
    .bind(account_id)
    .bind(case_no)
    .fetch_optional(db.read())
    .await?
    .map(|r| CourtRecord {
        court_case_number: r.get(0),
        decision_on: time::opt_date(r.get(1)),
        awarded_debt: r.get(2),
        awarded_penalties: r.get(3),
        awarded_duty: r.get(4),
        writ_number: r.get(5),
        writ_issued_on: time::opt_date(r.get(6)),
        fssp_submitted_on: time::opt_date(r.get(7)),
        fssp_case_number: r.get(8),
    });
    let collections: Vec<Collection> = sqlx::query(
        "SELECT id, collected_on, amount, note, recorded_by_name FROM debt_collections \
         WHERE account_id = $1 AND case_no = $2 ORDER BY collected_on, id",
    )
    .bind(account_id)
    .bind(case_no)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Collection {
        id: r.get(0),
        collected_on: r.get(1),
        amount: r.get(2),
        note: r.get(3),
        recorded_by_name: r.get(4),
    })
    .collect();
    let collected = collections.iter().map(|c| c.amount).sum();
    let outstanding = record
        .as_ref()
        .filter(|r| r.awarded_total() > 0)
        .map(|r| r.awarded_total() - collected);
    Ok(CourtSide {
        record: record.unwrap_or_default(),
        collections,
        collected,
        outstanding,
    })
}

/// Saves the court record of the account's current case (all fields as given).
pub async fn save_court_record(
    db: &Db,
    account_id: i64,
    r: &CourtRecord,
    today: NaiveDate,
    actor: &Actor,
) -> Result<DebtCase> {
    let mut tx = db.write().begin().await?;
    let case_no = current_case_no(&mut tx, account_id).await?;
    let before = court_side(db, account_id, case_no).await?.record;
    let now = db.now_text();
    sqlx::query(
        "INSERT INTO debt_court_records (account_id, case_no, court_case_number, decision_on, \
         awarded_debt, awarded_penalties, awarded_duty, writ_number, writ_issued_on, \
         fssp_submitted_on, fssp_case_number, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (account_id, case_no) DO UPDATE SET court_case_number = $3, \
         decision_on = $4, awarded_debt = $5, awarded_penalties = $6, awarded_duty = $7, \
         writ_number = $8, writ_issued_on = $9, fssp_submitted_on = $10, \
         fssp_case_number = $11, updated_at = $12",
    )
    .bind(account_id)
    .bind(case_no)
    .bind(r.court_case_number.as_deref())
    .bind(r.decision_on.map(time::date_text))
    .bind(r.awarded_debt)
    .bind(r.awarded_penalties)
    .bind(r.awarded_duty)
    .bind(r.writ_number.as_deref())
    .bind(r.writ_issued_on.map(time::date_text))
    .bind(r.fssp_submitted_on.map(time::date_text))
    .bind(r.fssp_case_number.as_deref())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    if let Some((b, a)) = crate::registry::diff(
        &serde_json::to_value(&before).unwrap_or_default(),
        &serde_json::to_value(r).unwrap_or_default(),
    ) {
        history::record(
            &mut tx,
            &now,
            actor,
            Change {
                entity: "debt_case",
                entity_id: account_id,
                parent: Some(("account", account_id)),
                action: "court_record",
                before: Some(b),
                after: Some(a),
                note: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    case(db, account_id, today).await
}

/// Records a sum collected under the decision of the account's current case.
pub async fn record_collection(
    db: &Db,
    account_id: i64,
    (on, amount, note): (NaiveDate, i64, Option<String>),
    today: NaiveDate,
    actor: &Actor,
) -> Result<DebtCase> {
    let mut tx = db.write().begin().await?;
    let case_no = current_case_no(&mut tx, account_id).await?;
    let now = db.now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO debt_collections (account_id, case_no, collected_on, amount, note, \
         recorded_by, recorded_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(account_id)
    .bind(case_no)
    .bind(time::date_text(on))
    .bind(amount)
    .bind(note.as_deref())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "debt_case",
            entity_id: account_id,
            parent: Some(("account", account_id)),
            action: "collection",
            before: None,
            after: Some(serde_json::json!({
                "collection_id": id,
                "collected_on": time::date_text(on),
                "amount": amount,
                "case_no": case_no,
            })),
            note: note.as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    case(db, account_id, today).await
}
