//! The court packet (issue 5 §4, issue 14 §2): one application for a court order per debtor
//! the law names — each owner for their share of the debt and penalties (ГК ст. 249, ЖК ст.
//! 158 ч. 1), joint debtors in one application (ЖК ст. 69 ч. 2, common joint property),
//! a minor owner's part from the legal representatives; an owner with capable family living
//! with them gets two: the owner alone for upkeep and capital repair, the owner and the
//! family jointly for utilities (ЖК ст. 31 ч. 3) — each with its own debt and penalty
//! calculation and state duty. Penalties already paid are deducted from the penalties claimed. Unnamed payments go to periods within the limitation first
//! (Пленум ВС РФ № 22, п. 32); time-barred periods are left out and listed for the specialist.
//! All applications of an account are numbered and stored in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use abonent_documents::data::{Court, CourtOrderData, DebtRow, Debtor, Duty, PenaltyData};
use abonent_documents::DocKind;
use abonent_domain::debtor::{
    self as rules, deduct_paid, split_by_charges, Application, Basis, Charges, Holder,
};
use abonent_domain::ledger::{allocate_within_limitation, Period};
use abonent_domain::money::{date_ru, format_amount, format_rub};
use abonent_domain::registry::{LegalCapacity, LinkRole};
use abonent_domain::ValidationErrors;
use abonent_storage::documents::Document;
use abonent_storage::ledger::{self, reference};
use abonent_storage::registry::{person, LinkView, Person};
use abonent_storage::{settings, Actor, Db};
use chrono::NaiveDate;
use serde::Serialize;

use super::ledger::{billing, due_dates, penalty_data, prepared, statement_periods};
use super::{self as issue, account_links, need_account, IssueRequest, Prepared};
use crate::AppError;

/// Setting keys of the court: per building (`court.building.<id>.name`) before the
/// organization's (`court.name`).
pub fn court_keys(building_id: i64, what: &str) -> [String; 2] {
    [
        format!("court.building.{building_id}.{what}"),
        format!("court.{what}"),
    ]
}

/// The building's own court when it names one (its name and address together, never mixed
/// with the organization's), else the organization's.
async fn court_of(db: &Db, building_id: i64) -> Result<Court, AppError> {
    let all = settings::all(db).await?;
    // Index into `court_keys`: 0 — the building's setting, 1 — the organization's.
    let value = |what: &str, i: usize| {
        all.get(&court_keys(building_id, what)[i])
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let pick = if value("name", 0).is_empty() { 1 } else { 0 };
    let get = |what: &str| value(what, pick);
    Ok(Court {
        name: get("name"),
        address: get("address"),
    })
}

/// The building's own court setting (name, address), empty when it has none.
pub async fn building_court(db: &Db, building_id: i64) -> Result<(String, String), AppError> {
    let all = settings::all(db).await?;
    let get = |what: &str| {
        all.get(&court_keys(building_id, what)[0])
            .cloned()
            .unwrap_or_default()
    };
    Ok((get("name"), get("address")))
}

/// Saves the building's own court (one history entry); empty values fall back to the
/// organization's court.
pub async fn save_building_court(
    app: &crate::App,
    building_id: i64,
    name: &str,
    address: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    abonent_storage::registry::building::get(&app.db, building_id).await?;
    let mut e = ValidationErrors::new();
    for (field, v) in [("court_name", name), ("court_address", address)] {
        if v.chars().count() > 500 || v.chars().any(char::is_control) {
            e.add(field, "Не длиннее 500 символов и без управляющих символов.");
        }
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let [name_key, _] = court_keys(building_id, "name");
    let [address_key, _] = court_keys(building_id, "address");
    let values = [
        (name_key.as_str(), name.trim().to_string()),
        (address_key.as_str(), address.trim().to_string()),
    ];
    crate::settings::save_many(
        app,
        &values,
        actor,
        &format!("Суд для заявлений о судебном приказе, дом {building_id}"),
    )
    .await?;
    Ok(())
}

/// The people of the account the liability rules look at, with their birth dates. A person
/// registered in the premises on `today` with a kinship recorded is a family member of the
/// owner the link names as «whose relative»; an older record that does not name one counts
/// as family of the account's first adult owner (docs/COURT.md).
async fn holders_of(
    db: &Db,
    links: &[LinkView],
    today: NaiveDate,
) -> Result<(Vec<Holder>, BTreeMap<i64, Person>), AppError> {
    let mut people = BTreeMap::new();
    let mut out = Vec::new();
    for l in links {
        let id = l.link.data.person_id;
        if let std::collections::btree_map::Entry::Vacant(slot) = people.entry(id) {
            slot.insert(person::get(db, id).await?);
        }
        out.push(Holder {
            person_id: id,
            full_name: l.person_name.clone(),
            role: l.link.data.role,
            share: l.link.data.share,
            birth_date: people[&id].data.birth_date,
            family_of: None,
            capacity: people[&id].data.legal_capacity,
        });
    }
    let head = out
        .iter()
        .find(|h| {
            h.role == LinkRole::Owner
                && h.birth_date
                    .is_some_and(|b| today.years_since(b).unwrap_or(0) >= 18)
        })
        .map(|h| h.person_id);
    for (h, l) in out.iter_mut().zip(links) {
        let reg = &l.link.data.registration;
        let kin = reg.kinship.as_deref().is_some_and(|k| !k.trim().is_empty());
        if h.role == LinkRole::Registered && kin && reg.holds_on(today) {
            h.family_of = reg.kin_of.or(head);
        }
    }
    // Owners first, then tenants: the order of the applications.
    out.sort_by_key(|h| match h.role {
        LinkRole::Owner => 0,
        LinkRole::Tenant => 1,
        _ => 2,
    });
    Ok((out, people))
}

fn debtor(p: &Person, address: &str, title: String) -> Debtor {
    Debtor {
        full_name: p.full_name.clone(),
        address: address.to_string(),
        birth_date: p.data.birth_date,
        birth_place: None,
        identifier: p.data.id_document.clone(),
        title: Some(title),
        capacity: capacity_note(p.data.legal_capacity),
    }
}

/// A court's limit of the debtor's capacity, printed beside the name: a person declared
/// incapable is claimed from through the guardian (ГК РФ ст. 29, 32).
fn capacity_note(c: LegalCapacity) -> Option<String> {
    match c {
        LegalCapacity::Full => None,
        LegalCapacity::Limited => Some("ограничен судом в дееспособности (ГК РФ ст. 30)".into()),
        LegalCapacity::Incapable => Some(
            "признан судом недееспособным, требование предъявляется через опекуна \
             (ГК РФ ст. 29, 32)"
                .into(),
        ),
    }
}

/// How a debtor of `app` is called in the application.
fn title_of(app: &Application, holder: Option<&Holder>, minor: Option<&Person>) -> String {
    if let Some(m) = minor {
        let share = app
            .share_text()
            .map(|s| format!(", доля {s}"))
            .unwrap_or_default();
        return format!(
            "законный представитель несовершеннолетнего собственника {}{share}",
            m.full_name
        );
    }
    match (app.basis, holder.map(|h| h.role)) {
        (Basis::JointOwners, Some(LinkRole::Owner)) => {
            "собственник (общая совместная собственность)".into()
        }
        (Basis::JointOwners, _) => "законный представитель несовершеннолетнего собственника".into(),
        (Basis::TenantFamily, Some(LinkRole::Tenant)) => "наниматель".into(),
        (Basis::TenantFamily, _) => "член семьи нанимателя".into(),
        (Basis::OwnerFamily, Some(LinkRole::Registered)) => {
            "член семьи собственника, проживающий совместно с ним".into()
        }
        (Basis::OwnerFamily, _) => match holder.and_then(|h| h.share) {
            Some(s) if s.num != s.den => format!("собственник, доля {s}"),
            _ => "собственник".into(),
        },
        (Basis::OwnerShare, _) => match holder.and_then(|h| h.share) {
            Some(s) if s.num != s.den => format!("собственник, доля {s}"),
            _ => "собственник".into(),
        },
    }
}

/// Each application's part of every row, split exactly (the parts sum to the row): by the
/// owners' parts, and inside a part by service kind (`utility[k]` for row `k`).
fn split_rows(rows: &[DebtRow], utility: &[bool], apps: &[Application]) -> Vec<Vec<DebtRow>> {
    let mut out = vec![Vec::new(); apps.len()];
    for (r, u) in rows.iter().zip(utility) {
        let kind = if *u { (1, 0) } else { (0, 1) };
        let remaining = split_by_charges(apps, r.remaining_kopecks, kind, kind);
        let paid = split_by_charges(apps, r.paid_kopecks, kind, kind);
        for (i, rows) in out.iter_mut().enumerate() {
            if !apps[i].charges.covers(*u) {
                continue;
            }
            rows.push(DebtRow {
                charged_kopecks: remaining[i] + paid[i],
                paid_kopecks: paid[i],
                remaining_kopecks: remaining[i],
                ..r.clone()
            });
        }
    }
    out
}

/// Each application's part of the penalty: the row's sum split exactly — by the owners'
/// parts, and inside a part between utilities and the rest in proportion to the period's
/// claimed debt of each (the whole claim's when the period has none) — the factors shown at
/// the end of the formula.
fn split_penalty(
    p: &PenaltyData,
    claimed: &[DebtRow],
    utility: &[bool],
    apps: &[Application],
) -> Vec<PenaltyData> {
    let debt_of = |period: Option<&str>, want: bool| -> i64 {
        claimed
            .iter()
            .zip(utility)
            .filter(|(r, u)| **u == want && period.is_none_or(|p| period_code(r) == p))
            .map(|(r, _)| r.remaining_kopecks)
            .sum()
    };
    let fallback = (debt_of(None, true), debt_of(None, false));
    let mut out = vec![p.clone(); apps.len()];
    for (k, row) in p.rows.iter().enumerate() {
        let mut kinds = (
            debt_of(Some(&row.period), true),
            debt_of(Some(&row.period), false),
        );
        if kinds.0 + kinds.1 <= 0 {
            kinds = fallback;
        }
        let sums = split_by_charges(apps, row.penalty_kopecks, kinds, fallback);
        for (i, data) in out.iter_mut().enumerate() {
            let r = &mut data.rows[k];
            r.penalty_kopecks = sums[i];
            let (num, den) = apps[i].part;
            if num != den {
                r.formula = format!("{} × {num}/{den}", r.formula);
            }
            let of_kind = match apps[i].charges {
                Charges::All => None,
                Charges::Utilities => Some(kinds.0),
                Charges::Housing => Some(kinds.1),
            };
            if let Some(w) = of_kind.filter(|_| kinds.0 + kinds.1 > 0) {
                r.formula = format!(
                    "{} × {}/{}",
                    r.formula,
                    format_amount(w),
                    format_amount(kinds.0 + kinds.1)
                );
            }
        }
    }
    for data in &mut out {
        data.total_kopecks = data.rows.iter().map(|r| r.penalty_kopecks).sum();
    }
    out
}

/// `2025-06`: the period of a debt row as penalty rows name it.
fn period_code(r: &DebtRow) -> String {
    Period::new(r.period.year, r.period.month)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

fn court_problems(court: &Court, e: &mut ValidationErrors) {
    if court.name.is_empty() {
        e.add(
            "court.name",
            "Не указан суд: впишите наименование судебного участка мирового судьи в \
             «Администрирование → Настройки» (строка «Суд для заявлений о судебном приказе: \
             наименование») или на карточке дома.",
        );
    }
    if court.address.is_empty() {
        e.add(
            "court.address",
            "Не указан адрес суда: впишите его в «Администрирование → Настройки» (строка «Суд \
             для заявлений о судебном приказе: адрес») или на карточке дома.",
        );
    }
}

/// The applications of the court packet of `account_id` on `today`, one per debtor the law
/// names; nothing is written.
pub(super) async fn court_orders(
    db: &Db,
    account_id: i64,
    r: &IssueRequest,
    today: NaiveDate,
) -> Result<Vec<Prepared>, AppError> {
    let (a, links) = account_links(db, account_id, today).await?;
    let mut e = ValidationErrors::new();
    let court = court_of(db, a.building_id).await?;
    court_problems(&court, &mut e);
    let (holders, people) = holders_of(db, &links, today).await?;
    let apps = match rules::applications(&holders, today) {
        Ok(apps) => apps,
        Err(refusal) => {
            e.add("debtor", refusal.message(&a.data.number));
            Vec::new()
        }
    };

    let debt_rules = reference::debt_rules(db).await?;
    let barred_before = rules::time_barred_before(&debt_rules, today);
    let entries = ledger::domain_entries(db, a.id).await?;
    let rule = reference::allocation_rule(db).await?;
    let due = due_dates(db).await?;
    let services = ledger::services(db).await?;
    let credit = reference::penalty_credit(db).await?;
    // Money without a named period pays what can still be claimed first (Пленум № 22, п. 32).
    let time_barred =
        |p: Period, on: NaiveDate| due.of(p) < rules::time_barred_before(&debt_rules, on);
    let out = allocate_within_limitation(&entries, today, rule, credit, &time_barred);
    let is_utility = |code: Option<&str>| {
        services
            .iter()
            .any(|s| Some(s.code.as_str()) == code && s.kind == "utility")
    };
    let (mut claimed, mut barred, mut utility) = (Vec::new(), Vec::new(), Vec::new());
    for l in out.lines.iter().filter(|l| l.remaining() > 0) {
        let row = DebtRow {
            period: billing(l.period),
            service: ledger::service_title(&services, l.service.as_deref()),
            charged_kopecks: l.charged,
            paid_kopecks: l.paid,
            remaining_kopecks: l.remaining(),
            due_date: Some(due.of(l.period)),
        };
        if due.of(l.period) < barred_before {
            barred.push(row);
        } else {
            claimed.push(row);
            utility.push(is_utility(l.service.as_deref()));
        }
    }
    let barred_periods: BTreeSet<String> = barred
        .iter()
        .filter_map(|r| Period::new(r.period.year, r.period.month))
        .map(|p| p.to_string())
        .collect();
    let debt: i64 = claimed.iter().map(|r| r.remaining_kopecks).sum();
    if debt <= 0 {
        let msg = if barred.is_empty() {
            format!(
                "По счёту № {} нет долга по начислениям на {}: заявление о вынесении судебного \
                 приказа не составляется.",
                a.data.number,
                date_ru(today)
            )
        } else {
            format!(
                "Весь долг по счёту № {} ({}) — по начислениям со сроком оплаты до {}, за \
                 пределами срока исковой давности: взыскивать в приказном порядке нечего.",
                a.data.number,
                format_rub(barred.iter().map(|r| r.remaining_kopecks).sum()),
                date_ru(barred_before)
            )
        };
        e.add("debt", msg);
        return Err(AppError::Invalid(e));
    }

    // The penalty on the filing date for the claimed periods only: accessory claims on
    // time-barred charges are time-barred too (ГК ст. 207).
    let mut penalty = penalty_data(db, &a, &links, today).await?;
    if !barred_periods.is_empty() {
        penalty.rows.retain(|r| !barred_periods.contains(&r.period));
        penalty.total_kopecks = penalty.rows.iter().map(|r| r.penalty_kopecks).sum();
    }
    let schedule = reference::court_duty(db).await?;
    let limit = debt_rules
        .court_order_limit
        .min(schedule.max_claim_kopecks());
    let rows = split_rows(&claimed, &utility, &apps);
    let penalties = split_penalty(&penalty, &claimed, &utility, &apps);
    // Penalties already paid (the ledger's reading: payments for penalties and, by the rule,
    // money left over) are not claimed again; each application deducts its proportion.
    let each: Vec<i64> = penalties.iter().map(|p| p.total_kopecks).collect();
    let paid = deduct_paid(&each, out.penalties_paid);
    let from = claimed
        .iter()
        .filter_map(|r| Period::new(r.period.year, r.period.month))
        .min()
        .unwrap_or(Period::of(today));
    let statement = statement_periods(&entries, from, Period::of(today));
    let mut out = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        let (debt_rows, penalty) = (rows[i].clone(), penalties[i].clone());
        let part_debt: i64 = debt_rows.iter().map(|r| r.remaining_kopecks).sum();
        // An owner with family whose account owes nothing of one kind: no application for it.
        if app.charges != Charges::All && part_debt == 0 && penalty.total_kopecks == 0 {
            continue;
        }
        let penalty_claimed = penalty.total_kopecks - paid[i];
        let claim = part_debt + penalty_claimed;
        let minor = app.minor.and_then(|id| people.get(&id));
        let mut debtors = app.debtors.iter().filter_map(|id| {
            let holder = holders.iter().find(|h| h.person_id == *id);
            Some(debtor(
                people.get(id)?,
                &a.address,
                title_of(app, holder, minor),
            ))
        });
        let first = debtors.next().unwrap_or_default();
        let field = if apps.len() > 1 {
            format!("claim[{}]", out.len())
        } else {
            "claim".into()
        };
        let mut duty = Duty::default();
        if claim > limit {
            e.add(
                &field,
                format!(
                    "Требование {}{} (долг {} и пени {}) больше предела судебного приказа {} \
                     (ГПК РФ ст. 121): подайте исковое заявление.",
                    format_rub(claim),
                    if apps.len() > 1 {
                        format!(" к {}", first.full_name)
                    } else {
                        String::new()
                    },
                    format_rub(part_debt),
                    format_rub(penalty_claimed),
                    format_rub(limit)
                ),
            );
        } else {
            match schedule.court_order_duty(claim, today) {
                Ok(d) => {
                    duty = Duty {
                        duty_kopecks: d.duty_kopecks,
                        formula: d.formula,
                        source: d.source,
                    }
                }
                Err(v) => e.0.extend(v.prefixed("duty").0),
            }
        }
        let share = app.share_text();
        let data = CourtOrderData {
            court: court.clone(),
            debtor: first.clone(),
            co_debtors: debtors.collect(),
            minor: minor.map(|m| debtor(m, &a.address, "несовершеннолетний собственник".into())),
            account_debt_kopecks: share.as_ref().map(|_| debt),
            account_penalty_kopecks: share.as_ref().map(|_| penalty_total(&penalties)),
            penalty_paid_kopecks: paid[i],
            subject: (app.charges != Charges::All).then(|| app.charges.subject().to_string()),
            share,
            liability: app.liability_text(minor.map(|m| m.full_name.as_str())),
            account: a.data.number.clone(),
            address: a.address.clone(),
            debt_rows,
            penalty,
            statement: statement.clone(),
            duty,
            time_barred_before: barred_before,
            time_barred: barred.clone(),
            claim_limit_kopecks: limit,
            basis: None,
            extra: Default::default(),
        };
        let names: Vec<String> = std::iter::once(&data.debtor)
            .chain(&data.co_debtors)
            .map(|d| d.full_name.clone())
            .collect();
        let title = format!(
            "Заявление о вынесении судебного приказа: {}, л/с {}",
            names.join(", "),
            a.data.number
        );
        let mut req = r.clone();
        req.person_id = app.debtors.first().copied();
        out.push(prepared(
            DocKind::CourtOrderApplication,
            data,
            title,
            &a,
            &req,
            names,
        ));
    }
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    Ok(out)
}

fn penalty_total(parts: &[PenaltyData]) -> i64 {
    parts.iter().map(|p| p.total_kopecks).sum()
}

/// One application of the packet through the general issuing path (`POST /documents`): the
/// account's only one, or the one naming `person_id` first when there are several.
pub(super) async fn court_order(
    db: &Db,
    r: &IssueRequest,
    today: NaiveDate,
) -> Result<Prepared, AppError> {
    let mut all = court_orders(db, need_account(r)?, r, today).await?;
    if all.len() == 1 {
        return Ok(all.remove(0));
    }
    if let Some(i) = all
        .iter()
        .position(|p| r.person_id.is_some() && p.person_id == r.person_id)
    {
        return Ok(all.remove(i));
    }
    let who: Vec<String> = all
        .iter()
        .map(|p| {
            let name = p.search_words.first().cloned().unwrap_or_default();
            format!("{name} (person_id {})", p.person_id.unwrap_or_default())
        })
        .collect();
    Err(AppError::Invalid(ValidationErrors::single(
        "person_id",
        format!(
            "По счёту несколько заявлений — по одному на каждого должника: {}. Укажите \
             person_id должника или выпустите пакет целиком («Пакет для суда»).",
            who.join(", ")
        ),
    )))
}

/// One application of the packet, for the answer and the page.
#[derive(Debug, Clone, Serialize)]
pub struct CourtApplication {
    pub document: Document,
    /// The debtors named, jointly liable when more than one.
    pub debtors: Vec<String>,
    /// The part of the account's debt claimed, `1/2`; none for the whole.
    pub share: Option<String>,
    pub debt_kopecks: i64,
    pub penalty_kopecks: i64,
    pub claim_kopecks: i64,
    pub duty_kopecks: i64,
    pub duty_formula: String,
}

/// What the court packet claims, for the answer and the page (the API's schema:
/// `api::ledger::types::CourtPacket`). The sums are the packet's totals over its
/// applications; `document` is the first application.
#[derive(Debug, Clone, Serialize)]
pub struct CourtPacket {
    pub document: Document,
    pub applications: Vec<CourtApplication>,
    pub debt_kopecks: i64,
    pub penalty_kopecks: i64,
    pub claim_kopecks: i64,
    pub duty_kopecks: i64,
    /// How the duty was computed, and by which rule (the first application's).
    pub duty_formula: String,
    /// Charges due before this date are time-barred and left out.
    pub time_barred_before: NaiveDate,
    pub time_barred_kopecks: i64,
    /// «май 2023, Отопление: 1 812,40 ₽» per time-barred charge left out.
    pub time_barred: Vec<String>,
}

/// Issues the court packet of `account_id`: every application numbered and stored in one
/// transaction (all or none).
pub async fn issue_court_packet(
    app: &crate::App,
    account_id: i64,
    actor: &Actor,
) -> Result<CourtPacket, AppError> {
    let today = app.today().await?;
    let r = IssueRequest {
        kind: DocKind::CourtOrderApplication.code().into(),
        account_id: Some(account_id),
        ..Default::default()
    };
    let preps = court_orders(&app.db, account_id, &r, today).await?;
    let documents = issue::issue_all(app, preps, &r, today, actor).await?;
    let mut applications = Vec::new();
    let mut first: Option<CourtOrderData> = None;
    for document in documents {
        let d: CourtOrderData = serde_json::from_value(document.data.clone())
            .map_err(|e| AppError::Internal(format!("данные заявления: {e}")))?;
        applications.push(CourtApplication {
            debtors: std::iter::once(&d.debtor)
                .chain(&d.co_debtors)
                .map(|x| x.full_name.clone())
                .collect(),
            share: d.share.clone(),
            debt_kopecks: d.debt_kopecks(),
            penalty_kopecks: d.penalty_claimed_kopecks(),
            claim_kopecks: d.claim_kopecks(),
            duty_kopecks: d.duty.duty_kopecks,
            duty_formula: d.duty.formula.clone(),
            document,
        });
        first.get_or_insert(d);
    }
    let d = first.ok_or_else(|| AppError::Internal("пакет без заявлений".into()))?;
    let sum = |f: fn(&CourtApplication) -> i64| applications.iter().map(f).sum::<i64>();
    Ok(CourtPacket {
        document: applications[0].document.clone(),
        debt_kopecks: sum(|a| a.debt_kopecks),
        penalty_kopecks: sum(|a| a.penalty_kopecks),
        claim_kopecks: sum(|a| a.claim_kopecks),
        duty_kopecks: sum(|a| a.duty_kopecks),
        duty_formula: d.duty.formula.clone(),
        time_barred_before: d.time_barred_before,
        time_barred_kopecks: d.time_barred_kopecks(),
        time_barred: d
            .time_barred
            .iter()
            .map(|r| {
                let p = Period::new(r.period.year, r.period.month)
                    .map(|p| p.title())
                    .unwrap_or_default();
                format!("{p}, {}: {}", r.service, format_rub(r.remaining_kopecks))
            })
            .collect(),
        applications,
    })
}
