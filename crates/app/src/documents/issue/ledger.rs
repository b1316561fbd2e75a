//! Documents made from an account's ledger (issue 5 §3–§5): «Расчёт пени», the ledger
//! statement for a range of periods, the certificate of no debt, the payment document with
//! the amount due, and the court packet (application for a court order with the debt and
//! penalty calculations, the statement, the state duty and the time-barred charges left out).
//! The data is gathered here; numbering, rendering and storing go through `issue::issue`.

use std::collections::BTreeSet;

use abonent_documents::data::{
    BillingPeriod, LedgerStatementData, NoDebtData, PenaltyData, StatementPeriod,
};
use abonent_documents::{DocKind, RenderRequest};
use abonent_domain::ledger::{allocate_with, balance_on, turnover, Entry, EntryKind, Period};
use abonent_domain::money::{date_ru, format_rub};
use abonent_domain::registry::{parse_date, LinkRole};
use abonent_domain::ValidationErrors;
use abonent_storage::documents::Document;
use abonent_storage::ledger::penalties::{self, DueDates};
use abonent_storage::ledger::{self, reference};
use abonent_storage::registry::{Account, LinkView};
use abonent_storage::{Actor, Db};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::court::{
    building_court, court_keys, issue_court_packet, save_building_court, CourtApplication,
    CourtPacket,
};
use super::{self as issue, account_links, need_account, text, IssueRequest, Prepared};
use crate::documents::{engine, organization, render_error, template_of};
use crate::{App, AppError};

pub(super) fn invalid(field: &str, msg: impl Into<String>) -> AppError {
    AppError::Invalid(ValidationErrors::single(field, msg))
}

pub(super) fn billing(p: Period) -> BillingPeriod {
    BillingPeriod {
        year: p.year,
        month: p.month,
    }
}

/// Owners and tenants of the account, owners first, each once.
pub(super) fn holders(links: &[LinkView]) -> Vec<&LinkView> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<&LinkView> = links
        .iter()
        .filter(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant))
        .collect();
    out.sort_by_key(|l| l.link.data.role != LinkRole::Owner);
    out.retain(|l| seen.insert(l.link.data.person_id));
    out
}

fn holder_names(links: &[LinkView]) -> Vec<String> {
    holders(links)
        .iter()
        .map(|l| l.person_name.clone())
        .collect()
}

/// `2026-11` (or `11.2026`) for `field`.
fn period_param(r: &Option<String>, field: &str, e: &mut ValidationErrors) -> Option<Period> {
    let s = text(r)?;
    let p = Period::parse(&s).or_else(|| {
        let (m, y) = s.split_once('.')?;
        Period::new(y.trim().parse().ok()?, m.trim().parse().ok()?)
    });
    if p.is_none() {
        e.add(
            field,
            format!("«{s}» не период: укажите месяц и год, например 2026-11."),
        );
    }
    p
}

/// The date the penalty is calculated «на»: `on`, else today.
fn calc_date(r: &IssueRequest, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match text(&r.on) {
        None => Ok(today),
        Some(s) => parse_date(&s)
            .ok_or_else(|| invalid("on", format!("«{s}» не дата: укажите 2026-11-27."))),
    }
}

/// The last period with charges, if any.
fn last_charged(entries: &[Entry]) -> Option<Period> {
    entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Charge | EntryKind::Opening))
        .map(|e| e.period)
        .max()
}

pub(crate) async fn due_dates(db: &Db) -> Result<DueDates, AppError> {
    let r = reference::penalty_reference(db).await?;
    Ok(penalties::due_dates(db, &r).await?)
}

/// The penalty table of an account on `on`, as the screen and the API show it.
pub(super) async fn penalty_data(
    db: &Db,
    a: &Account,
    links: &[LinkView],
    on: NaiveDate,
) -> Result<PenaltyData, AppError> {
    let (c, r) = penalties::account_calculation(db, a.id, on).await?;
    Ok(PenaltyData {
        account: a.data.number.clone(),
        address: a.address.clone(),
        calc_date: on,
        rows: c.rows,
        total_kopecks: c.total_kopecks,
        basis: Some(penalty_basis(&r)),
        debtor: holder_names(links).first().cloned(),
        extra: Default::default(),
    })
}

/// The rule a penalty table was computed by, in a sentence under the table (screen, XLSX, PDF).
pub fn penalty_basis(r: &reference::PenaltyReference) -> String {
    let mut s = format!(
        "{}: дни 1–{} без пени, дни {}–{} — 1/{} ставки, далее — 1/{}.",
        r.settings.law_source,
        r.settings.grace_days,
        r.settings.grace_days + 1,
        r.settings.share_300_until_day,
        r.settings.first_share,
        r.settings.second_share
    );
    if let Some(c) = &r.settings.rate_cap {
        let when = match c.scope {
            abonent_domain::penalty::CapScope::RateDate => {
                "за все дни просрочки, если расчёт сделан или пени оплачены"
            }
            abonent_domain::penalty::CapScope::AccrualDays => "за дни просрочки",
        };
        s.push_str(&format!(
            " Ставка не выше {} {when} с {} по {} ({}).",
            abonent_domain::penalty::format_rate(c.cap_bp),
            c.from.format("%d.%m.%Y"),
            c.to.format("%d.%m.%Y"),
            c.source
        ));
    }
    if r.settings.capital_repair.first_share_only {
        s.push_str(&format!(
            " Взносы на капитальный ремонт — 1/{} ставки с {}-го дня, без 1/{} ({}).",
            r.settings.first_share,
            r.settings.grace_days + 1,
            r.settings.second_share,
            r.settings.capital_repair.source
        ));
    }
    s
}

pub(super) fn prepared(
    kind: DocKind,
    data: impl Serialize,
    title: String,
    a: &Account,
    r: &IssueRequest,
    mut words: Vec<String>,
) -> Prepared {
    words.push(a.data.number.clone());
    words.push(a.address.clone());
    Prepared {
        kind,
        data: serde_json::to_value(data).unwrap_or_default(),
        title,
        account_id: Some(a.id),
        person_id: r.person_id,
        search_words: words,
        outgoing: None,
    }
}

async fn penalty(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let (a, links) = account_links(db, need_account(r)?, today).await?;
    let on = calc_date(r, today)?;
    let data = penalty_data(db, &a, &links, on).await?;
    let title = format!("Расчёт пени на {}, л/с {}", date_ru(on), a.data.number);
    Ok(prepared(
        DocKind::PenaltyCalculation,
        data,
        title,
        &a,
        r,
        holder_names(&links),
    ))
}

/// One statement line per period `from..=to`.
pub(super) fn statement_periods(
    entries: &[Entry],
    from: Period,
    to: Period,
) -> Vec<StatementPeriod> {
    let mut out = Vec::new();
    let mut p = from;
    while p <= to {
        let t = turnover(entries, p, p);
        out.push(StatementPeriod {
            period: billing(p),
            opening_kopecks: t.opening,
            charged_kopecks: t.charged,
            recalculated_kopecks: t.recalculated,
            penalties_kopecks: t.penalties,
            paid_kopecks: t.paid,
            closing_kopecks: t.closing,
        });
        p = p.next();
    }
    out
}

/// The longest statement: ten years of months.
const MAX_STATEMENT_MONTHS: i32 = 120;

async fn statement(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let (a, links) = account_links(db, need_account(r)?, today).await?;
    let mut e = ValidationErrors::new();
    let to = period_param(&r.period_to, "period_to", &mut e).unwrap_or(Period::of(today));
    let from = period_param(&r.period_from, "period_from", &mut e).unwrap_or(to.plus(-11));
    if e.is_empty() && from > to {
        e.add(
            "period_from",
            format!(
                "Первый период ({}) позже последнего ({}): поменяйте их местами.",
                from.title(),
                to.title()
            ),
        );
    }
    if e.is_empty() && from.months_until(to) >= MAX_STATEMENT_MONTHS {
        e.add(
            "period_from",
            format!("Выписка — не больше чем за {MAX_STATEMENT_MONTHS} месяцев: сократите период."),
        );
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let entries = ledger::domain_entries(db, a.id).await?;
    let data = LedgerStatementData {
        account: a.data.number.clone(),
        address: a.address.clone(),
        holders: holder_names(&links),
        periods: statement_periods(&entries, from, to),
        extra: Default::default(),
    };
    let title = format!(
        "Выписка по л/с {} за {} — {}",
        a.data.number,
        from.title(),
        to.title()
    );
    Ok(prepared(
        DocKind::LedgerStatement,
        data,
        title,
        &a,
        r,
        holder_names(&links),
    ))
}

/// «январь 2025 (1 000,00 ₽), февраль 2025 (234,56 ₽)»: unpaid charges per period.
fn periods_list(lines: &[&abonent_domain::ledger::DebtLine]) -> String {
    let mut by_period: std::collections::BTreeMap<Period, i64> = Default::default();
    for l in lines {
        *by_period.entry(l.period).or_insert(0) += l.remaining();
    }
    by_period
        .iter()
        .map(|(p, k)| format!("{} ({})", p.title(), format_rub(*k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Issued only when nothing is overdue: charges whose due date has not come, and an
/// advance, are no debt; unpaid charges past their due date and penalties owed are.
async fn no_debt(db: &Db, r: &IssueRequest, today: NaiveDate) -> Result<Prepared, AppError> {
    let (a, links) = account_links(db, need_account(r)?, today).await?;
    let entries = ledger::domain_entries(db, a.id).await?;
    let balance = balance_on(&entries, today);
    let rule = reference::allocation_rule(db).await?;
    let credit = reference::penalty_credit(db).await?;
    let out = allocate_with(&entries, today, rule, credit);
    let due = due_dates(db).await?;
    let (overdue, not_due): (Vec<_>, Vec<_>) = out
        .lines
        .iter()
        .filter(|l| l.remaining() > 0)
        .partition(|l| due.of(l.period) < today);
    let overdue_sum: i64 = overdue.iter().map(|l| l.remaining()).sum();
    let penalties = super::payment::penalty_owed(&out);
    if overdue_sum + penalties > 0 {
        let mut msg = format!(
            "Справка об отсутствии задолженности не выдаётся: на {} по счёту № {} долг {}",
            date_ru(today),
            a.data.number,
            format_rub(overdue_sum + penalties)
        );
        if !overdue.is_empty() {
            msg.push_str(&format!(" — за периоды: {}", periods_list(&overdue)));
        }
        if penalties > 0 {
            msg.push_str(&format!("; пени — {}", format_rub(penalties)));
        }
        msg.push_str(". Выдайте справку после оплаты долга.");
        return Err(invalid("debt", msg));
    }
    let data = NoDebtData {
        account: a.data.number.clone(),
        address: a.address.clone(),
        holders: holder_names(&links),
        as_of: today,
        balance_kopecks: balance,
        not_yet_due_kopecks: not_due.iter().map(|l| l.remaining()).sum(),
        last_period: last_charged(&entries).map(billing),
        purpose: text(&r.purpose),
        extra: Default::default(),
    };
    let title = format!("Справка об отсутствии задолженности, л/с {}", a.data.number);
    Ok(prepared(
        DocKind::NoDebtCertificate,
        data,
        title,
        &a,
        r,
        holder_names(&links),
    ))
}

/// The payment document from the ledger (`issue::payment`): the month's lines, the debt of
/// other periods, the penalties, a due date not yet past.
pub fn payment_request(account_id: i64) -> IssueRequest {
    IssueRequest {
        kind: DocKind::PaymentDocument.code().into(),
        account_id: Some(account_id),
        ..Default::default()
    }
}

/// The data of a ledger document kind (called by `issue::prepare`).
pub async fn prepare(
    db: &Db,
    kind: DocKind,
    r: &IssueRequest,
    today: NaiveDate,
) -> Result<Prepared, AppError> {
    match kind {
        DocKind::PenaltyCalculation => penalty(db, r, today).await,
        DocKind::CourtOrderApplication => super::court::court_order(db, r, today).await,
        DocKind::NoDebtCertificate => no_debt(db, r, today).await,
        DocKind::LedgerStatement => statement(db, r, today).await,
        other => Err(AppError::Internal(format!(
            "{} не документ по расчётам",
            other.code()
        ))),
    }
}

/// What a corrected copy of a ledger document is made from: the same period range or date;
/// the figures are read from the ledger again.
pub fn correction(kind: DocKind, d: &Document, r: &mut IssueRequest) {
    let period = |v: &serde_json::Value| {
        Some(format!(
            "{}-{:02}",
            v["year"].as_i64()?,
            v["month"].as_i64()?
        ))
    };
    match kind {
        DocKind::LedgerStatement => {
            let periods = d.data["periods"].as_array();
            r.period_from = periods
                .and_then(|p| p.first())
                .and_then(|p| period(&p["period"]));
            r.period_to = periods
                .and_then(|p| p.last())
                .and_then(|p| period(&p["period"]));
        }
        DocKind::PenaltyCalculation => {
            r.on = d.data["calc_date"].as_str().map(str::to_string);
        }
        DocKind::NoDebtCertificate => r.purpose = d.data["purpose"].as_str().map(str::to_string),
        _ => {}
    }
}

/// Whether `role` may issue `kind`: the court packet also needs the right to edit the ledger
/// (the accountant or lawyer who files it), whichever way it is issued.
pub fn check_access(role: abonent_domain::Role, kind: &str) -> Result<(), AppError> {
    if kind == DocKind::CourtOrderApplication.code()
        && !role.can(abonent_domain::Permission::EditLedger)
    {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// «Расчёт пени» on `on` as a PDF, not numbered or stored (like the XLSX).
pub async fn penalty_pdf(
    app: &App,
    account_id: i64,
    on: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let (db, today) = (&app.db, app.today().await?);
    let r = IssueRequest {
        kind: DocKind::PenaltyCalculation.code().into(),
        account_id: Some(account_id),
        on,
        ..Default::default()
    };
    let prep = penalty(db, &r, today).await?;
    let org = organization(db).await?;
    let template = template_of(db, prep.kind).await?;
    engine()
        .render(&RenderRequest {
            kind: prep.kind,
            template_override: template.as_ref().map(|(s, _)| s.as_str()),
            org: &org,
            data: prep.data,
            reg_number: String::new(),
            issued_on: today,
        })
        .map_err(|e| AppError::from(render_error(e, prep.kind)))
}

/// What to issue from the account's ledger.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LedgerDocumentRequest {
    /// `payment_document` (amount due from the ledger), `no_debt_certificate` or
    /// `ledger_statement`.
    pub kind: String,
    /// Ledger statement: first period, `2026-01` (12 months back by default).
    pub period_from: Option<String>,
    /// Ledger statement: last period, `2026-11` (this month by default).
    pub period_to: Option<String>,
    /// Certificate: «для предъявления в …».
    pub purpose: Option<String>,
    /// The person it is issued for (payment document: the payer; by default the owner).
    pub person_id: Option<i64>,
}

/// Issues a resident document from the ledger of `account_id`.
pub async fn issue_ledger_document(
    app: &App,
    account_id: i64,
    q: &LedgerDocumentRequest,
    actor: &Actor,
) -> Result<Document, AppError> {
    let mut r = match DocKind::from_code(q.kind.trim()) {
        Some(DocKind::PaymentDocument) => payment_request(account_id),
        Some(k @ (DocKind::NoDebtCertificate | DocKind::LedgerStatement)) => IssueRequest {
            kind: k.code().into(),
            account_id: Some(account_id),
            period_from: q.period_from.clone(),
            period_to: q.period_to.clone(),
            purpose: q.purpose.clone(),
            ..Default::default()
        },
        _ => {
            return Err(invalid(
                "kind",
                format!(
                    "«{}» не документ жителя: payment_document, no_debt_certificate или \
                     ledger_statement.",
                    q.kind
                ),
            ))
        }
    };
    r.person_id = q.person_id;
    issue::issue(app, &r, actor).await
}
