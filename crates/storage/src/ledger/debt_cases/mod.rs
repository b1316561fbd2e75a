//! Debtor work on one account (issue 5 §4): the case and its stage, the append-only log of
//! stage moves, debt notices with their delivery log, installment plans. Every move is
//! checked by `abonent_domain::debtor::check_stage_change` with the facts gathered here
//! (notice delivery, the limitation threshold per service, the plan) and recorded in history.
//! Documents are rendered by the caller (`render`), numbered and stored here, in the same
//! transaction as the row that points to them.

use std::collections::BTreeMap;

use abonent_domain::consent;
pub use abonent_domain::debtor::DELIVERY_METHODS;
use abonent_domain::debtor::{
    self as debtor, check_stage_change, delivery_method_title, installment_schedule,
    track_installments, DebtCaseRefusal, DebtRules, FeeBasis, InstallmentState, Stage, StageChange,
};
use abonent_domain::ledger::words::{internal, noun};
use abonent_domain::ledger::{allocate, EntryKind, Period};
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

mod court;
mod moves;
mod norm_fee;
mod notices;
mod plans;

pub use court::*;
pub use moves::*;
pub use notices::*;
pub use plans::*;

/// Reference kind: the monthly fee at the consumption norm per service (ПП 354 п. 117).
pub const NORM_FEES: &str = "norm_fees";
/// Document kind codes (abonent_documents::DocKind).
pub const NOTICE_KIND: &str = "debt_notice";
pub const AGREEMENT_KIND: &str = "installment_agreement";

/// Monthly fee at the consumption norm, kopecks, per service code: the limitation threshold
/// is `threshold_monthly_fees` of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    debtor::check_norm_fees(&f.fees)?;
    reference::save(db, NORM_FEES, f, source, actor).await
}

/// One service's debt against the limitation threshold.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceDebt {
    pub service: String,
    pub title: String,
    pub debt: i64,
    /// The monthly fee the threshold counts in (ПП 354 п. 117), kopecks: at the norm from the
    /// register of tariffs and norms; else the account's average monthly charge of the
    /// service; else the organization's norm fee.
    pub monthly_fee: Option<i64>,
    /// Which of the two it is.
    pub basis: Option<FeeBasis>,
    /// «средняя месячная плата по счёту за 12 мес.»; empty when there is no fee.
    pub basis_title: String,
    /// Debt must be above this to limit the service.
    pub threshold: Option<i64>,
    pub exceeded: bool,
    /// Whether the service may be limited or suspended (`services.may_suspend`).
    pub may_suspend: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageMove {
    pub id: i64,
    /// The account's case the move belongs to: 1, 2 …
    pub case_no: i64,
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

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    /// `post`, `hand`, `email`, `sms`.
    pub method: String,
    pub method_title: String,
    pub delivered_on: String,
    pub note: Option<String>,
    pub recorded_by_name: String,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct NextStep {
    pub stage: Stage,
    pub title: String,
}

/// The debtor work of one account, as the card and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct DebtCase {
    pub account_id: i64,
    pub account_number: String,
    /// The account's case in force: 1 for the first, 2 … after an ended one; 0 before any.
    pub case_no: i64,
    /// Earlier cases of the account, ended (repaid, written off), oldest first.
    pub earlier_cases: Vec<EarlierCase>,
    /// The court record and the sums collected of the case in force.
    pub court: CourtSide,
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

/// An ended case of the account, kept with its moves.
#[derive(Debug, Clone, Serialize)]
pub struct EarlierCase {
    pub case_no: i64,
    pub opened_on: String,
    /// Repaid or written off.
    pub ended: Option<Stage>,
    pub ended_on: String,
}

/// The ended cases before `current`, from the log (newest move first).
fn earlier_cases(moves: &[StageMove], current: i64) -> Vec<EarlierCase> {
    let mut out: Vec<EarlierCase> = Vec::new();
    for m in moves
        .iter()
        .rev()
        .filter(|m| m.case_no < current && m.event == "move")
    {
        match out.last_mut() {
            Some(c) if c.case_no == m.case_no => {
                c.ended = m.to_stage;
                c.ended_on = m.moved_on.clone();
            }
            _ => out.push(EarlierCase {
                case_no: m.case_no,
                opened_on: m.moved_on.clone(),
                ended: m.to_stage,
                ended_on: m.moved_on.clone(),
            }),
        }
    }
    out
}

/// A requested stage move.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MoveRequest {
    /// Stage code: `informed`, `notice_served`, `limitation`, `suspension`,
    /// `court_order_prepared`, `filed`, `order_issued`, `order_cancelled`, `claim_prepared`,
    /// `claim_filed`, `judgment`, `enforcement`,
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

/// Whether `service` may be limited or suspended: the services reference data alone
/// (`services.may_suspend`); a service not in it may not.
pub(super) fn may_suspend(svc: &[super::Service], service: &str) -> bool {
    svc.iter().any(|x| x.code == service && x.may_suspend)
}

fn stage_of(s: Option<String>) -> Option<Stage> {
    s.as_deref().and_then(Stage::from_code)
}

async fn latest_notice(db: &Db, account_id: i64, rules: &DebtRules) -> Result<Option<Notice>> {
    let Some(r) = sqlx::query(
        // A notice of an ended case does not serve the next one.
        "SELECT n.id, n.document_id, d.number, d.issued_on, n.debt FROM debt_notices n \
         JOIN documents d ON d.id = n.document_id WHERE n.account_id = $1 \
         AND n.created_at >= COALESCE((SELECT MAX(created_at) FROM debt_stage_moves \
         WHERE account_id = $1 AND to_stage IN ('repaid', 'written_off')), '') \
         ORDER BY n.id DESC LIMIT 1",
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
            method_title: delivery_method_title(&method).into(),
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
    .ok_or_else(|| StoreError::NotFound(noun::debt_notice(id)))?;
    let account_id: i64 = r.get(5);
    notice_of(db, &r, account_id, &rules).await
}

async fn moves(db: &Db, account_id: i64) -> Result<Vec<StageMove>> {
    Ok(sqlx::query(
        "SELECT id, event, from_stage, to_stage, moved_on, service, reason, document_id, \
         moved_by_name, created_at, case_no FROM debt_stage_moves WHERE account_id = $1 \
         ORDER BY id DESC",
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
        case_no: r.get(10),
    })
    .collect())
}

/// The stage of the account's case and the day it was reached, without the rest of the case
/// (none before the first move): what the account card shows beside the money.
pub async fn stage(db: &Db, account_id: i64) -> Result<Option<(Stage, String)>> {
    Ok(
        sqlx::query("SELECT stage, stage_on FROM debt_cases WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(db.read())
            .await?
            .and_then(|r| stage_of(r.get(0)).map(|s| (s, r.get::<String, _>(1)))),
    )
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
    let at_norm = norm_fee::AtNorm::load(db, &a, today).await?;
    let services: Vec<ServiceDebt> = f
        .by_service
        .iter()
        .filter(|(s, _)| !s.is_empty())
        .map(|(s, debt)| {
            // Per account: its own fee at the norm, or its own average charge — never one
            // organization-wide fee while the account has either.
            let fee = debtor::monthly_fee(
                &entries,
                s,
                Period::of(today),
                rules.fee_average_months,
                at_norm.fee(s).as_ref(),
                norms.fees.get(s).copied(),
            );
            let n = fee.as_ref().map(|f| f.fee);
            ServiceDebt {
                service: s.clone(),
                title: service_title(&svc, Some(s)),
                debt: *debt,
                monthly_fee: n,
                basis: fee.as_ref().map(|f| f.basis),
                basis_title: fee.as_ref().map(|f| f.basis_title()).unwrap_or_default(),
                threshold: n.map(|n| n.saturating_mul(i64::from(rules.threshold_monthly_fees))),
                exceeded: n.is_some_and(|n| rules.limitation_allowed(*debt, n, kept)),
                may_suspend: may_suspend(&svc, s),
            }
        })
        .collect();
    let row = sqlx::query(
        "SELECT stage, stage_on, service, limited_on, case_no FROM debt_cases WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.read())
    .await?;
    let (stage, stage_on, service, limited_on, case_no) = match row {
        Some(r) => (
            stage_of(r.get(0)),
            Some(r.get::<String, _>(1)),
            r.get::<Option<String>, _>(2),
            r.get::<Option<String>, _>(3),
            r.get::<i64, _>(4),
        ),
        None => (None, None, None, None, 0),
    };
    let notice = latest_notice(db, account_id, &rules).await?;
    let moves = moves(db, account_id).await?;
    let paused = plan.as_ref().is_some_and(|p| p.status == "active");
    let next: Vec<Stage> = match stage {
        None => Stage::OPENING.to_vec(),
        // An ended case is followed by a new one only for a new debt.
        Some(s) if s.is_closed() && f.debt + f.penalties <= 0 => vec![],
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
        earlier_cases: earlier_cases(&moves, case_no),
        court: court_side(db, account_id, case_no).await?,
        case_no,
        moves,
    })
}
