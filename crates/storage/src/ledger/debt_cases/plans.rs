//! Installment plans (рассрочка): the agreement with its schedule, tracked against payments;
//! while a plan is kept the case is paused; breaking it is a logged move.

use super::*;

/// Payments (date, kopecks) of an account from `from` on; a reversal counts negative.
pub(super) async fn payments_since(
    db: &Db,
    account_id: i64,
    from: NaiveDate,
) -> Result<Vec<(NaiveDate, i64)>> {
    Ok(domain_entries(db, account_id)
        .await?
        .into_iter()
        .filter(|e| e.date >= from)
        .filter_map(|e| match e.kind {
            EntryKind::Payment => Some((e.date, e.amount)),
            EntryKind::Reversal => Some((e.date, -e.amount)),
            _ => None,
        })
        .collect())
}

pub(super) fn plan_row(r: &sqlx::any::AnyRow) -> Plan {
    Plan {
        id: r.get("id"),
        account_id: r.get("account_id"),
        total: r.get("total"),
        parts: r.get("parts"),
        first_due: r.get("first_due"),
        agreed_on: r.get("agreed_on"),
        document_id: r.get("document_id"),
        status: r.get("status"),
        broken_on: r.get("broken_on"),
        broken_reason: r.get("broken_reason"),
        installments: vec![],
        paid: 0,
        missed: false,
        kept: false,
    }
}

const PLAN_COLS: &str = "id, account_id, total, parts, first_due, agreed_on, document_id, status, \
    broken_on, broken_reason";

/// The account's latest plan, tracked against its payments as of `today`.
pub async fn plan(db: &Db, account_id: i64, today: NaiveDate) -> Result<Option<Plan>> {
    let Some(r) = sqlx::query(&format!(
        "SELECT {PLAN_COLS} FROM installment_plans WHERE account_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(account_id)
    .fetch_optional(db.read())
    .await?
    else {
        return Ok(None);
    };
    let mut p = plan_row(&r);
    let (Some(first), Some(agreed)) = (
        time::parse_date(&p.first_due),
        time::parse_date(&p.agreed_on),
    ) else {
        return Ok(Some(p));
    };
    let schedule = installment_schedule(p.total, p.parts as u32, first);
    let pays = payments_since(db, account_id, agreed).await?;
    p.installments = track_installments(&schedule, &pays, today);
    p.paid = p.installments.iter().map(|i| i.paid).sum();
    p.missed = p.installments.iter().any(|i| i.missed);
    p.kept = p.status == "active" && !p.missed;
    Ok(Some(p))
}

/// Whether the account has an active plan with a missed part (the debtor list flag).
pub async fn missed_installment(db: &Db, account_id: i64, today: NaiveDate) -> Result<bool> {
    Ok(plan(db, account_id, today)
        .await?
        .is_some_and(|p| p.status == "active" && p.missed))
}

/// A plan to agree.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PlanForm {
    /// Kopecks; the account's debt when absent.
    pub total: Option<i64>,
    pub parts: u32,
    /// `YYYY-MM-DD`.
    pub first_due: String,
}

/// Checks a plan against the account's debt; returns (total, first due).
fn check_plan(
    f: &PlanForm,
    debt: i64,
    today: NaiveDate,
) -> std::result::Result<(i64, NaiveDate), ValidationErrors> {
    debtor::check_plan(f.total, f.parts, &f.first_due, debt, today)
}

/// Agrees a plan: the agreement document and the plan in one transaction, logged as an event
/// of the case. One active plan per account.
pub async fn create_plan<F>(
    db: &Db,
    facts: &DebtorFacts,
    f: &PlanForm,
    doc: &DocToIssue,
    today: NaiveDate,
    actor: &Actor,
    render: F,
) -> Result<Plan>
where
    F: FnOnce(&str) -> Result<Vec<u8>>,
{
    let (total, first) = check_plan(f, facts.debt, today)?;
    let account_id = facts.account_id;
    let active: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM installment_plans WHERE account_id = $1 AND status = 'active'",
    )
    .bind(account_id)
    .fetch_optional(db.read())
    .await?;
    if active.is_some() {
        return Err(refusal(DebtCaseRefusal::PlanExists));
    }
    let mut tx = db.write().begin().await?;
    let new = NewDocument {
        kind: AGREEMENT_KIND,
        title: debtor::agreement_title(&facts.number),
        numbering: Numbering::Scope(documents::scope_of(AGREEMENT_KIND)),
        issued_on: today,
        account_id: Some(account_id),
        person_id: facts.person_id,
        appeal_id: None,
        corrects_id: None,
        data: doc.data.clone(),
        org: doc.org.clone(),
        template_version_id: doc.template_version_id,
        search_words: vec![facts.number.clone(), facts.address.clone()],
    };
    let document_id = documents::issue_in(&mut tx, db, &new, actor, render).await?;
    let now = db.now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO installment_plans (account_id, total, parts, first_due, agreed_on, \
         document_id, status, created_by, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $9) RETURNING id",
    )
    .bind(account_id)
    .bind(total)
    .bind(i64::from(f.parts))
    .bind(time::date_text(first))
    .bind(time::date_text(today))
    .bind(document_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    log_event(
        &mut tx,
        &now,
        account_id,
        "plan_created",
        today,
        None,
        Some(document_id),
        actor,
    )
    .await?;
    history::record(
        &mut tx,
        &now,
        actor,
        Change {
            entity: "installment_plan",
            entity_id: id,
            parent: Some(("account", account_id)),
            action: "create",
            before: None,
            after: Some(serde_json::json!({
                "total": total, "parts": f.parts, "first_due": time::date_text(first),
                "document_id": document_id,
            })),
            note: None,
        },
    )
    .await?;
    tx.commit().await?;
    plan(db, account_id, today)
        .await?
        .ok_or_else(|| StoreError::Other(internal::PLAN_NOT_SAVED.into()))
}

#[allow(clippy::too_many_arguments)]
async fn log_event(
    conn: &mut AnyConnection,
    now: &str,
    account_id: i64,
    event: &str,
    on: NaiveDate,
    reason: Option<&str>,
    document_id: Option<i64>,
    actor: &Actor,
) -> Result<()> {
    let stage: Option<String> =
        sqlx::query_scalar("SELECT stage FROM debt_cases WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO debt_stage_moves (account_id, event, from_stage, to_stage, moved_on, \
         reason, document_id, moved_by, moved_by_name, created_at, case_no) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, \
         COALESCE((SELECT case_no FROM debt_cases WHERE account_id = $1), 1))",
    )
    .bind(account_id)
    .bind(event)
    .bind(stage)
    .bind(time::date_text(on))
    .bind(reason)
    .bind(document_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks the active plan broken (with a reason): the case may move on again.
pub async fn break_plan(
    db: &Db,
    account_id: i64,
    reason: &str,
    today: NaiveDate,
    actor: &Actor,
) -> Result<DebtCase> {
    let reason = debtor::check_break_reason(reason)?;
    let Some(p) = plan(db, account_id, today)
        .await?
        .filter(|p| p.status == "active")
    else {
        return Err(refusal(DebtCaseRefusal::NoActivePlan));
    };
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE installment_plans SET status = 'broken', broken_on = $2, broken_reason = $3 \
         WHERE id = $1",
    )
    .bind(p.id)
    .bind(time::date_text(today))
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    log_event(
        &mut tx,
        &db.now_text(),
        account_id,
        "plan_broken",
        today,
        Some(reason),
        None,
        actor,
    )
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "installment_plan",
            entity_id: p.id,
            parent: Some(("account", account_id)),
            action: "break",
            before: Some(serde_json::json!({ "status": "active" })),
            after: Some(serde_json::json!({
                "status": "broken", "broken_on": time::date_text(today),
            })),
            note: Some(reason),
        },
    )
    .await?;
    tx.commit().await?;
    case(db, account_id, today).await
}
