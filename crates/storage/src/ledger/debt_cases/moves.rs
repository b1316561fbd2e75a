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
}

pub(super) fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a move against the case; the errors name the field.
pub(super) async fn check(
    db: &Db,
    account_id: i64,
    req: &MoveRequest,
    today: NaiveDate,
) -> std::result::Result<Checked, StoreError> {
    let Some(to) = Stage::from_code(&req.stage) else {
        return Err(StoreError::invalid(
            "stage",
            format!(
                "Неизвестный этап «{}»: informed, notice_served, limitation, suspension, \
                 court_order_prepared, filed, order_issued, order_cancelled, enforcement, \
                 repaid или written_off.",
                req.stage.trim()
            ),
        ));
    };
    let on = match text(&req.on) {
        None => today,
        Some(s) => time::parse_date(&s).ok_or_else(|| {
            StoreError::invalid("on", format!("«{s}» не дата: укажите 2026-11-27."))
        })?,
    };
    if on > today {
        return Err(StoreError::invalid(
            "on",
            "Дата этапа не может быть в будущем: отметьте этап в день, когда он наступил.",
        ));
    }
    let c = case(db, account_id, today).await?;
    if let Some(prev) = c.stage_on.as_deref().and_then(time::parse_date) {
        if on < prev {
            return Err(StoreError::invalid(
                "on",
                format!(
                    "Дата раньше текущего этапа ({}): этапы идут по порядку.",
                    prev.format("%d.%m.%Y")
                ),
            ));
        }
    }
    let active_plan = c.plan.as_ref().filter(|p| p.status == "active");
    if let Some(p) = active_plan {
        if to != Stage::Repaid {
            return Err(StoreError::invalid(
                "stage",
                format!(
                    "Действует рассрочка от {} — работа с должником приостановлена. Если \
                     должник её нарушил, сначала отметьте нарушение рассрочки с причиной.",
                    time::parse_date(&p.agreed_on)
                        .map_or(p.agreed_on.clone(), |d| d.format("%d.%m.%Y").to_string())
                ),
            ));
        }
    }
    let rules = reference::debt_rules(db).await?;
    let service = text(&req.service).or_else(|| {
        (to == Stage::Suspension)
            .then(|| c.service.clone())
            .flatten()
    });
    let mut threshold_exceeded = false;
    let mut missing_norm = None;
    if matches!(to, Stage::Limitation | Stage::Suspension) {
        if let Some(s) = service.as_deref().filter(|s| rules.may_suspend(s)) {
            let sd = c.services.iter().find(|d| d.service == s);
            match sd {
                Some(d) if d.norm_fee.is_none() => missing_norm = Some(d.title.clone()),
                Some(d) => threshold_exceeded = d.exceeded,
                None => {}
            }
        }
    }
    let mut document_id = req.document_id;
    if to == Stage::NoticeServed {
        let Some(n) = &c.notice else {
            return Err(StoreError::invalid(
                "document_id",
                "Сначала выпустите уведомление о задолженности: этап «Вручено уведомление» \
                 опирается на него.",
            ));
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
                    return Err(StoreError::invalid(
                        "document_id",
                        format!("Документ {d} не уведомление о задолженности по этому счёту."),
                    ));
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
        threshold_exceeded,
        claim: c.debt + c.penalties,
        reason: req.reason.as_deref(),
    };
    if let Err(mut v) = check_stage_change(&change, &rules) {
        if let Some(title) = missing_norm {
            // Say why the threshold cannot be checked instead of "not exceeded".
            v.0.retain(|f| !(f.field == "service" && f.message.contains("не превышает")));
            v.add(
                "service",
                format!(
                    "Для услуги «{title}» не задана плата по нормативу: порог ограничения не \
                     проверить. Укажите её в настройках расчётов (правила работы с должниками)."
                ),
            );
        }
        return Err(v.into());
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
         reason, document_id, moved_by, moved_by_name, created_at) \
         VALUES ($1, 'move', $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        StoreError::Invalid(v) => {
            let mut out = ValidationErrors::new();
            for f in v.0 {
                out.add(&f.field, format!("Л/с {number}: {}", f.message));
            }
            StoreError::Invalid(out)
        }
        StoreError::NotFound(m) => StoreError::invalid("account_ids", format!("Не найден {m}.")),
        other => other,
    }
}

pub(super) async fn number_of(db: &Db, account_id: i64) -> Result<String> {
    sqlx::query_scalar::<_, String>("SELECT number FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db.read())
        .await?
        .ok_or_else(|| {
            StoreError::invalid(
                "account_ids",
                format!("Лицевого счёта с кодом {account_id} нет."),
            )
        })
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
    if ids.is_empty() {
        return Err(StoreError::invalid(
            "account_ids",
            "Отметьте хотя бы один лицевой счёт.",
        ));
    }
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
