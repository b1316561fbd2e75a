//! Debtor work in the browser: the stage and plan block of the account's «Расчёты», its
//! forms (move, notice, delivery, plan, breaking the plan), the bulk actions of the debtor
//! list and the debt rules form of the ledger settings.

use crate::extract::Path;
use abonent_domain::debtor::Stage;
use abonent_domain::Permission;
use abonent_storage::ledger::debt_cases::{self as dc, DeliveryForm, MoveRequest, PlanForm};
use abonent_storage::ledger::reference;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::rub;
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use abonent_app::debtors;

use crate::{AppError, AppState};

/// Fields of the debt forms on the account page (their errors are listed in the block).
pub const FIELDS: &[&str] = &[
    "stage",
    "on",
    "service",
    "reason",
    "document_id",
    "method",
    "delivered_on",
    "total",
    "parts",
    "first_due",
    "plan",
    "account_id",
    "account_ids",
    "claim",
    "notice_delivered",
    "template",
    "total_kopecks",
];

fn ru(d: &str) -> String {
    abonent_storage::time::parse_date(d)
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

pub struct ServiceView {
    pub title: String,
    pub code: String,
    pub debt: String,
    pub threshold: String,
    /// What the monthly fee of the threshold is: «средняя месячная плата по счёту за 12 мес.».
    pub basis: String,
    pub exceeded: bool,
    pub may_suspend: bool,
}

pub struct InstallmentView {
    pub due: String,
    pub amount: String,
    pub paid: String,
    pub missed: bool,
}

pub struct PlanView {
    pub total: String,
    pub parts: i64,
    pub agreed_on: String,
    pub status: &'static str,
    pub active: bool,
    pub document_id: Option<i64>,
    pub missed: bool,
    pub installments: Vec<InstallmentView>,
}

pub struct MoveView {
    pub on: String,
    pub what: String,
    pub who: String,
    pub reason: String,
    pub document_id: Option<i64>,
}

pub struct DeliveryView {
    pub method: String,
    pub on: String,
    pub note: String,
}

pub struct NoticeView {
    pub id: i64,
    pub document_id: i64,
    pub number: String,
    pub issued_on: String,
    pub deliveries: Vec<DeliveryView>,
}

/// The «Работа с должником» block of the account's «Расчёты».
pub struct DebtCard {
    pub account_id: i64,
    pub can_work: bool,
    pub csrf: String,
    pub stage: String,
    pub stage_on: String,
    pub service: String,
    pub next: Vec<(&'static str, &'static str)>,
    pub paused: bool,
    pub limitation_from: String,
    pub suspension_from: String,
    pub threshold_fees: u32,
    pub services: Vec<ServiceView>,
    pub notice: Option<NoticeView>,
    pub plan: Option<PlanView>,
    pub moves: Vec<MoveView>,
    pub errors: Vec<String>,
    pub today: String,
    /// The case number, earlier cases, the court record and the sums collected.
    pub court: super::debt_court::CourtView,
}

pub async fn card(
    s: &AppState,
    p: &Principal,
    account_id: i64,
    f: &FormView,
) -> Result<DebtCard, AppError> {
    let now = s.today().await?;
    let c = dc::case(&s.db, account_id, now).await?;
    let event = |m: &dc::StageMove| match m.event.as_str() {
        "plan_created" => "Заключена рассрочка".to_string(),
        "plan_broken" => "Рассрочка нарушена".to_string(),
        _ => m
            .to_stage
            .map_or_else(String::new, |s| s.title().to_string()),
    };
    Ok(DebtCard {
        account_id,
        can_work: p.can(Permission::WorkDebtors),
        csrf: p.csrf.clone().unwrap_or_default(),
        stage: c.stage.map_or("Работа не начата".to_string(), |s| {
            s.title().to_string()
        }),
        stage_on: c.stage_on.as_deref().map(ru).unwrap_or_default(),
        service: c.service.clone().unwrap_or_default(),
        next: c
            .next
            .iter()
            .map(|n| (n.stage.code(), n.stage.title()))
            .collect(),
        paused: c.paused,
        limitation_from: c.limitation_from.as_deref().map(ru).unwrap_or_default(),
        suspension_from: c.suspension_from.as_deref().map(ru).unwrap_or_default(),
        threshold_fees: c.threshold_monthly_fees,
        services: c
            .services
            .iter()
            .map(|d| ServiceView {
                title: d.title.clone(),
                code: d.service.clone(),
                debt: rub(d.debt),
                threshold: d.threshold.map(rub).unwrap_or_else(|| "не задан".into()),
                basis: d.basis_title.clone(),
                exceeded: d.exceeded,
                may_suspend: d.may_suspend,
            })
            .collect(),
        notice: c.notice.as_ref().map(|n| NoticeView {
            id: n.id,
            document_id: n.document_id,
            number: n.document_number.clone(),
            issued_on: ru(&n.issued_on),
            deliveries: n
                .deliveries
                .iter()
                .map(|d| DeliveryView {
                    method: d.method_title.clone(),
                    on: ru(&d.delivered_on),
                    note: d.note.clone().unwrap_or_default(),
                })
                .collect(),
        }),
        plan: c.plan.as_ref().map(|pl| PlanView {
            total: rub(pl.total),
            parts: pl.parts,
            agreed_on: ru(&pl.agreed_on),
            status: match pl.status.as_str() {
                "active" if pl.missed => "действует, платёж пропущен",
                "active" => "действует, соблюдается",
                "broken" => "нарушена",
                _ => "исполнена",
            },
            active: pl.status == "active",
            document_id: pl.document_id,
            missed: pl.missed,
            installments: pl
                .installments
                .iter()
                .map(|i| InstallmentView {
                    due: i.due.format("%d.%m.%Y").to_string(),
                    amount: rub(i.amount),
                    paid: rub(i.paid),
                    missed: i.missed,
                })
                .collect(),
        }),
        moves: c
            .moves
            .iter()
            .map(|m| MoveView {
                on: ru(&m.moved_on),
                what: event(m),
                who: m.moved_by_name.clone(),
                reason: m.reason.clone().unwrap_or_default(),
                document_id: m.document_id,
            })
            .collect(),
        errors: f
            .errors
            .0
            .iter()
            .filter(|e| {
                FIELDS.contains(&e.field.as_str())
                    || super::debt_court::FIELDS.contains(&e.field.as_str())
            })
            .map(|e| e.message.clone())
            .collect(),
        today: now.to_string(),
        court: super::debt_court::view(&c),
    })
}

/// The confirmation after a debt form (`?saved=…`).
pub fn flash(k: &str) -> &'static str {
    match k {
        "stage" => "Этап работы с должником изменён.",
        "notice" => "Уведомление о задолженности выпущено.",
        "delivery" => "Вручение уведомления отмечено.",
        "plan" => "Рассрочка заключена, соглашение выпущено.",
        "plan_broken" => "Рассрочка отмечена как нарушенная.",
        "court" => "Решение суда и исполнительный лист сохранены.",
        "collection" => "Взысканная сумма записана.",
        _ => "",
    }
}

/// Back to the account's «Расчёты», or the page again with the refusal in the debt block.
pub(super) async fn answer(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
    r: Result<(), AppError>,
    saved: &str,
) -> PageResult {
    match r {
        Ok(()) => to(format!("/accounts/{id}/ledger?saved={saved}")),
        Err(AppError::Invalid(e)) => {
            invalid(&super::account_page(s, p, id, f.errors(e), "").await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn move_stage(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let req = MoveRequest {
        stage: f.v("stage").to_string(),
        on: f.opt("on"),
        service: f.opt("service"),
        reason: f.opt("reason"),
        document_id: None,
    };
    let r = debtors::move_stage(&s, id, &req, &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, id, f, r, "stage").await
}

pub async fn notice(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let r = debtors::issue_notices(&s, &[id], &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, id, f, r, "notice").await
}

pub async fn delivery(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let n = dc::notice(&s.db, id).await?;
    let form = DeliveryForm {
        method: f.v("method").to_string(),
        delivered_on: f.v("delivered_on").to_string(),
        note: f.opt("note"),
    };
    let r = debtors::record_delivery(&s, id, &form, &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, n.account_id, f, r, "delivery").await
}

pub async fn plan(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let total = match f.opt("total") {
        None => Ok(None),
        Some(v) => abonent_domain::money::parse_amount(&v)
            .map(Some)
            .map_err(|m| {
                AppError::Invalid(abonent_domain::ValidationErrors::single(
                    "total",
                    format!("Сумма рассрочки: {m}."),
                ))
            }),
    };
    let r = match total {
        Err(e) => Err(e),
        Ok(total) => {
            let form = PlanForm {
                total,
                parts: f.v("parts").trim().parse().unwrap_or(0),
                first_due: f.v("first_due").to_string(),
            };
            debtors::create_plan(&s, id, &form, &p.actor())
                .await
                .map(|_| ())
        }
    };
    answer(&s, &p, id, f, r, "plan").await
}

pub async fn plan_break(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let r = debtors::break_plan(&s, id, f.v("reason"), &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, id, f, r, "plan_broken").await
}

pub struct IssuedView {
    pub account_id: i64,
    pub number: String,
    pub document_id: i64,
    pub messages: usize,
}

#[derive(Template)]
#[template(path = "ledger/debtors_bulk.html")]
struct BulkPage {
    l: Layout,
    title: String,
    errors: Vec<String>,
    issued: Vec<IssuedView>,
    moved: usize,
}

impl BulkPage {
    /// «12,13,14»: the issued documents for the mailing links.
    fn document_ids(&self) -> String {
        self.issued
            .iter()
            .map(|n| n.document_id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Debt notices for the post (`?document_ids=1,2&format=pdf|csv|xlsx`): one PDF for
/// printing or the list of registered letters (form 103).
pub async fn mailing(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    crate::extract::Query(q): crate::extract::Query<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let v = |k: &str| q.get(k).map(String::as_str).unwrap_or_default();
    let f = abonent_app::documents::mailing::file(&s, v("document_ids"), v("format"), &p.actor())
        .await?;
    Ok(crate::http::file_response(f.mime, &f.file_name, f.bytes))
}

/// The checked accounts of the debtor list: «Уведомления» or «Перевести на этап», all or
/// none; the result page lists the documents, or every refusal with its account.
pub async fn bulk(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form = crate::forms::Pairs::parse(&body)?;
    let get = |k: &str| form.get(k);
    let ids = form.ids("account_id")?;
    let action = get("action").unwrap_or_default();
    let (title, r) = if action == "notices" {
        (
            "Уведомления о задолженности",
            debtors::issue_notices(&s, &ids, &p.actor())
                .await
                .map(|v| (v, 0)),
        )
    } else {
        let req = MoveRequest {
            stage: get("stage").unwrap_or_default(),
            on: get("on"),
            service: get("service"),
            reason: get("reason"),
            document_id: None,
        };
        (
            "Перевод на этап",
            debtors::move_many(&s, &ids, &req, &p.actor())
                .await
                .map(|n| (vec![], n)),
        )
    };
    let l = layout(&s, &p, title, "debtors").await?;
    match r {
        Ok((issued, moved)) => html(&BulkPage {
            l,
            title: title.into(),
            errors: vec![],
            issued: issued
                .into_iter()
                .map(|n| IssuedView {
                    account_id: n.account_id,
                    number: n.account_number,
                    document_id: n.document_id,
                    messages: n.messages,
                })
                .collect(),
            moved,
        }),
        Err(AppError::Invalid(e)) => invalid(&BulkPage {
            l,
            title: title.into(),
            errors: e.0.into_iter().map(|f| f.message).collect(),
            issued: vec![],
            moved: 0,
        }),
        Err(e) => Err(e.into()),
    }
}

/// Stage choices for the bulk form: every stage.
pub fn stage_choices() -> Vec<(&'static str, &'static str)> {
    Stage::ALL.iter().map(|s| (s.code(), s.title())).collect()
}

/// The debt rules and norm fees form of the ledger settings.
pub struct RulesView {
    pub notice_days: u32,
    pub suspension_after_days: u32,
    pub threshold_monthly_fees: u32,
    pub fee_average_months: u32,
    pub court_order_limit: String,
    pub limitation_years: u32,
    pub source: String,
    /// (code, title, fee in rubles or empty).
    pub norm_fees: Vec<(String, String, String)>,
}

pub async fn rules_view(db: &abonent_storage::Db) -> Result<RulesView, AppError> {
    let r = reference::debt_rules(db).await?;
    let fees = dc::norm_fees(db).await?;
    Ok(RulesView {
        notice_days: r.notice_days,
        suspension_after_days: r.suspension_after_days,
        threshold_monthly_fees: r.threshold_monthly_fees,
        fee_average_months: r.fee_average_months,
        court_order_limit: rub(r.court_order_limit),
        limitation_years: r.limitation_years,
        source: r.source,
        norm_fees: abonent_storage::ledger::services(db)
            .await?
            .into_iter()
            .map(|s| {
                let fee = fees.fees.get(&s.code).map(|v| rub(*v)).unwrap_or_default();
                (s.code, s.title, fee)
            })
            .collect(),
    })
}

pub async fn rules_save(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let mut e = abonent_domain::ValidationErrors::new();
    let num = |k: &str, e: &mut abonent_domain::ValidationErrors| -> u32 {
        f.v(k).trim().parse().unwrap_or_else(|_| {
            e.add(k, "Укажите целое число.");
            0
        })
    };
    let notice_days = num("notice_days", &mut e);
    let suspension_after_days = num("suspension_after_days", &mut e);
    let threshold_monthly_fees = num("threshold_monthly_fees", &mut e);
    // A form saved before the field existed keeps the default.
    let fee_average_months = match f.v("fee_average_months").trim() {
        "" => abonent_domain::debtor::DebtRules::default().fee_average_months,
        _ => num("fee_average_months", &mut e),
    };
    let limitation_years = num("limitation_years", &mut e);
    let court_order_limit = abonent_domain::money::parse_amount(f.v("court_order_limit"))
        .unwrap_or_else(|m| {
            e.add("court_order_limit", format!("Предел требования: {m}."));
            0
        });
    let mut fees = dc::NormFees::default();
    for svc in abonent_storage::ledger::services(&s.db).await? {
        let key = format!("fee_{}", svc.code);
        let v = f.v(&key).trim();
        if v.is_empty() {
            continue;
        }
        match abonent_domain::money::parse_amount(v) {
            Ok(k) => {
                fees.fees.insert(svc.code, k);
            }
            Err(m) => e.add(&key, format!("{}: {m}.", svc.title)),
        }
    }
    let source = f.v("source").trim().to_string();
    let r = if e.is_empty() {
        let rules = abonent_domain::debtor::DebtRules {
            notice_days,
            suspension_after_days,
            threshold_monthly_fees,
            fee_average_months,
            court_order_limit,
            limitation_years,
            source: source.clone(),
        };
        debtors::save_rules(&s, Some(&rules), Some(&fees), &source, &p.actor()).await
    } else {
        Err(AppError::Invalid(e))
    };
    match r {
        Ok(()) => to("/ledger/settings?saved=debt_rules".to_string()),
        Err(AppError::Invalid(e)) => {
            let msg: Vec<String> = e.0.into_iter().map(|f| f.message).collect();
            Err(AppError::Invalid(abonent_domain::ValidationErrors::single(
                "debt_rules",
                format!(
                    "Правила работы с должниками не сохранены: {}",
                    msg.join(" ")
                ),
            ))
            .into())
        }
        Err(e) => Err(e.into()),
    }
}
