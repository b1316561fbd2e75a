//! The court's side of a debtor's case on the account's «Расчёты» (issue 14 §3): the case
//! number, earlier cases, the court record (decision, sums awarded, writ, ФССП) and the sums
//! collected, with their forms.

use crate::extract::Path;
use abonent_app::debtors;
use abonent_domain::debtor::{CollectionForm, CourtRecordForm};
use abonent_storage::ledger::debt_cases as dc;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::debtors::answer;
use crate::auth::Principal;
use crate::forms::{self, FormView};
use crate::pages::PageResult;
use crate::AppState;

/// Fields of the court forms whose refusals the debt block lists.
pub const FIELDS: &[&str] = &[
    "court_case_number",
    "decision_on",
    "awarded_debt",
    "awarded_penalties",
    "awarded_duty",
    "writ_number",
    "writ_issued_on",
    "fssp_submitted_on",
    "fssp_case_number",
    "collected_on",
    "amount",
    "note",
];

fn rub(k: i64) -> String {
    abonent_domain::money::format_amount(k)
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The court block as the template shows it: form values as stored, sums in roubles.
pub struct CourtView {
    /// «Дело № 2», empty for the first case.
    pub case_title: String,
    /// «Дело № 1: 01.02.2025 — 10.06.2025, долг погашен».
    pub earlier: Vec<String>,
    pub court_case_number: String,
    pub decision_on: String,
    pub awarded_debt: String,
    pub awarded_penalties: String,
    pub awarded_duty: String,
    pub writ_number: String,
    pub writ_issued_on: String,
    pub fssp_submitted_on: String,
    pub fssp_case_number: String,
    /// (date, sum, note).
    pub collections: Vec<(String, String, String)>,
    pub collected: String,
    /// Awarded minus collected; empty before the sums awarded are entered.
    pub outstanding: String,
    /// A case exists: the court forms are shown.
    pub open: bool,
}

pub fn view(c: &dc::DebtCase) -> CourtView {
    let ru = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_or(s.to_string(), |d| d.format("%d.%m.%Y").to_string())
    };
    let r = &c.court.record;
    CourtView {
        case_title: if c.case_no > 1 {
            format!("Дело № {}", c.case_no)
        } else {
            String::new()
        },
        earlier: c
            .earlier_cases
            .iter()
            .map(|e| {
                format!(
                    "Дело № {}: {} — {}{}",
                    e.case_no,
                    ru(&e.opened_on),
                    ru(&e.ended_on),
                    e.ended
                        .map(|s| format!(", {}", s.title().to_lowercase()))
                        .unwrap_or_default()
                )
            })
            .collect(),
        court_case_number: r.court_case_number.clone().unwrap_or_default(),
        decision_on: day(r.decision_on),
        awarded_debt: r.awarded_debt.map(rub).unwrap_or_default(),
        awarded_penalties: r.awarded_penalties.map(rub).unwrap_or_default(),
        awarded_duty: r.awarded_duty.map(rub).unwrap_or_default(),
        writ_number: r.writ_number.clone().unwrap_or_default(),
        writ_issued_on: day(r.writ_issued_on),
        fssp_submitted_on: day(r.fssp_submitted_on),
        fssp_case_number: r.fssp_case_number.clone().unwrap_or_default(),
        collections: c
            .court
            .collections
            .iter()
            .map(|x| {
                (
                    ru(&x.collected_on),
                    rub(x.amount),
                    x.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
        collected: rub(c.court.collected),
        outstanding: c.court.outstanding.map(rub).unwrap_or_default(),
        open: c.case_no > 0,
    }
}

/// Saves the court record of the current case.
pub async fn court(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let form: CourtRecordForm = forms::parse(&body)?;
    let r = debtors::save_court_record(&s, id, &form, &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, id, f, r, "court").await
}

/// Records a sum collected under the decision.
pub async fn collection(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let form: CollectionForm = forms::parse(&body)?;
    let r = debtors::record_collection(&s, id, &form, &p.actor())
        .await
        .map(|_| ());
    answer(&s, &p, id, f, r, "collection").await
}
