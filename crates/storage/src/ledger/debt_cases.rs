//! Debtor work on one account (issue 5 §4): the case and its stage, the append-only log of
//! stage moves, debt notices with their delivery log, installment plans. Every move is
//! checked by `abonent_domain::debtor::check_stage_change` with the facts gathered here
//! (notice delivery, the limitation threshold per service, the plan) and recorded in history.
//! Documents are rendered by the caller (`render`), numbered and stored here, in the same
//! transaction as the row that points to them.

use std::collections::BTreeMap;

use abonent_domain::consent;
use abonent_domain::debtor::{
    check_stage_change, installment_schedule, track_installments, DebtRules, InstallmentState,
    Stage, StageChange,
};
use abonent_domain::ledger::{allocate, EntryKind};
use abonent_domain::money::format_rub;
use abonent_domain::outbox::OutboxChannel;
use abonent_domain::registry::LinkRole;
use abonent_domain::ValidationErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::{debts, domain_entries, reference, service_title, services};
use crate::documents::{self, NewDocument, Numbering};
use crate::history::{self, Actor, Change};
use crate::outbox::{self, NewMessage};
use crate::registry::{account, link, person};
use crate::{time, Db, Result, StoreError};

/// Reference kind: the monthly fee at the consumption norm per service (ПП 354 п. 117).
pub const NORM_FEES: &str = "norm_fees";
/// Document kind codes (abonent_documents::DocKind).
pub const NOTICE_KIND: &str = "debt_notice";
pub const AGREEMENT_KIND: &str = "installment_agreement";

/// Monthly fee at the consumption norm, kopecks, per service code: the limitation threshold
/// is `threshold_monthly_fees` of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NormFees {
    pub fees: BTreeMap<String, i64>,
}

pub async fn norm_fees(db: &Db) -> Result<NormFees> {
    Ok(reference::current_version(db, NORM_FEES)
        .await?
        .and_then(|v| serde_json::from_value(v.value).ok())
        .unwrap_or_default())
}

pub async fn save_norm_fees(db: &Db, f: &NormFees, source: &str, actor: &Actor) -> Result<i64> {
    check_norm_fees(f)?;
    reference::save(db, NORM_FEES, f, source, actor).await
}

/// Every fee must be a positive amount of kopecks.
pub fn check_norm_fees(f: &NormFees) -> std::result::Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    for (s, v) in &f.fees {
        if *v <= 0 {
            e.add(
                &format!("fees.{s}"),
                "Плата по нормативу должна быть больше нуля (в копейках).",
            );
        }
    }
    e.into_result(())
}

/// One service's debt against the limitation threshold.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceDebt {
    pub service: String,
    pub title: String,
    pub debt: i64,
    /// Monthly fee at the norm; none when not set.
    pub norm_fee: Option<i64>,
    /// Debt must be above this to limit the service.
    pub threshold: Option<i64>,
    pub exceeded: bool,
    /// False for heating and cold water: never limited or suspended.
    pub may_suspend: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StageMove {
    pub id: i64,
    /// `move`, `plan_created`, `plan_broken`.
    pub event: String,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub moved_on: String,
    pub service: Option<String>,
    pub reason: Option<String>,
    pub document_id: Option<i64>,
    pub moved_by_name: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: i64,
    /// `post`, `hand`, `email`, `sms`.
    pub method: String,
    pub method_title: String,
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_by_name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: i64,
    pub account_id: i64,
    pub document_id: i64,
    pub document_number: String,
    pub issued_on: String,
    pub debt: i64,
    pub deliveries: Vec<Delivery>,
    /// The first delivery: the 20 days run from it.
    pub delivered_on: Option<String>,
    /// The first day limitation may start.
    pub limitation_from: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: i64,
    pub account_id: i64,
    pub total: i64,
    pub parts: i64,
    pub first_due: String,
    pub agreed_on: String,
    pub document_id: Option<i64>,
    /// `active`, `broken`, `completed`.
    pub status: String,
    pub broken_on: Option<String>,
    pub broken_reason: Option<String>,
    pub installments: Vec<InstallmentState>,
    /// Paid under the plan since the agreement.
    pub paid: i64,
    /// A due part is not fully paid.
    pub missed: bool,
    /// Active and no part missed: the case is paused.
    pub kept: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NextStep {
    pub stage: Stage,
    pub title: String,
}

/// The debtor work of one account, as the card and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DebtCase {
    pub account_id: i64,
    pub account_number: String,
    /// None until the first move.
    pub stage: Option<Stage>,
    pub stage_title: Option<String>,
    pub stage_on: Option<String>,
    /// The service limited or suspended.
    pub service: Option<String>,
    pub limited_on: Option<String>,
    /// Unpaid charges, kopecks (without penalties).
    pub debt: i64,
    pub penalties: i64,
    pub services: Vec<ServiceDebt>,
    pub threshold_monthly_fees: u32,
    /// The latest notice.
    pub notice: Option<Notice>,
    pub limitation_from: Option<String>,
    pub suspension_from: Option<String>,
    /// Stages allowed next (none while a kept plan pauses the case, except repayment).
    pub next: Vec<NextStep>,
    /// A kept installment plan pauses the case.
    pub paused: bool,
    pub plan: Option<Plan>,
    /// Newest first.
    pub moves: Vec<StageMove>,
}

/// A requested stage move.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MoveRequest {
    /// Stage code: `informed`, `notice_served`, `limitation`, `suspension`,
    /// `court_order_prepared`, `filed`, `order_issued`, `order_cancelled`, `enforcement`,
    /// `repaid`, `written_off`.
    pub stage: String,
    /// Date of the move, `YYYY-MM-DD`; today when absent.
    pub on: Option<String>,
    /// Service code to limit or suspend (`electricity`).
    pub service: Option<String>,
    pub reason: Option<String>,
    /// The document it rests on; for `notice_served` the latest notice by default.
    pub document_id: Option<i64>,
}

fn stage_of(s: Option<String>) -> Option<Stage> {
    s.as_deref().and_then(Stage::from_code)
}

fn method_title(m: &str) -> &'static str {
    match m {
        "post" => "Почтой (заказное письмо)",
        "hand" => "Лично под подпись",
        "email" => "Электронной почтой",
        "sms" => "SMS",
        _ => "—",
    }
}

pub const DELIVERY_METHODS: [&str; 4] = ["post", "hand", "email", "sms"];

async fn latest_notice(db: &Db, account_id: i64, rules: &DebtRules) -> Result<Option<Notice>> {
    let Some(r) = sqlx::query(
        "SELECT n.id, n.document_id, d.number, d.issued_on, n.debt FROM debt_notices n \
         JOIN documents d ON d.id = n.document_id WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(db.read())
    .await?
    else {
        return Ok(None);
    };
    notice_of(db, &r, account_id, rules).await.map(Some)
}

async fn notice_of(
    db: &Db,
    r: &sqlx::any::AnyRow,
    account_id: i64,
    rules: &DebtRules,
) -> Result<Notice> {
    let id: i64 = r.get(0);
    let deliveries: Vec<Delivery> = sqlx::query(
        "SELECT id, method, delivered_on, note, recorded_by_name FROM debt_notice_deliveries \
         WHERE notice_id = $1 ORDER BY delivered_on, id",
    )
    .bind(id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|d| {
        let method: String = d.get(1);
        Delivery {
            id: d.get(0),
            method_title: method_title(&method).into(),
            method,
            delivered_on: d.get(2),
            note: d.get(3),
            recorded_by_name: d.get(4),
        }
    })
    .collect();
    let delivered_on = deliveries.first().map(|d| d.delivered_on.clone());
    let limitation_from = delivered_on
        .as_deref()
        .and_then(time::parse_date)
        .map(|d| time::date_text(rules.limitation_from(d)));
    Ok(Notice {
        id,
        account_id,
        document_id: r.get(1),
        document_number: r.get(2),
        issued_on: r.get(3),
        debt: r.get(4),
        deliveries,
        delivered_on,
        limitation_from,
    })
}

/// A notice by its id.
pub async fn notice(db: &Db, id: i64) -> Result<Notice> {
    let rules = reference::debt_rules(db).await?;
    let r = sqlx::query(
        "SELECT n.id, n.document_id, d.number, d.issued_on, n.debt, n.account_id FROM debt_notices n \
         JOIN documents d ON d.id = n.document_id WHERE n.id = $1",
    )
    .bind(id)
    .fetch_optional(db.read())
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("уведомление о задолженности с кодом {id}")))?;
    let account_id: i64 = r.get(5);
    notice_of(db, &r, account_id, &rules).await
}

/// Payments (date, kopecks) of an account from `from` on; a reversal counts negative.
async fn payments_since(
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

fn plan_row(r: &sqlx::any::AnyRow) -> Plan {
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

async fn moves(db: &Db, account_id: i64) -> Result<Vec<StageMove>> {
    Ok(sqlx::query(
        "SELECT id, event, from_stage, to_stage, moved_on, service, reason, document_id, \
         moved_by_name, created_at FROM debt_stage_moves WHERE account_id = $1 ORDER BY id DESC",
    )
    .bind(account_id)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| StageMove {
        id: r.get(0),
        event: r.get(1),
        from_stage: stage_of(r.get(2)),
        to_stage: stage_of(r.get(3)),
        moved_on: r.get(4),
        service: r.get(5),
        reason: r.get(6),
        document_id: r.get(7),
        moved_by_name: r.get(8),
        created_at: r.get(9),
    })
    .collect())
}

/// The case of an account as of `today` (an account with no moves yet has no stage).
pub async fn case(db: &Db, account_id: i64, today: NaiveDate) -> Result<DebtCase> {
    let a = account::get(db, account_id).await?;
    let rules = reference::debt_rules(db).await?;
    let norms = norm_fees(db).await?;
    let svc = services(db).await?;
    let entries = domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let f = debts::figures(&entries, today, rule);
    let plan = plan(db, account_id, today).await?;
    let kept = plan.as_ref().is_some_and(|p| p.kept);
    let services: Vec<ServiceDebt> = f
        .by_service
        .iter()
        .filter(|(s, _)| !s.is_empty())
        .map(|(s, debt)| {
            let norm = norms.fees.get(s).copied();
            ServiceDebt {
                service: s.clone(),
                title: service_title(&svc, Some(s)),
                debt: *debt,
                norm_fee: norm,
                threshold: norm.map(|n| n.saturating_mul(i64::from(rules.threshold_monthly_fees))),
                exceeded: norm.is_some_and(|n| rules.limitation_allowed(*debt, n, kept)),
                may_suspend: rules.may_suspend(s),
            }
        })
        .collect();
    let row = sqlx::query(
        "SELECT stage, stage_on, service, limited_on FROM debt_cases WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.read())
    .await?;
    let (stage, stage_on, service, limited_on) = match row {
        Some(r) => (
            stage_of(r.get(0)),
            Some(r.get::<String, _>(1)),
            r.get::<Option<String>, _>(2),
            r.get::<Option<String>, _>(3),
        ),
        None => (None, None, None, None),
    };
    let notice = latest_notice(db, account_id, &rules).await?;
    let paused = plan.as_ref().is_some_and(|p| p.status == "active");
    let next: Vec<Stage> = match stage {
        None => vec![
            Stage::Informed,
            Stage::NoticeServed,
            Stage::CourtOrderPrepared,
        ],
        Some(s) => s.next().to_vec(),
    };
    let next = next
        .into_iter()
        .filter(|s| !paused || *s == Stage::Repaid)
        .map(|s| NextStep {
            stage: s,
            title: s.title().into(),
        })
        .collect();
    Ok(DebtCase {
        account_id,
        account_number: a.data.number,
        stage_title: stage.map(|s| s.title().to_string()),
        stage,
        stage_on,
        suspension_from: limited_on
            .as_deref()
            .and_then(time::parse_date)
            .map(|d| time::date_text(rules.suspension_from(d))),
        service,
        limited_on,
        debt: f.debt,
        penalties: f.penalties,
        services,
        threshold_monthly_fees: rules.threshold_monthly_fees,
        limitation_from: notice.as_ref().and_then(|n| n.limitation_from.clone()),
        notice,
        next,
        paused,
        plan,
        moves: moves(db, account_id).await?,
    })
}

/// A checked move ready to be written.
struct Checked {
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

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a move against the case; the errors name the field.
async fn check(
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

async fn write_move(conn: &mut AnyConnection, m: &Checked, actor: &Actor) -> Result<()> {
    let now = time::now_text();
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
        .bind(&now)
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
        .bind(&now)
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
    .bind(&now)
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
    write_move(&mut tx, &m, actor).await?;
    tx.commit().await?;
    case(db, account_id, today).await
}

/// "Л/с 100001: …" before every message, so a bulk refusal names the account.
fn prefix_account(e: StoreError, number: &str) -> StoreError {
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

async fn number_of(db: &Db, account_id: i64) -> Result<String> {
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

fn unique(ids: &[i64]) -> Vec<i64> {
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
        write_move(&mut tx, m, actor).await?;
    }
    tx.commit().await?;
    Ok(checked.len())
}

/// One unpaid line of the notice: period and service.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DebtLine {
    /// `2026-09`.
    pub period: String,
    pub period_title: String,
    pub service: String,
    pub amount: i64,
}

/// What a notice or an agreement prints about an account.
#[derive(Debug, Clone)]
pub struct DebtorFacts {
    pub account_id: i64,
    pub number: String,
    pub address: String,
    /// Owner (or tenant) the document is addressed to.
    pub person_id: Option<i64>,
    pub debtor: Option<String>,
    pub lines: Vec<DebtLine>,
    pub debt: i64,
    pub penalties: i64,
    pub as_of: NaiveDate,
    /// Titles of the services that may be limited (threshold exceeded, may be suspended).
    pub limitable: Vec<String>,
    /// Where the debtor consented to be written to.
    pub recipients: Vec<(OutboxChannel, String)>,
    pub rules: DebtRules,
}

/// Gathers an account's debt for a notice or an agreement (reads only).
pub async fn debtor_facts(db: &Db, account_id: i64, today: NaiveDate) -> Result<DebtorFacts> {
    let a = account::get(db, account_id).await?;
    let rules = reference::debt_rules(db).await?;
    let svc = services(db).await?;
    let entries = domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let out = allocate(&entries, today, rule);
    let lines: Vec<DebtLine> = out
        .lines
        .iter()
        .filter(|l| l.remaining() > 0)
        .map(|l| DebtLine {
            period: l.period.to_string(),
            period_title: l.period.title(),
            service: service_title(&svc, l.service.as_deref()),
            amount: l.remaining(),
        })
        .collect();
    let c = case(db, account_id, today).await?;
    let links = link::links_of_account(db, account_id).await?;
    let holder = links
        .iter()
        .filter(|l| l.link.closed_at.is_none() && l.link.data.to_date.is_none_or(|d| d >= today))
        .find(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant));
    let (person_id, debtor, recipients) = match holder {
        Some(l) => {
            let p = person::get(db, l.link.data.person_id).await?;
            (
                Some(p.id),
                Some(p.full_name.clone()),
                consent::recipients(&p.data),
            )
        }
        None => (None, None, vec![]),
    };
    Ok(DebtorFacts {
        account_id,
        number: a.data.number,
        address: a.address,
        person_id,
        debtor,
        lines,
        debt: out.debt(),
        penalties: c.penalties,
        as_of: today,
        limitable: c
            .services
            .iter()
            .filter(|s| s.exceeded && s.may_suspend)
            .map(|s| s.title.clone())
            .collect(),
        recipients,
        rules,
    })
}

/// A document to issue with a row of debtor work: data and requisites as printed.
pub struct DocToIssue {
    pub data: serde_json::Value,
    pub org: serde_json::Value,
    pub template_version_id: Option<i64>,
}

/// A notice issued by [`issue_notices`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IssuedNotice {
    pub notice_id: i64,
    pub account_id: i64,
    pub account_number: String,
    pub document_id: i64,
    /// Messages queued for the debtor (e-mail, SMS) where consented.
    pub messages: usize,
}

/// Issues one notice per account in ONE transaction: the document (numbered, rendered by
/// `render(data, number)`), its notice row, history and, where the debtor consented, e-mail
/// and SMS through the outbox. Any failure leaves nothing behind.
pub async fn issue_notices<F>(
    db: &Db,
    items: &[(DebtorFacts, DocToIssue)],
    today: NaiveDate,
    actor: &Actor,
    render: F,
) -> Result<Vec<IssuedNotice>>
where
    F: Fn(&DocToIssue, &str) -> Result<Vec<u8>>,
{
    let mut tx = db.write().begin().await?;
    let mut out = Vec::new();
    for (f, doc) in items {
        if f.debt <= 0 {
            return Err(StoreError::invalid(
                "account_ids",
                format!("Л/с {}: долга нет — уведомление не нужно.", f.number),
            ));
        }
        let new = NewDocument {
            kind: NOTICE_KIND,
            title: format!("Уведомление о задолженности, л/с {}", f.number),
            numbering: Numbering::Scope(documents::scope_of(NOTICE_KIND)),
            issued_on: today,
            account_id: Some(f.account_id),
            person_id: f.person_id,
            appeal_id: None,
            corrects_id: None,
            data: doc.data.clone(),
            org: doc.org.clone(),
            template_version_id: doc.template_version_id,
            search_words: [
                Some(f.number.clone()),
                Some(f.address.clone()),
                f.debtor.clone(),
            ]
            .into_iter()
            .flatten()
            .collect(),
        };
        let document_id = documents::issue_in(&mut tx, db, &new, actor, |n| render(doc, n))
            .await
            .map_err(|e| prefix_account(e, &f.number))?;
        let notice_id: i64 = sqlx::query_scalar(
            "INSERT INTO debt_notices (account_id, document_id, debt, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(f.account_id)
        .bind(document_id)
        .bind(f.debt)
        .bind(time::now_text())
        .fetch_one(&mut *tx)
        .await?;
        let number: String = sqlx::query_scalar("SELECT number FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_one(&mut *tx)
            .await?;
        let body = format!(
            "Уведомление № {number}: задолженность по лицевому счёту {} на {} — {}. Погасите её \
             в течение {} дней со дня получения уведомления, иначе предоставление коммунальной \
             услуги может быть ограничено (ПП РФ № 354 п. 119). Можно заключить соглашение о \
             погашении долга в рассрочку.",
            f.number,
            today.format("%d.%m.%Y"),
            format_rub(f.debt),
            f.rules.notice_days
        );
        let mut messages = 0;
        for (channel, to) in &f.recipients {
            let m = match channel {
                OutboxChannel::Email => NewMessage::email(
                    to,
                    &format!("Уведомление о задолженности по л/с {}", f.number),
                    &body,
                ),
                OutboxChannel::Sms => NewMessage::sms(to, &body),
            }
            .about("debt_notice", notice_id)
            .dedup(format!("debt_notice:{notice_id}:{}", channel.code()));
            if outbox::enqueue_in(&mut tx, &m).await?.is_some() {
                messages += 1;
            }
        }
        history::record(
            &mut tx,
            actor,
            Change {
                entity: "debt_notice",
                entity_id: notice_id,
                parent: Some(("account", f.account_id)),
                action: "issue",
                before: None,
                after: Some(serde_json::json!({
                    "document_id": document_id,
                    "number": number,
                    "debt": f.debt,
                    "messages": messages,
                })),
                note: None,
            },
        )
        .await?;
        out.push(IssuedNotice {
            notice_id,
            account_id: f.account_id,
            account_number: f.number.clone(),
            document_id,
            messages,
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// A delivery of a notice to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DeliveryForm {
    /// `post`, `hand`, `email`, `sms`.
    pub method: String,
    /// `YYYY-MM-DD`.
    pub delivered_on: String,
    pub note: Option<String>,
}

/// Records how and when a notice reached the debtor; the first delivery starts the 20 days.
pub async fn record_delivery(
    db: &Db,
    notice_id: i64,
    f: &DeliveryForm,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Notice> {
    let n = notice(db, notice_id).await?;
    let mut e = ValidationErrors::new();
    let method = f.method.trim();
    if !DELIVERY_METHODS.contains(&method) {
        e.add(
            "method",
            "Укажите способ вручения: post (почта), hand (лично), email или sms.",
        );
    }
    let issued = time::parse_date(&n.issued_on);
    match time::parse_date(f.delivered_on.trim()) {
        None => e.add(
            "delivered_on",
            "Укажите дату вручения в виде 2026-11-27: от неё отсчитываются 20 дней.",
        ),
        Some(d) if d > today => e.add("delivered_on", "Дата вручения не может быть в будущем."),
        Some(d) if issued.is_some_and(|i| d < i) => e.add(
            "delivered_on",
            "Дата вручения раньше даты уведомления: проверьте её.",
        ),
        Some(_) => {}
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO debt_notice_deliveries (notice_id, method, delivered_on, note, recorded_by, \
         recorded_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(notice_id)
    .bind(method)
    .bind(f.delivered_on.trim())
    .bind(text(&f.note))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(time::now_text())
    .fetch_one(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        actor,
        Change {
            entity: "debt_notice",
            entity_id: notice_id,
            parent: Some(("account", n.account_id)),
            action: "delivered",
            before: None,
            after: Some(serde_json::json!({
                "delivery_id": id,
                "method": method,
                "delivered_on": f.delivered_on.trim(),
            })),
            note: text(&f.note).as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    notice(db, notice_id).await
}

/// A plan to agree.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PlanForm {
    /// Kopecks; the account's debt when absent.
    pub total: Option<i64>,
    pub parts: u32,
    /// `YYYY-MM-DD`.
    pub first_due: String,
}

/// Checks a plan against the account's debt; returns (total, first due).
pub fn check_plan(
    f: &PlanForm,
    debt: i64,
    today: NaiveDate,
) -> std::result::Result<(i64, NaiveDate), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let total = f.total.unwrap_or(debt);
    if total <= 0 {
        e.add(
            "total",
            "Сумма рассрочки должна быть больше нуля: у счёта нет долга.",
        );
    }
    if !(1..=60).contains(&f.parts) {
        e.add("parts", "Число платежей — от 1 до 60.");
    }
    let first = time::parse_date(f.first_due.trim());
    match first {
        None => e.add(
            "first_due",
            "Укажите дату первого платежа в виде 2026-12-15.",
        ),
        Some(d) if d < today => e.add(
            "first_due",
            "Первый платёж не может быть раньше дня соглашения.",
        ),
        Some(_) => {}
    }
    e.into_result((total, first.unwrap_or(today)))
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
        return Err(StoreError::invalid(
            "account_id",
            "По счёту уже действует рассрочка: новая возможна после её исполнения или нарушения.",
        ));
    }
    let mut tx = db.write().begin().await?;
    let new = NewDocument {
        kind: AGREEMENT_KIND,
        title: format!("Соглашение о рассрочке, л/с {}", facts.number),
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
    let now = time::now_text();
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
        .ok_or_else(|| StoreError::Other("рассрочка не сохранилась".into()))
}

async fn log_event(
    conn: &mut AnyConnection,
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
         reason, document_id, moved_by, moved_by_name, created_at) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(account_id)
    .bind(event)
    .bind(stage)
    .bind(time::date_text(on))
    .bind(reason)
    .bind(document_id)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(time::now_text())
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
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid(
            "reason",
            "Укажите, чем нарушена рассрочка (например, «пропущен платёж 15.12.2026»).",
        ));
    }
    let Some(p) = plan(db, account_id, today)
        .await?
        .filter(|p| p.status == "active")
    else {
        return Err(StoreError::invalid(
            "plan",
            "Действующей рассрочки по счёту нет.",
        ));
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
