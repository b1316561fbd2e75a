//! The payment document (ПП 354 п. 69; form of Приказ Минстроя № 43/пр): from the ledger —
//! the services of the month with volume, tariff, charge, recalculation and sum due, the debt
//! of other periods and the penalties as lines of their own, the total — and a due date that
//! is not yet past. A document for a hand-written amount (the form) stays possible.

use abonent_documents::data::{BillingPeriod, Payer, PaymentData, PaymentLine};
use abonent_documents::DocKind;
use abonent_domain::ledger::{allocate_with, bill, Bill, EntryKind, Outstanding, Period};
use abonent_domain::money::{date_ru, format_rub};
use abonent_domain::registry::{parse_date, LinkRole};
use abonent_domain::ValidationErrors;
use abonent_storage::ledger::penalties::DueDates;
use abonent_storage::ledger::{self, entries, reference};
use abonent_storage::registry::{person, premises};
use abonent_storage::Db;
use chrono::NaiveDate;

use super::{account_links, need_account, text, IssueRequest, Prepared};
use crate::AppError;

/// The penalty a payment document asks for: penalties posted less what was credited to them
/// (the crediting rule is the ledger's, `PenaltyCredit`). One function, so that the rule can
/// change in one place.
pub fn penalty_owed(out: &Outstanding) -> i64 {
    out.penalties_owed()
}

/// The first due date from `period` on that is not before `today`: the document never says
/// «оплатить до» a day already past.
pub fn pay_by(due: &DueDates, period: Period, today: NaiveDate) -> NaiveDate {
    let mut p = period;
    for _ in 0..1200 {
        let d = due.of(p);
        if d >= today {
            return d;
        }
        p = p.next();
    }
    today
}

/// The due date a payment document issued today for this month would carry: what the
/// account card prefills, never a day already past.
pub async fn default_due(db: &Db, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let due = super::ledger::due_dates(db).await?;
    Ok(pay_by(&due, Period::of(today), today))
}

fn billing(p: Period) -> BillingPeriod {
    BillingPeriod {
        year: p.year,
        month: p.month,
    }
}

/// `2026-11` or `11.2026`.
pub(crate) fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    Period::parse(s).or_else(|| {
        let (m, y) = s.split_once('.')?;
        Period::new(y.trim().parse().ok()?, m.trim().parse().ok()?)
    })
}

/// The account's bill for `period` (by default the last charged one) on `today`.
pub async fn account_bill(
    db: &Db,
    account_id: i64,
    period: Option<Period>,
    today: NaiveDate,
) -> Result<Bill, AppError> {
    let entries = ledger::domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let credit = reference::penalty_credit(db).await?;
    let out = allocate_with(&entries, today, rule, credit);
    let period = period.unwrap_or_else(|| {
        entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Charge | EntryKind::Opening))
            .map(|e| e.period)
            .max()
            .unwrap_or(Period::of(today))
    });
    Ok(bill(&entries, &out, period, today, penalty_owed(&out)))
}

/// The lines of the month with the volume, tariff and unit the charges import carried.
async fn lines(db: &Db, account_id: i64, b: &Bill) -> Result<Vec<PaymentLine>, AppError> {
    let services = ledger::services(db).await?;
    let charges = entries::list(db, account_id, Some(b.period), Some(b.period)).await?;
    let mut out: Vec<(usize, PaymentLine)> = b
        .lines
        .iter()
        .map(|l| {
            // The last charge of the month for the service that says how it was computed.
            let c = charges.iter().find(|c| {
                c.kind == EntryKind::Charge
                    && c.service == l.service
                    && (c.volume.is_some() || c.tariff.is_some())
            });
            let order = services
                .iter()
                .position(|s| Some(&s.code) == l.service.as_ref())
                .unwrap_or(usize::MAX);
            let line = PaymentLine {
                service: ledger::service_title(&services, l.service.as_deref()),
                unit: c.and_then(|c| c.unit.clone()),
                volume: c.and_then(|c| c.volume.clone()),
                tariff: c.and_then(|c| c.tariff.clone()),
                charged_kopecks: l.charged,
                recalculated_kopecks: l.recalculated,
                paid_kopecks: l.paid,
                due_kopecks: l.due,
            };
            (order, line)
        })
        .collect();
    out.sort_by_key(|(order, _)| *order);
    Ok(out.into_iter().map(|(_, l)| l).collect())
}

fn due_date_param(
    r: &IssueRequest,
    today: NaiveDate,
    e: &mut ValidationErrors,
) -> Option<NaiveDate> {
    let s = text(&r.due_date)?;
    match parse_date(&s) {
        None => {
            e.add("due_date", format!("«{s}» не дата: укажите 2026-12-10."));
            None
        }
        Some(d) if d < today => {
            e.add(
                "due_date",
                format!(
                    "Срок оплаты {} уже прошёл (сегодня {}): укажите дату не раньше сегодняшней.",
                    date_ru(d),
                    date_ru(today)
                ),
            );
            None
        }
        Some(d) => Some(d),
    }
}

pub(super) async fn payment(
    db: &Db,
    r: &IssueRequest,
    today: NaiveDate,
) -> Result<Prepared, AppError> {
    let id = need_account(r)?;
    let (a, links) = account_links(db, id, today).await?;
    let p = premises::get(db, a.data.premises_id).await?;
    let mut e = ValidationErrors::new();
    let period = text(&r.period).and_then(|s| {
        parse_period(&s).or_else(|| {
            e.add(
                "period",
                format!("«{s}» не период: укажите месяц и год, например 2026-11."),
            );
            None
        })
    });
    let manual = match (r.amount_kopecks, text(&r.amount)) {
        (Some(k), _) => Some(k),
        (None, Some(s)) => Some(abonent_domain::money::parse_amount(&s).unwrap_or_else(|m| {
            e.add("amount", format!("Сумма к оплате: {m}."));
            1
        })),
        (None, None) => None,
    };
    if manual.is_some() && period.is_none() && text(&r.period).is_none() {
        e.add(
            "period",
            "Укажите период оплаты — месяц и год, например 2026-11.",
        );
    }
    let due_date = due_date_param(r, today, &mut e);
    // The payer: the chosen person, else the first owner or tenant of the account.
    let payer_id = r.person_id.or_else(|| {
        links
            .iter()
            .find(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant))
            .map(|l| l.link.data.person_id)
    });
    let Some(payer_id) = payer_id else {
        e.add(
            "person_id",
            "У счёта нет собственника или нанимателя: выберите плательщика.",
        );
        return Err(AppError::Invalid(e));
    };
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let pe = person::get(db, payer_id).await?;
    let due = super::ledger::due_dates(db).await?;
    let mut data = PaymentData {
        account: a.data.number.clone(),
        payer: Payer {
            last_name: pe.data.last_name.clone(),
            first_name: pe.data.first_name.clone(),
            middle_name: pe.data.middle_name.clone(),
        },
        address: a.address.clone(),
        flat: p.data.residential.then(|| p.data.number.clone()),
        purpose: text(&r.purpose),
        ..Default::default()
    };
    let period = match manual {
        Some(amount) => {
            let period = period.unwrap_or(Period::of(today));
            data.amount_kopecks = amount;
            period
        }
        None => {
            let b = account_bill(db, id, period, today).await?;
            if b.total() <= 0 {
                return Err(AppError::Invalid(ValidationErrors::single(
                    "amount",
                    format!(
                        "На {} долга по счёту нет (к оплате {}): квитанция на оплату не нужна.",
                        date_ru(today),
                        format_rub(b.total())
                    ),
                )));
            }
            data.lines = lines(db, id, &b).await?;
            data.earlier_debt_kopecks = b.other_debt;
            data.earlier_from = b.other_from.map(billing);
            data.earlier_to = b.other_to.map(billing);
            data.penalty_kopecks = b.penalties;
            data.advance_kopecks = b.advance;
            data.amount_kopecks = b.total();
            b.period
        }
    };
    data.period = billing(period);
    data.due_date = Some(due_date.unwrap_or_else(|| pay_by(&due, period, today)));
    let title = if data.itemized() && data.lines.is_empty() {
        format!(
            "Квитанция на оплату долга за {} — {}, л/с {}",
            data.earlier_from
                .and_then(|p| Period::new(p.year, p.month))
                .map(Period::title)
                .unwrap_or_default(),
            data.earlier_to
                .and_then(|p| Period::new(p.year, p.month))
                .map(Period::title)
                .unwrap_or_default(),
            a.data.number
        )
    } else {
        format!("Квитанция за {} г., л/с {}", period.title(), a.data.number)
    };
    Ok(Prepared {
        kind: DocKind::PaymentDocument,
        data: serde_json::to_value(data).unwrap_or_default(),
        title,
        account_id: Some(id),
        person_id: Some(payer_id),
        search_words: vec![
            a.data.number.clone(),
            a.address.clone(),
            pe.full_name.clone(),
        ],
        outgoing: None,
    })
}
