//! Stage moves: each checked by `check_stage_change` with the facts of the account (notice
//! delivery, threshold per service, plan) and written to the append-only log and history;
//! bulk moves are all or none.

use super::*;

/// A checked move ready to be written.
pub(super) struct Checked {
    account_id: i64,
    from: Option<Stage>,
    to: Stage,
    on: NaiveDate,
    service: Option<String>,
    reason: Option<String>,
    document_id: Option<i64>,
    stage_on_before: Option<String>,
    /// Repayment closes the active plan.
    close_plan: Option<i64>,
    /// A move from a repaid or written-off case opens the account's next case.
    opens_new_case: bool,
}

pub(super) fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A refusal of the stored case, as the field errors storage returns.
pub(super) fn refusal(r: DebtCaseRefusal) -> StoreError {
    StoreError::Invalid(r.into())
}

fn refused(r: std::result::Result<(), DebtCaseRefusal>) -> Result<()> {
    r.map_err(refusal)
}

/// Checks a move against the case; the errors name the field.
pub(super) async fn check(
    db: &Db,
    account_id: i64,
    req: &MoveRequest,
    today: NaiveDate,
) -> std::result::Result<Checked, StoreError> {
    let (to, on) = debtor::check_move(&req.stage, text(&req.on).as_deref(), today)?;
    let c = case(db, account_id, today).await?;
    refused(debtor::check_stage_order(
        on,
        c.stage_on.as_deref().and_then(time::parse_date),
    ))?;
    let active_plan = c.plan.as_ref().filter(|p| p.status == "active");
    refused(debtor::check_plan_allows(
        to,
        active_plan.map(|p| p.agreed_on.as_str()),
    ))?;
    let rules = reference::debt_rules(db).await?;
    let svc = services(db).await?;
    // A new case after an ended one needs a new debt.
    let opens_new_case = c.stage.is_some_and(Stage::is_closed);
    if opens_new_case && c.debt + c.penalties <= 0 {
        return Err(refusal(DebtCaseRefusal::NothingOwedForNewCase {
            number: c.account_number.clone(),
        }));
    }
    let service = text(&req.service).or_else(|| {
        (to == Stage::Suspension)
            .then(|| c.service.clone())
            .flatten()
    });
    let mut threshold_exceeded = false;
    let mut missing_norm = None;
    if matches!(to, Stage::Limitation | Stage::Suspension) {
        if let Some(s) = service.as_deref().filter(|s| may_suspend(&svc, s)) {
            let sd = c.services.iter().find(|d| d.service == s);
            match sd {
                Some(d) if d.monthly_fee.is_none() => missing_norm = Some(d.title.clone()),
                Some(d) => threshold_exceeded = d.exceeded,
                None => {}
            }
        }
    }
    let mut document_id = req.document_id;
    if to == Stage::NoticeServed {
        let Some(n) = &c.notice else {
            return Err(refusal(DebtCaseRefusal::NoNotice));
        };
        match document_id {
            None => document_id = Some(n.document_id),
            Some(d) => {
                let ok: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM debt_notices WHERE account_id = $1 AND document_id = $2",
                )
                .bind(account_id)
                .bind(d)
                .fetch_optional(db.read())
                .await?;
                if ok.is_none() {
                    return Err(refusal(DebtCaseRefusal::NotANotice { document_id: d }));
                }
            }
        }
    }
    let notice_delivered = c
        .notice
        .as_ref()
        .and_then(|n| n.delivered_on.as_deref())
        .and_then(time::parse_date);
    let change = StageChange {
        from: c.stage,
        to,
        on,
        notice_delivered,
        limited_on: c.limited_on.as_deref().and_then(time::parse_date),
        service: service.as_deref(),
        may_suspend: service.as_deref().is_none_or(|s| may_suspend(&svc, s)),
        threshold_exceeded,
        claim: c.debt + c.penalties,
        reason: req.reason.as_deref(),
    };
    if let Err(v) = check_stage_change(&change, &rules) {
        return Err(match missing_norm {
            Some(title) => debtor::explain_missing_norm(v, &title),
            None => v,
        }
        .into());
    }
    Ok(Checked {
        account_id,
        from: c.stage,
        to,
        on,
        service: if matches!(to, Stage::Limitation | Stage::Suspension) {
            service
        } else {
            None
        },
        reason: text(&req.reason),
        document_id,
        stage_on_before: c.stage_on,
        close_plan: active_plan.map(|p| p.id),
        opens_new_case,
    })
}

pub(super) async fn write_move(
    conn: &mut AnyConnection,
    now: &str,
    m: &Checked,
    actor: &Actor,
) -> Result<()> {
    let on = time::date_text(m.on);
    if m.from.is_none() {
        sqlx::query(
            "INSERT INTO debt_cases (account_id, stage, stage_on, service, limited_on, opened_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(m.account_id)
        .bind(m.to.code())
        .bind(&on)
        .bind(m.service.as_deref())
        .bind((m.to == Stage::Limitation).then_some(on.as_str()))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else if m.opens_new_case {
        // The ended case stays in the log under its number; the new one starts clean.
        sqlx::query(
            "UPDATE debt_cases SET case_no = case_no + 1, stage = $2, stage_on = $3, \
             service = NULL, limited_on = NULL, opened_at = $4, updated_at = $4 \
             WHERE account_id = $1",
        )
        .bind(m.account_id)
        .bind(m.to.code())
        .bind(&on)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query(
            "UPDATE debt_cases SET stage = $2, stage_on = $3, \
             service = COALESCE($4, service), \
             limited_on = CASE WHEN $2 = 'limitation' THEN $3 ELSE limited_on END, \
             updated_at = $5 WHERE account_id = $1",
        )
        .bind(m.account_id)
        .bind(m.to.code())
        .bind(&on)
        .bind(m.service.as_deref())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO debt_stage_moves (account_id, event, from_stage, to_stage, moved_on, service, \
         reason, document_id, moved_by, moved_by_name, created_at, case_no) \
         VALUES ($1, 'move', $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         (SELECT case_no FROM debt_cases WHERE account_id = $1))",
    )
    .bind(m.account_id)
    .bind(m.from.map(Stage::code))
    .bind(m.to.code())
    .bind(&on)
    .bind(m.service.as_deref())
    .bind(m.reason.as_deref())
    .bind(m.document_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if let Some(plan) = m.close_plan {
        sqlx::query("UPDATE installment_plans SET status = 'completed' WHERE id = $1")
            .bind(plan)
            .execute(&mut *conn)
            .await?;
    }
    history::record(
        conn,
        now,
        actor,
        Change {
            entity: "debt_case",
            entity_id: m.account_id,
            parent: Some(("account", m.account_id)),
            action: "stage_move",
            before: Some(serde_json::json!({
                "stage": m.from.map(Stage::code),
                "stage_on": m.stage_on_before,
            })),
            after: Some(serde_json::json!({
                "stage": m.to.code(),
                "stage_on": on,
                "service": m.service,
                "document_id": m.document_id,
                "new_case": m.opens_new_case,
            })),
            note: m.reason.as_deref(),
        },
    )
    .await
}

/// Moves one account's case to another stage.
pub async fn move_stage(
    db: &Db,
    account_id: i64,
    req: &MoveRequest,
    today: NaiveDate,
    actor: &Actor,
) -> Result<DebtCase> {
    let m = check(db, account_id, req, today).await?;
    let mut tx = db.write().begin().await?;
    write_move(&mut tx, &db.now_text(), &m, actor).await?;
    tx.commit().await?;
    case(db, account_id, today).await
}

/// "Л/с 100001: …" before every message, so a bulk refusal names the account.
pub(super) fn prefix_account(e: StoreError, number: &str) -> StoreError {
    match e {
        StoreError::Invalid(v) => StoreError::Invalid(debtor::for_account(number, v)),
        StoreError::NotFound(m) => StoreError::Invalid(debtor::missing_in_batch(&m)),
        other => other,
    }
}

pub(super) async fn number_of(db: &Db, account_id: i64) -> Result<String> {
    sqlx::query_scalar::<_, String>("SELECT number FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| refusal(DebtCaseRefusal::NoAccount { account_id }))
}

pub(super) fn unique(ids: &[i64]) -> Vec<i64> {
    let mut seen = std::collections::HashSet::new();
    ids.iter().copied().filter(|i| seen.insert(*i)).collect()
}

/// Moves the cases of many accounts to one stage, all or none: every account is checked
/// first and each refusal names its account.
pub async fn move_many(
    db: &Db,
    account_ids: &[i64],
    req: &MoveRequest,
    today: NaiveDate,
    actor: &Actor,
) -> Result<usize> {
    let ids = unique(account_ids);
    debtor::check_accounts_chosen(ids.len())?;
    let mut errors = ValidationErrors::new();
    let mut checked = Vec::new();
    for id in &ids {
        let number = number_of(db, *id).await?;
        match check(db, *id, req, today).await {
            Ok(c) => checked.push(c),
            Err(e) => match prefix_account(e, &number) {
                StoreError::Invalid(v) => errors.0.extend(v.0),
                other => return Err(other),
            },
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut tx = db.write().begin().await?;
    for m in &checked {
        write_move(&mut tx, &db.now_text(), m, actor).await?;
    }
    tx.commit().await?;
    Ok(checked.len())
}
