//! «Расчёты» of an account (balance, debt by period and service, aging, ledger lines that
//! explain each charge, penalties), the cash-desk payment and the reversal, «Расчёт пени»,
//! the turnover sheet and the debtor list.

pub mod admin;
pub mod debt_court;
pub mod debtors;
pub mod documents;
pub mod import;
pub mod profile_form;
pub mod reference_form;
pub mod services;
pub mod waiting;

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::documents::issue::ledger::penalty_basis as basis;
use abonent_app::ledger as ledger_uc;
use abonent_domain::ledger::{aging, allocate_with, balance_on, Period, AGING_BUCKETS};
use abonent_domain::money::format_amount;
use abonent_domain::penalty::format_rate;
use abonent_storage::ledger::turnover::{self, TurnoverSheet};
use abonent_storage::ledger::{self, debts, entries, penalties, reference, LedgerEntry};
use abonent_storage::registry::{account, Account, PageReq};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Extension;

use super::{html, invalid, layout, to, PageResult};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{xlsx, AppError, AppState};

/// The page layout where the caller answers `AppError`.
pub(crate) async fn lay(
    app: &abonent_app::App,
    p: &Principal,
    title: impl Into<String>,
    nav: &'static str,
) -> Result<Layout, AppError> {
    layout(app, p, title, nav).await.map_err(|e| e.0)
}

pub fn rub(k: i64) -> String {
    format_amount(k)
}

pub struct DebtView {
    pub period: String,
    pub service: String,
    pub charged: String,
    pub paid: String,
    pub remaining: String,
}

pub struct EntryView {
    pub id: i64,
    pub kind: &'static str,
    pub period: String,
    pub date: String,
    pub service: String,
    pub amount: String,
    /// «3,5 м3 × 45,67»: how the charge was made.
    pub explain: String,
    pub note: String,
    pub reversible: bool,
    pub reversed: bool,
}

fn explain(e: &LedgerEntry) -> String {
    let num = |s: &Option<String>| s.as_deref().map(|v| v.replace('.', ","));
    match (num(&e.volume), num(&e.tariff)) {
        (Some(v), Some(t)) => {
            format!("{v} {} × {t} ₽", e.unit.as_deref().unwrap_or("")).replace("  ", " ")
        }
        (Some(v), None) => format!("{v} {}", e.unit.as_deref().unwrap_or("")),
        (None, Some(t)) => format!("тариф {t} ₽"),
        _ => String::new(),
    }
}

pub fn entry_view(e: &LedgerEntry, services: &[ledger::Service]) -> EntryView {
    let mut note = Vec::new();
    if let Some(p) = e.paid_period {
        note.push(format!("за {}", p.title()));
    }
    if e.for_penalties {
        note.push("оплата пени".into());
    }
    if let Some(r) = &e.receipt_no {
        note.push(format!("чек № {r}"));
    }
    if let Some(o) = &e.operation_id {
        note.push(format!("операция № {o}"));
    }
    if let Some(p) = &e.payer {
        note.push(p.clone());
    }
    if let Some(r) = &e.reason {
        note.push(r.clone());
    }
    if let Some(r) = e.reverses {
        note.push(format!("сторно записи № {r}"));
    }
    EntryView {
        id: e.id,
        kind: e.kind.title(),
        period: e.period.title(),
        date: e.date.format("%d.%m.%Y").to_string(),
        service: ledger::service_title(services, e.service.as_deref()),
        amount: rub(e.amount),
        explain: explain(e),
        note: note.join("; "),
        reversible: e.kind == abonent_domain::ledger::EntryKind::Payment && e.reversed_by.is_none(),
        reversed: e.reversed_by.is_some(),
    }
}

#[derive(Template)]
#[template(path = "ledger/account.html")]
pub(crate) struct AccountPage {
    l: Layout,
    a: Account,
    balance: String,
    debt: String,
    advance: String,
    penalties: String,
    penalties_paid: String,
    penalties_owed: String,
    penalty_rule: &'static str,
    debts: Vec<DebtView>,
    aging: Vec<(&'static str, String)>,
    entries: Vec<EntryView>,
    rule: &'static str,
    f: FormView,
    debt_case: debtors::DebtCard,
}

pub(crate) async fn account_page(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
    flash: &str,
) -> Result<AccountPage, AppError> {
    let a = account::get(&s.db, id).await?;
    let services = ledger::services(&s.db).await?;
    let list = entries::list(&s.db, id, None, None).await?;
    let domain = ledger::domain_entries(&s.db, id).await?;
    let now = s.today().await?;
    let rule = reference::allocation_rule(&s.db).await?;
    let credit = reference::penalty_credit(&s.db).await?;
    let out = allocate_with(&domain, now, rule, credit);
    let ages = aging(&out, Period::of(now));
    let l = lay(s, p, format!("Расчёты по ЛС {}", a.data.number), "accounts")
        .await?
        .flash(flash);
    let debt_case = debtors::card(s, p, id, &f).await?;
    Ok(AccountPage {
        debt_case,
        l,
        balance: rub(balance_on(&domain, now)),
        debt: rub(out.debt()),
        advance: rub(out.advance),
        penalties: rub(out.penalties_accrued),
        penalties_paid: rub(out.penalties_paid),
        penalties_owed: rub(out.penalties_owed()),
        penalty_rule: credit.title(),
        debts: out
            .lines
            .iter()
            .rev()
            .filter(|d| d.remaining() != 0)
            .map(|d| DebtView {
                period: d.period.title(),
                service: ledger::service_title(&services, d.service.as_deref()),
                charged: rub(d.charged),
                paid: rub(d.paid),
                remaining: rub(d.remaining()),
            })
            .collect(),
        aging: AGING_BUCKETS
            .iter()
            .zip(ages)
            .map(|(b, v)| (b.title, rub(v)))
            .collect(),
        entries: list.iter().map(|e| entry_view(e, &services)).collect(),
        rule: rule.title(),
        f: {
            let mut f = f;
            if f.v("paid_on").is_empty() {
                f.set("paid_on", now.to_string());
            }
            f
        },
        a,
    })
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let flash = match q.get("saved").map(String::as_str) {
        Some("cash") => "Оплата проведена.",
        Some("reversed") => "Платёж сторнирован; он остаётся в журнале с пометкой.",
        Some(k) => debtors::flash(k),
        _ => "",
    };
    html(&account_page(&s, &p, id, FormView::default(), flash).await?)
}

/// Cash-desk payment form on the account's «Расчёты».
pub async fn cash(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let now = s.today().await?;
    let mut e = abonent_domain::ValidationErrors::new();
    let amount = match abonent_domain::money::parse_amount(f.v("amount")) {
        Ok(a) => a,
        Err(m) => {
            e.add("amount", m);
            0
        }
    };
    let paid_on = abonent_domain::registry::parse_date(f.v("paid_on")).unwrap_or_else(|| {
        e.add("paid_on", "Укажите дату оплаты, например 27.11.2026.");
        now
    });
    let paid_period = match f.v("paid_period").trim() {
        "" => None,
        v => match abonent_import::charges::parse_period(v) {
            Some(p) => Some(p),
            None => {
                e.add("paid_period", "Период пишите как 2026-10 или 10.2026.");
                None
            }
        },
    };
    if !e.is_empty() {
        return invalid(&account_page(&s, &p, id, f.errors(e), "").await?);
    }
    let cp = entries::CashPayment {
        account_id: id,
        amount,
        paid_on,
        paid_period,
        receipt_no: f.v("receipt_no").to_string(),
        payer: Some(f.v("payer").to_string()),
        for_penalties: f.checked("for_penalties"),
    };
    match ledger_uc::pay_cash(&s, &cp, &p.actor()).await {
        Ok(_) => to(format!("/accounts/{id}/ledger?saved=cash")),
        Err(AppError::Invalid(e)) => invalid(&account_page(&s, &p, id, f.errors(e), "").await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn reverse(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let e = entries::get(&s.db, id).await?;
    match ledger_uc::reverse(&s, id, f.v("reason"), None, &p.actor()).await {
        Ok(_) => to(format!("/accounts/{}/ledger?saved=reversed", e.account_id)),
        Err(AppError::Invalid(v)) => {
            let mut f = f.errors(v);
            f.set("reverse_id", id.to_string());
            invalid(&account_page(&s, &p, e.account_id, f, "").await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct PenaltyRowView {
    pub period: String,
    pub debt: String,
    pub from: String,
    pub to: String,
    pub days: i64,
    pub share: String,
    pub rate: String,
    pub formula: String,
    pub sum: String,
    pub moratorium: bool,
}

#[derive(Template)]
#[template(path = "ledger/penalty.html")]
struct PenaltyPage {
    l: Layout,
    a: Account,
    on: String,
    rows: Vec<PenaltyRowView>,
    total: String,
    basis: String,
    error: String,
}

fn calc_date(q: &BTreeMap<String, String>, today: chrono::NaiveDate) -> chrono::NaiveDate {
    q.get("on")
        .and_then(|v| abonent_domain::registry::parse_date(v))
        .unwrap_or(today)
}

pub async fn penalty(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let a = account::get(&s.db, id).await?;
    let on = calc_date(&q, s.today().await?);
    let l = layout(
        &s,
        &p,
        format!("Расчёт пени, ЛС {}", a.data.number),
        "accounts",
    )
    .await?;
    let (rows, total, basis, error) = match penalties::account_calculation(&s.db, id, on).await {
        Ok((c, r)) => (
            c.rows
                .iter()
                .map(|r| PenaltyRowView {
                    period: r.period.clone(),
                    debt: rub(r.debt_kopecks),
                    from: r.from.format("%d.%m.%Y").to_string(),
                    to: r.to.format("%d.%m.%Y").to_string(),
                    days: r.days,
                    share: format!("1/{}", r.share),
                    rate: format_rate(r.rate_bp),
                    formula: r.formula.clone(),
                    sum: rub(r.penalty_kopecks),
                    moratorium: r.moratorium.is_some(),
                })
                .collect(),
            rub(c.total_kopecks),
            basis(&r),
            String::new(),
        ),
        Err(abonent_storage::StoreError::Invalid(e)) => {
            (Vec::new(), rub(0), String::new(), e.to_string())
        }
        Err(e) => return Err(AppError::from(e).into()),
    };
    html(&PenaltyPage {
        l,
        a,
        on: on.to_string(),
        rows,
        total,
        basis,
        error,
    })
}

pub async fn penalty_xlsx(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let a = account::get(&s.db, id).await?;
    let on = calc_date(&q, s.today().await?);
    let (c, r) = penalties::account_calculation(&s.db, id, on).await?;
    let title = format!(
        "Расчёт пени по лицевому счёту № {} ({}) на {}",
        a.data.number,
        a.address,
        on.format("%d.%m.%Y")
    );
    Ok(xlsx::download(
        xlsx::penalty(&c, &title, &basis(&r)),
        &format!("Расчёт пени {} на {}.xlsx", a.data.number, on),
    )?
    .into_response())
}

pub struct TurnoverView {
    pub title: String,
    pub href: String,
    pub cells: Vec<String>,
}

fn cells(t: &abonent_domain::ledger::Turnover) -> Vec<String> {
    [
        t.opening,
        t.charged,
        t.recalculated,
        t.penalties,
        t.paid,
        t.closing,
    ]
    .iter()
    .map(|v| rub(*v))
    .collect()
}

#[derive(Template)]
#[template(path = "ledger/turnover.html")]
struct TurnoverPage {
    l: Layout,
    sheet: TurnoverSheet,
    rows: Vec<TurnoverView>,
    total: Vec<String>,
    scope: String,
    /// The building and account pickers.
    f: crate::forms::FormView,
    xlsx_href: String,
}

/// The turnover sheet's building and account, chosen by address or number.
const TURNOVER_PICKS: &[crate::pickers::Field] = &[
    ("building_id", abonent_storage::suggest::PickKind::Building),
    ("account_id", abonent_storage::suggest::PickKind::Account),
];

pub async fn turnover_page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(mut q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let l = layout(&s, &p, "Оборотно-сальдовая ведомость", "turnover").await?;
    // A link with `id` (the sheet's own rows) shows its record in the scope's picker.
    let by_id = match q.get("scope").map(String::as_str) {
        Some("building") => Some("building_id"),
        Some("account") => Some("account_id"),
        _ => None,
    };
    if let (Some(k), Some(id)) = (by_id, q.get("id").cloned()) {
        q.entry(k.to_string()).or_insert(id);
    }
    let picked = crate::pickers::resolve_query(&s, &mut q, TURNOVER_PICKS).await?;
    crate::pickers::fill_query_labels(&s, &mut q, TURNOVER_PICKS).await?;
    let mut asked = q.clone();
    if !picked.is_empty() {
        // What was typed named nothing: the whole organization, with the message at the field.
        asked.insert("scope".into(), "company".into());
    }
    let (scope, from, to) = crate::http::turnover_params(&asked, s.today().await?)?;
    let sheet = turnover::sheet(&s.db, scope, from, to).await?;
    let rows = sheet
        .rows
        .iter()
        .map(|r| TurnoverView {
            title: r.title.clone(),
            href: r.href.clone().unwrap_or_default(),
            cells: cells(&r.figures),
        })
        .collect();
    let qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(q.iter())
        .finish();
    html(&TurnoverPage {
        l,
        total: cells(&sheet.total),
        rows,
        scope: q.get("scope").cloned().unwrap_or_default(),
        f: crate::forms::FormView {
            values: q.clone(),
            errors: picked,
        },
        xlsx_href: format!("/turnover.xlsx?{qs}"),
        sheet,
    })
}

pub async fn turnover_xlsx(
    State(s): State<AppState>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let (scope, from, to) = crate::http::turnover_params(&q, s.today().await?)?;
    let sheet = turnover::sheet(&s.db, scope, from, to).await?;
    Ok(xlsx::download(
        xlsx::turnover(&sheet),
        &format!("ОСВ {} {}—{}.xlsx", sheet.title, from, to),
    )?
    .into_response())
}

pub struct DebtorView {
    pub account_id: i64,
    pub number: String,
    pub address: String,
    pub debt: String,
    pub service_debt: String,
    pub penalties: String,
    pub months: i64,
    pub oldest: String,
    pub stage: String,
    pub has_plan: bool,
    pub missed: bool,
}

#[derive(Template)]
#[template(path = "ledger/debtors.html")]
struct DebtorsPage {
    l: Layout,
    q: ListQuery,
    rows: Vec<DebtorView>,
    total: i64,
    pager: Vec<PagerItem>,
    services: Vec<ledger::Service>,
    stages: Vec<(&'static str, &'static str)>,
    can_work: bool,
    /// The building picker's message when what was typed named no single building.
    building_error: String,
}

/// The debtor list's building filter: chosen by street and house.
const DEBTOR_PICKS: &[crate::pickers::Field] =
    &[("building_id", abonent_storage::suggest::PickKind::Building)];

/// Filters from the query string; `min_debt` in rubles.
pub fn debtor_filter(q: &BTreeMap<String, String>) -> debts::DebtorFilter {
    let get = |k: &str| q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    debts::DebtorFilter {
        min_debt: get("min_debt").and_then(|v| abonent_domain::money::parse_amount(v).ok()),
        min_months: get("min_months").and_then(|v| v.parse().ok()),
        building_id: get("building_id").and_then(|v| v.parse().ok()),
        service: get("service").map(str::to_string),
        sort: get("sort").map(str::to_string),
        stage: get("stage").map(str::to_string),
        has_plan: match get("has_plan") {
            Some("yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            _ => None,
        },
        notice_due: matches!(get("notice_due"), Some("yes" | "true")).then_some(true),
    }
}

pub async fn debtors_page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(mut params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let picked = crate::pickers::resolve_query(&s, &mut params, DEBTOR_PICKS).await?;
    crate::pickers::fill_query_labels(&s, &mut params, DEBTOR_PICKS).await?;
    let building_error = picked.for_field("building_id").unwrap_or("").to_string();
    let q = ListQuery::new("/debtors", &params);
    let page = debts::debtors(
        &s.db,
        &debtor_filter(&params),
        PageReq::new(q.get("page").parse().ok(), None),
        s.today().await?,
    )
    .await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&DebtorsPage {
        l: layout(&s, &p, "Должники", "debtors").await?,
        rows: page
            .items
            .iter()
            .map(|d| DebtorView {
                account_id: d.account_id,
                number: d.number.clone(),
                address: d.address.clone(),
                debt: rub(d.debt),
                service_debt: d.service_debt.map(rub).unwrap_or_default(),
                penalties: rub(d.penalties),
                months: d.months,
                oldest: d
                    .oldest_period
                    .as_deref()
                    .and_then(Period::parse)
                    .map(|p| p.title())
                    .unwrap_or_default(),
                stage: d.stage_title.clone().unwrap_or_default(),
                has_plan: d.has_plan,
                missed: d.missed_installment,
            })
            .collect(),
        stages: debtors::stage_choices(),
        can_work: p.can(abonent_domain::Permission::WorkDebtors),
        building_error,
        total: page.total,
        pager,
        services: ledger::services(&s.db).await?,
        q,
    })
}
