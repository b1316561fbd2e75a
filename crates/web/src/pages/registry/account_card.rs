//! The account card (issue 17 §1): everything a specialist needs while the phone rings, on
//! one screen — the address and premises, the people with their roles and contacts, the
//! money (balance, debt and its age, penalties), the stage of debtor work and the plan, the
//! account's appeals and the open ones of its building, the letters, the documents issued,
//! and the buttons for what is done most. The sections are gathered by the use case
//! [`abonent_app::registry::account_card`] (only those the role may see); this page words them.

use std::collections::BTreeMap;

use abonent_app::ledger::position::Standing;
use abonent_app::registry::{self, CardSections};
use abonent_domain::ledger::{aging, Period, AGING_BUCKETS};
use abonent_domain::Permission;
use abonent_storage::appeals::AppealListItem;
use abonent_storage::correspondence::Register;
use abonent_storage::ledger::debt_cases as dc;
use abonent_storage::registry::{link, Account, Benefit, LinkView};
use askama::Template;
use chrono::NaiveDate;

use super::accounts::{kin_heads, role_options, KinHead, RoleOption};
use crate::auth::Principal;
use crate::format;
use crate::pages::documents::DocRow;
use crate::pages::layout;
use crate::timeline;
use crate::views::{HistoryView, Layout};
use crate::{AppState, PageError};

/// A person of the account with how to reach them.
pub struct PersonRow {
    pub lv: LinkView,
    pub phones: String,
    pub email: String,
}

/// The premises as the card shows it.
pub struct PremisesView {
    pub area: String,
    pub rooms: String,
    pub floor: String,
    pub entrance: String,
    pub residential: bool,
}

/// The money of the account on today's date.
pub struct MoneyView {
    pub balance: String,
    /// The account is paid ahead (a negative balance).
    pub advance: bool,
    pub debt: String,
    pub has_debt: bool,
    /// «3 месяца, с августа 2026» or empty when nothing is overdue.
    pub age: String,
    pub penalties_accrued: String,
    pub penalties_paid: String,
    pub penalties_owed: String,
    /// Non-empty age bands of the debt: («2–3 мес.», «6 000,00 ₽»).
    pub aging: Vec<(&'static str, String)>,
}

/// The debtor work: stage and plan.
pub struct DebtWorkView {
    pub stage: String,
    pub stage_on: String,
    pub plan: Option<PlanLine>,
}

pub struct PlanLine {
    pub total: String,
    pub parts: i64,
    pub agreed_on: String,
    pub status: &'static str,
    pub missed: bool,
    /// The next part not fully paid: (due, amount left).
    pub next: Option<(String, String)>,
}

pub struct AppealRow {
    pub id: i64,
    pub number: String,
    pub status: &'static str,
    pub overdue: bool,
    pub emergency: bool,
    pub address: String,
    pub substance: String,
    pub registered: String,
    pub deadline: String,
}

pub struct LetterRow {
    pub href: String,
    pub direction: &'static str,
    pub number: String,
    pub on: String,
    pub party: String,
    pub subject: String,
    pub status: String,
}

/// What the «Квитанция на сумму долга» button posts.
pub struct PayPrefill {
    /// `9000,00`: what the amount field reads.
    pub amount: String,
    pub period: String,
    /// `YYYY-MM-DD`, never before today.
    pub due: String,
    pub due_shown: String,
}

#[derive(Template)]
#[template(path = "accounts/card.html")]
pub struct Card {
    pub l: Layout,
    pub a: Account,
    pub premises: PremisesView,
    pub people: Vec<PersonRow>,
    /// «Чей родственник» in the link form: the account's owners and tenants.
    pub kin_heads: Vec<KinHead>,
    /// The owner or tenant (else the first person): who «Зарегистрировать обращение» names.
    pub applicant: Option<(i64, String)>,
    pub benefits: Vec<(String, Benefit)>,
    pub money: Option<MoneyView>,
    pub debt_work: Option<DebtWorkView>,
    pub pay: Option<PayPrefill>,
    pub can_appeals: bool,
    pub can_register_appeal: bool,
    pub open_appeals: Vec<AppealRow>,
    pub recent_appeals: Vec<AppealRow>,
    pub building_open: Vec<AppealRow>,
    pub letters: Vec<LetterRow>,
    /// «Показаны последние 10 из 14» when the list is cut.
    pub letters_note: String,
    pub documents: Vec<DocRow>,
    pub documents_note: String,
    pub history: Vec<HistoryView>,
    pub roles: Vec<RoleOption>,
    pub today: String,
    /// The closing form's date as typed, and why it was refused.
    pub close_on: String,
    pub close_error: Option<String>,
}

fn when(d: &str) -> String {
    abonent_storage::time::parse_date(d)
        .map(|d| format::date(&d))
        .unwrap_or_default()
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push('…');
    out
}

fn appeal_row(a: &AppealListItem, tz: chrono_tz::Tz) -> AppealRow {
    AppealRow {
        id: a.id,
        number: a.number.clone(),
        status: crate::pages::appeals::status_title(&a.status),
        overdue: a.overdue,
        emergency: a.priority == "emergency",
        address: a.address.clone(),
        substance: cut(&a.substance, 140),
        registered: format::date_or_instant(&a.registered_at, tz).unwrap_or_default(),
        deadline: a
            .deadline_at
            .as_deref()
            .and_then(|d| format::date_or_instant(d, tz))
            .unwrap_or_default(),
    }
}

/// «Показаны последние 10 из 14» when a list is cut; empty when it is whole.
fn cut_note(shown: usize, total: i64) -> String {
    if (shown as i64) < total {
        format!("Показаны последние {shown} из {}", format::count(total))
    } else {
        String::new()
    }
}

/// «3 месяца, с августа 2026».
fn age_of(s: &Standing) -> String {
    match s.oldest {
        Some(p) if s.months > 0 => format!(
            "{} (самый ранний — {})",
            format::counted(s.months, ["месяц", "месяца", "месяцев"]),
            p.title()
        ),
        _ => String::new(),
    }
}

fn money_view(s: &Standing, today: NaiveDate) -> MoneyView {
    let bands = aging(&s.out, Period::of(today));
    MoneyView {
        balance: format::rubles(s.balance.abs()),
        advance: s.balance < 0,
        debt: format::rubles(s.out.debt()),
        has_debt: s.out.debt() > 0,
        age: age_of(s),
        penalties_accrued: format::rubles(s.out.penalties_accrued),
        penalties_paid: format::rubles(s.out.penalties_paid),
        penalties_owed: format::rubles(s.out.penalties_owed()),
        aging: AGING_BUCKETS
            .iter()
            .zip(bands)
            .filter(|(_, v)| *v > 0)
            .map(|(b, v)| (b.title, format::rubles(v)))
            .collect(),
    }
}

/// The caller panel's line about an account's debt: «9 000,00 ₽ за 3 месяца (…)».
pub fn debt_line(s: &Standing) -> String {
    if s.out.debt() <= 0 {
        return String::new();
    }
    let age = age_of(s);
    let mut line = format::rubles(s.out.debt());
    if !age.is_empty() {
        line.push_str(&format!(", долг за {age}"));
    }
    if s.out.penalties_owed() > 0 {
        line.push_str(&format!(
            "; пени {}",
            format::rubles(s.out.penalties_owed())
        ));
    }
    line
}

fn plan_line(p: &dc::Plan) -> PlanLine {
    PlanLine {
        total: format::rubles(p.total),
        parts: p.parts,
        agreed_on: when(&p.agreed_on),
        status: match p.status.as_str() {
            "active" if p.missed => "действует, платёж пропущен",
            "active" => "действует, соблюдается",
            "broken" => "нарушена",
            _ => "исполнена",
        },
        missed: p.missed,
        next: p
            .installments
            .iter()
            .find(|i| i.paid < i.amount)
            .map(|i| (format::date(&i.due), format::rubles(i.amount - i.paid))),
    }
}

/// The account card; `close` is a refused closing date and its message.
pub async fn card(
    s: &AppState,
    p: &Principal,
    id: i64,
    flash: &'static str,
    close: Option<(String, String)>,
) -> Result<Card, PageError> {
    let may = CardSections {
        ledger: p.can(Permission::ViewLedger),
        appeals: p.can(Permission::ViewAppeals),
        letters: p.can(Permission::ViewCorrespondence),
        documents: p.can(Permission::ViewDocuments),
    };
    let c = registry::account_card(s, id, may, &p.actor(), "GET /accounts/{id}").await?;
    let tz = s.zone().await?;
    let today = c.today;
    let history = timeline::show(s, &c.history).await?;
    let (a, pr, links, ledger, appeals) = (c.account, c.premises, c.links, c.ledger, c.appeals);
    let (letters, docs) = (c.letters, c.documents);

    let by_person: BTreeMap<i64, link::Contact> =
        c.contacts.into_iter().map(|c| (c.person_id, c)).collect();
    let kin_heads = kin_heads(&links, None);
    let applicant = links
        .iter()
        .filter(|l| l.link.closed_at.is_none())
        .min_by_key(|l| {
            use abonent_domain::registry::LinkRole;
            !matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant)
        })
        .map(|l| (l.link.data.person_id, l.person_name.clone()));
    let people = links
        .into_iter()
        .map(|lv| {
            // A person linked twice (two roles) shows the contacts at each link.
            let c = by_person.get(&lv.link.data.person_id);
            PersonRow {
                phones: c.map(|c| c.phones.join(", ")).unwrap_or_default(),
                email: c.and_then(|c| c.email.clone()).unwrap_or_default(),
                lv,
            }
        })
        .collect();

    let (money, debt_work, pay) = match ledger {
        Some(lg) => {
            let debt = lg.standing.out.debt();
            let pay = (debt > 0).then(|| PayPrefill {
                amount: format!("{},{:02}", debt / 100, debt % 100),
                period: Period::of(today).to_string(),
                due: lg.due.to_string(),
                due_shown: format::date(&lg.due),
            });
            let work = DebtWorkView {
                stage: lg
                    .stage
                    .as_ref()
                    .map_or("не начата".to_string(), |(st, _)| {
                        st.title().to_string()
                    }),
                stage_on: lg
                    .stage
                    .as_ref()
                    .map(|(_, on)| when(on))
                    .unwrap_or_default(),
                plan: lg.plan.as_ref().map(plan_line),
            };
            (Some(money_view(&lg.standing, today)), Some(work), pay)
        }
        None => (None, None, None),
    };
    let (open_appeals, recent_appeals, building_open) = match appeals {
        Some(ap) => (
            ap.open.iter().map(|x| appeal_row(x, tz)).collect(),
            ap.recent.iter().map(|x| appeal_row(x, tz)).collect(),
            ap.building_open.iter().map(|x| appeal_row(x, tz)).collect(),
        ),
        None => (vec![], vec![], vec![]),
    };
    let (letters, letters_total) = match letters {
        Some((items, total)) => (
            items
                .into_iter()
                .map(|x| LetterRow {
                    href: format!("/correspondence/{}/{}", x.register.code(), x.id),
                    direction: match x.register {
                        Register::Incoming => "входящее",
                        Register::Outgoing => "исходящее",
                    },
                    number: x.number,
                    on: when(&x.on),
                    party: x.party,
                    subject: cut(&x.subject, 120),
                    status: x
                        .status
                        .as_deref()
                        .and_then(abonent_domain::correspondence::IncomingStatus::from_code)
                        .map(|st| st.title().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            total,
        ),
        None => (vec![], 0),
    };
    let (documents, documents_total) = match docs {
        Some(page) => (
            page.items
                .iter()
                .map(|d| crate::pages::documents::row(d, tz))
                .collect(),
            page.total,
        ),
        None => (vec![], 0),
    };

    let l = layout(s, p, format!("ЛС {}", a.data.number), "accounts")
        .await?
        .flash(flash);
    let today_text = today.to_string();
    let (close_on, close_error) = match close {
        Some((typed, e)) => (typed, Some(e)),
        None => (today_text.clone(), None),
    };
    let area = |c: Option<i64>| {
        c.map(|c| format!("{},{:02} м²", format::count(c / 100), c % 100))
            .unwrap_or_else(|| "не указана".into())
    };
    let num = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_else(|| "—".into());
    Ok(Card {
        premises: PremisesView {
            area: area(pr.data.area_centi),
            rooms: num(pr.data.rooms),
            floor: num(pr.data.floor),
            entrance: num(pr.data.entrance),
            residential: pr.data.residential,
        },
        l,
        a,
        people,
        kin_heads,
        applicant,
        benefits: c.benefits,
        money,
        debt_work,
        pay,
        can_appeals: may.appeals,
        can_register_appeal: p.can(Permission::RegisterAppeals),
        open_appeals,
        recent_appeals,
        building_open,
        letters_note: cut_note(letters.len(), letters_total),
        letters,
        documents_note: cut_note(documents.len(), documents_total),
        documents,
        history,
        roles: role_options(),
        today: today_text,
        close_on,
        close_error,
    })
}
