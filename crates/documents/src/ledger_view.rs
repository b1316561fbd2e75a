//! Views of the ledger documents: «Расчёт пени», the ledger statement, the certificate of no
//! debt and the court order application with its appendices. The court packet reuses the
//! penalty and statement views, so each table is built (and printed) one way.

use abonent_domain::declension;
use abonent_domain::ledger::Period;
use abonent_domain::money::{amount_in_words, date_ru, format_amount, format_rub};
use abonent_domain::penalty::format_rate;
use abonent_domain::ValidationErrors;
use serde_json::{json, Map, Value};

use crate::data::{
    BillingPeriod, CourtOrderData, DebtRow, LedgerStatementData, NoDebtData, PenaltyData,
    StatementPeriod,
};
use crate::view::{date_opt, opt, require};

/// «октябрь 2026»; the period as given when it is not a month.
fn period_title(p: BillingPeriod) -> String {
    Period::new(p.year, p.month).map_or_else(|| format!("{:02}.{}", p.month, p.year), |p| p.title())
}

/// A penalty row's period (`2025-01`) as a month title.
fn period_label(s: &str) -> String {
    Period::parse(s).map_or_else(|| s.to_string(), |p| p.title())
}

fn holders(h: &[String]) -> String {
    h.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The «Расчёт пени» table: rows, the total in figures and words, the basis.
fn penalty_table(d: &PenaltyData) -> Value {
    let rows: Vec<Value> = d
        .rows
        .iter()
        .map(|r| {
            json!({
                "period": period_label(&r.period),
                "debt": format_amount(r.debt_kopecks),
                "from": date_ru(r.from),
                "to": date_ru(r.to),
                "days": r.days,
                "share": format!("1/{}", r.share),
                "rate": format_rate(r.rate_bp),
                "formula": r.formula,
                "sum": format_amount(r.penalty_kopecks),
                "moratorium": r.moratorium.is_some(),
            })
        })
        .collect();
    json!({
        "calc_date": date_ru(d.calc_date),
        "rows": rows,
        "total": format_amount(d.total_kopecks),
        "total_words": amount_in_words(d.total_kopecks),
        "basis": opt(&d.basis),
    })
}

pub(crate) fn penalty(d: PenaltyData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    if d.total_kopecks < 0 {
        errors.add("total_kopecks", "Пени не может быть отрицательной.");
    }
    let table = penalty_table(&d);
    // The caller's extra keys stay, so edited templates can use them.
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("debtor".into(), json!(opt(&d.debtor)));
    v.insert("penalty".into(), table);
    v
}

/// The statement table with its totals; a period whose closing balance does not follow from
/// its figures is reported (`{field}[i]`), never printed.
fn statement_table(
    periods: &[StatementPeriod],
    field: &str,
    errors: &mut ValidationErrors,
) -> Value {
    let mut total = StatementPeriod::default();
    let rows: Vec<Value> = periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let expected = p.opening_kopecks
                + p.charged_kopecks
                + p.recalculated_kopecks
                + p.penalties_kopecks
                - p.paid_kopecks;
            if expected != p.closing_kopecks {
                errors.add(
                    &format!("{field}[{i}]"),
                    format!(
                        "{}: исходящее сальдо {} не равно входящему с начислениями за вычетом \
                         оплат ({}). Это ошибка программы, сообщите администратору.",
                        period_title(p.period),
                        format_amount(p.closing_kopecks),
                        format_amount(expected)
                    ),
                );
            }
            total.charged_kopecks += p.charged_kopecks;
            total.recalculated_kopecks += p.recalculated_kopecks;
            total.penalties_kopecks += p.penalties_kopecks;
            total.paid_kopecks += p.paid_kopecks;
            json!({
                "period": period_title(p.period),
                "opening": format_amount(p.opening_kopecks),
                "charged": format_amount(p.charged_kopecks),
                "recalculated": format_amount(p.recalculated_kopecks),
                "penalties": format_amount(p.penalties_kopecks),
                "paid": format_amount(p.paid_kopecks),
                "closing": format_amount(p.closing_kopecks),
            })
        })
        .collect();
    let (first, last) = (periods.first(), periods.last());
    json!({
        "rows": rows,
        "from": first.map(|p| period_title(p.period)).unwrap_or_default(),
        "to": last.map(|p| period_title(p.period)).unwrap_or_default(),
        "opening": format_amount(first.map_or(0, |p| p.opening_kopecks)),
        "charged": format_amount(total.charged_kopecks),
        "recalculated": format_amount(total.recalculated_kopecks),
        "penalties": format_amount(total.penalties_kopecks),
        "paid": format_amount(total.paid_kopecks),
        "closing": format_amount(last.map_or(0, |p| p.closing_kopecks)),
    })
}

pub(crate) fn ledger_statement(
    d: LedgerStatementData,
    errors: &mut ValidationErrors,
) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    if d.periods.is_empty() {
        errors.add("periods", "Укажите хотя бы один период выписки.");
    }
    let table = statement_table(&d.periods, "periods", errors);
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("holders".into(), json!(holders(&d.holders)));
    v.insert("statement".into(), table);
    v
}

pub(crate) fn no_debt(d: NoDebtData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    let debt = d.balance_kopecks - d.not_yet_due_kopecks.max(0);
    if debt > 0 {
        errors.add(
            "balance_kopecks",
            format!(
                "На {} по счёту долг {}: справка об отсутствии задолженности не выдаётся.",
                date_ru(d.as_of),
                format_rub(debt)
            ),
        );
    }
    let mut v = d.extra;
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("holders".into(), json!(holders(&d.holders)));
    v.insert("as_of".into(), json!(date_ru(d.as_of)));
    v.insert(
        "overpayment".into(),
        json!((d.balance_kopecks < 0).then(|| format_rub(-d.balance_kopecks))),
    );
    v.insert(
        "not_yet_due".into(),
        json!((d.not_yet_due_kopecks > 0).then(|| format_rub(d.not_yet_due_kopecks))),
    );
    v.insert(
        "last_period".into(),
        json!(d.last_period.map(period_title).unwrap_or_default()),
    );
    let purpose = d
        .purpose
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "для предъявления по месту требования".into());
    v.insert("purpose".into(), json!(purpose));
    v
}

fn debt_rows(rows: &[DebtRow]) -> Value {
    let lines: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "n": i + 1,
                "period": period_title(r.period),
                "service": r.service.trim(),
                "charged": format_amount(r.charged_kopecks),
                "paid": format_amount(r.paid_kopecks),
                "remaining": format_amount(r.remaining_kopecks),
                "due_date": date_opt(r.due_date),
            })
        })
        .collect();
    let sum = |f: fn(&DebtRow) -> i64| format_amount(rows.iter().map(f).sum());
    json!({
        "rows": lines,
        "charged": sum(|r| r.charged_kopecks),
        "paid": sum(|r| r.paid_kopecks),
        "remaining": sum(|r| r.remaining_kopecks),
    })
}

/// A debtor as the application prints them (ГПК ст. 124 ч. 2 п. 3).
fn debtor_view(d: &crate::data::Debtor) -> Value {
    json!({
        "full_name": d.full_name.trim(),
        "full_name_genitive": declension::person_genitive(&d.full_name),
        "address": d.address.trim(),
        "birth_date": d.birth_date.map_or_else(|| "не известна".into(), date_ru),
        "birth_place": Some(opt(&d.birth_place)).filter(|s| !s.is_empty())
            .unwrap_or_else(|| "не известно".into()),
        "identifier": Some(opt(&d.identifier)).filter(|s| !s.is_empty())
            .unwrap_or_else(|| "взыскателю не известны".into()),
        "title": opt(&d.title),
        "capacity": opt(&d.capacity),
    })
}

/// «с должника Козлова Николая Ростиславовича»; several debtors — «солидарно с должников А и
/// Б»; for a minor owner — «…, законного представителя несовершеннолетнего собственника В».
fn collect_from(names: &[&str], minor: Option<&crate::data::Debtor>) -> String {
    let genitive: Vec<String> = names
        .iter()
        .map(|n| declension::person_genitive(n))
        .collect();
    let listed = match genitive.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} и {last}", rest.join(", ")),
    };
    let mut s = if names.len() > 1 {
        format!("солидарно с должников {listed}")
    } else {
        format!("с должника {listed}")
    };
    if let Some(m) = minor {
        s.push_str(&format!(
            ", {} несовершеннолетнего собственника {}",
            if names.len() > 1 {
                "законных представителей"
            } else {
                "законного представителя"
            },
            declension::person_genitive(&m.full_name)
        ));
    }
    s
}

/// The appendices ГПК ст. 124 and practice expect (regulations.md §7).
const APPENDICES: [&str; 8] = [
    "Расчёт задолженности по периодам и услугам",
    "Расчёт пени",
    "Выписка из лицевого счёта (начисления и оплаты по периодам)",
    "Расчёт государственной пошлины и документ об её уплате",
    "Выписка из ЕГРН о собственнике помещения или поквартирная карточка",
    "Копия договора управления многоквартирным домом",
    "Копии решений об установлении тарифов",
    "Доверенность представителя (если заявление подписывает представитель)",
];

pub(crate) fn court_order(d: CourtOrderData, errors: &mut ValidationErrors) -> Map<String, Value> {
    require(
        errors,
        "court.name",
        &d.court.name,
        "наименование суда (судебного участка)",
    );
    require(errors, "court.address", &d.court.address, "адрес суда");
    require(
        errors,
        "debtor.full_name",
        &d.debtor.full_name,
        "Ф. И. О. должника",
    );
    require(
        errors,
        "debtor.address",
        &d.debtor.address,
        "адрес должника",
    );
    require(errors, "account", &d.account, "номер лицевого счёта");
    require(errors, "address", &d.address, "адрес помещения");
    let (debt, claim) = (d.debt_kopecks(), d.claim_kopecks());
    if d.debt_rows.is_empty() || debt <= 0 {
        errors.add(
            "debt_rows",
            "Долга по начислениям нет: заявление о вынесении судебного приказа не составляется.",
        );
    }
    if d.claim_limit_kopecks > 0 && claim > d.claim_limit_kopecks {
        errors.add(
            "claim",
            format!(
                "Требование {} больше предела судебного приказа {} (ГПК РФ ст. 121): подайте \
                 исковое заявление.",
                format_rub(claim),
                format_rub(d.claim_limit_kopecks)
            ),
        );
    }
    let first = d.debt_rows.first().map(|r| period_title(r.period));
    let last = d.debt_rows.last().map(|r| period_title(r.period));
    let periods = match (first, last) {
        (Some(f), Some(l)) if f == l => f,
        (Some(f), Some(l)) => format!("{f} — {l}"),
        _ => String::new(),
    };
    let debtor = debtor_view(&d.debtor);
    let debtors: Vec<Value> = std::iter::once(&d.debtor)
        .chain(&d.co_debtors)
        .map(debtor_view)
        .collect();
    let names: Vec<&str> = std::iter::once(&d.debtor)
        .chain(&d.co_debtors)
        .map(|x| x.full_name.trim())
        .collect();
    let basis = Some(opt(&d.basis))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let title = |x: &crate::data::Debtor| {
                Some(opt(&x.title))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "собственник".into())
            };
            if d.co_debtors.is_empty() {
                format!(
                    "Должник — {} помещения по адресу: {}, лицевой счёт № {}. Он обязан \
                     своевременно и полностью вносить плату за жилое помещение и коммунальные \
                     услуги (ЖК РФ ст. 153, 155), но за период {} плату вносил не полностью.",
                    title(&d.debtor),
                    d.address.trim(),
                    d.account.trim(),
                    periods
                )
            } else {
                let who: Vec<String> = std::iter::once(&d.debtor)
                    .chain(&d.co_debtors)
                    .map(|x| format!("{} ({})", x.full_name.trim(), title(x)))
                    .collect();
                format!(
                    "Должники — {} — обязаны своевременно и полностью вносить плату за жилое \
                     помещение по адресу: {}, лицевой счёт № {}, и коммунальные услуги (ЖК РФ \
                     ст. 153, 155), но за период {} плату вносили не полностью.",
                    who.join(", "),
                    d.address.trim(),
                    d.account.trim(),
                    periods
                )
            }
        });
    let barred = (!d.time_barred.is_empty()).then(|| debt_rows(&d.time_barred));
    let mut v = d.extra.clone();
    v.insert(
        "court".into(),
        json!({
            "name": d.court.name.trim(),
            "addressee": declension::court_addressee(&d.court.name),
            "address": d.court.address.trim(),
        }),
    );
    v.insert("debtor".into(), debtor);
    v.insert("debtors".into(), json!(debtors));
    v.insert("debtor_names".into(), json!(names.join(", ")));
    v.insert(
        "collect_from".into(),
        json!(collect_from(&names, d.minor.as_ref())),
    );
    v.insert("minor".into(), json!(d.minor.as_ref().map(debtor_view)));
    v.insert("liability".into(), json!(opt(&d.liability)));
    let share_note = d.share.as_ref().map(|sh| {
        format!(
            "Доля {sh} от долга по лицевому счёту {} и пени {}",
            format_rub(d.account_debt_kopecks.unwrap_or(debt)),
            format_rub(d.account_penalty_kopecks.unwrap_or(d.penalty.total_kopecks))
        )
    });
    v.insert("share_note".into(), json!(share_note.unwrap_or_default()));
    v.insert("account".into(), json!(d.account.trim()));
    v.insert("address".into(), json!(d.address.trim()));
    v.insert("periods".into(), json!(periods));
    v.insert("basis".into(), json!(basis));
    v.insert("debt".into(), json!(format_rub(debt)));
    v.insert("debt_words".into(), json!(amount_in_words(debt)));
    v.insert("debt_table".into(), debt_rows(&d.debt_rows));
    v.insert("penalty".into(), penalty_table(&d.penalty));
    v.insert(
        "penalty_total".into(),
        json!(format_rub(d.penalty_claimed_kopecks())),
    );
    v.insert(
        "penalty_accrued".into(),
        json!(format_rub(d.penalty.total_kopecks)),
    );
    let paid = (d.penalty_paid_kopecks > 0).then(|| format_rub(d.penalty_paid_kopecks));
    v.insert("penalty_paid".into(), json!(paid.unwrap_or_default()));
    let subject = Some(opt(&d.subject)).filter(|s| !s.is_empty());
    v.insert(
        "subject".into(),
        json!(subject
            .clone()
            .unwrap_or_else(|| "оплате жилого помещения и коммунальных услуг".into())),
    );
    v.insert(
        "charges_note".into(),
        json!(subject
            .map(|s| format!(
                "Заявление — о задолженности по {s}: в сумме строки пени — часть, приходящаяся на \
             эти услуги (множитель формулы: долг периода по ним / весь долг периода)."
            ))
            .unwrap_or_default()),
    );
    v.insert("claim".into(), json!(format_rub(claim)));
    v.insert(
        "claim_limit".into(),
        json!(format_rub(d.claim_limit_kopecks)),
    );
    v.insert("claim_words".into(), json!(amount_in_words(claim)));
    v.insert(
        "duty".into(),
        json!({
            "amount": format_rub(d.duty.duty_kopecks),
            "words": amount_in_words(d.duty.duty_kopecks),
            "formula": d.duty.formula.trim(),
            "source": d.duty.source.trim(),
        }),
    );
    v.insert(
        "total_with_duty".into(),
        json!(format_rub(claim + d.duty.duty_kopecks)),
    );
    v.insert(
        "statement".into(),
        statement_table(&d.statement, "statement", errors),
    );
    v.insert(
        "time_barred_before".into(),
        json!(date_ru(d.time_barred_before)),
    );
    v.insert("time_barred".into(), json!(barred));
    v.insert(
        "time_barred_total".into(),
        json!(format_rub(d.time_barred_kopecks())),
    );
    v.insert("appendices".into(), json!(APPENDICES));
    v
}
