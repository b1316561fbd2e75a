//! Administrator's reference data of the ledger: bank register profiles, the key-rate table,
//! penalty settings, due-date rules and the allocation rule — each change with its basis and
//! kept in the history.

use crate::extract::Path;
use abonent_app::ledger;
use abonent_app::ledger::reference::ReferenceChange as Change;
use abonent_domain::ledger::{AllocationRule, PenaltyCredit};
use abonent_domain::ValidationErrors;
use abonent_import::payments::RegisterProfile;
use abonent_storage::ledger::{profiles, reference};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::lay;
use super::profile_form as pf;
use super::reference_form::{self as form, Row};
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct ProfileView {
    /// 0: the new profile.
    pub id: i64,
    pub title: String,
    pub f: FormView,
    pub date_formats: Vec<(String, String)>,
    pub time_formats: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "ledger/profiles.html")]
struct ProfilesPage {
    l: Layout,
    items: Vec<ProfileView>,
    /// Which profile the errors belong to (0: the new one).
    err_id: i64,
    separators: &'static [(&'static str, &'static str)],
    encodings: &'static [(&'static str, &'static str)],
    periods: &'static [(&'static str, &'static str)],
    columns: Vec<pf::ColumnInput>,
    /// The totals line's inputs: name and title.
    totals: [(&'static str, &'static str); 5],
}

fn profile_view(id: i64, title: String, f: FormView) -> ProfileView {
    ProfileView {
        id,
        title,
        date_formats: pf::options(pf::DATE_FORMATS, f.v("date_format")),
        time_formats: pf::options(pf::TIME_FORMATS, f.v("time_format")),
        f,
    }
}

/// The page; `failed` is the form sent back with its errors (its id, 0 for the new one).
async fn profiles_page(
    s: &AppState,
    p: &Principal,
    failed: Option<(i64, FormView)>,
) -> Result<ProfilesPage, AppError> {
    let (err_id, mut failed_form) = match failed {
        Some((id, f)) => (id, Some(f)),
        None => (-1, None),
    };
    let mut items = Vec::new();
    for x in ledger::payments::profiles_list(s).await? {
        let f = match failed_form.take_if(|_| err_id == x.id) {
            Some(f) => f,
            None => {
                let mut f = FormView::default();
                match serde_json::from_value::<RegisterProfile>(x.profile.clone()) {
                    Ok(pr) => pf::fill(&mut f, &pr),
                    Err(_) => f.set("name", x.name.clone()),
                }
                f.set("name", x.name.clone());
                f
            }
        };
        items.push(profile_view(x.id, x.name, f));
    }
    let new = failed_form.unwrap_or_else(|| {
        let mut f = FormView::default();
        pf::fill(&mut f, &RegisterProfile::common());
        f.set("name", "");
        f
    });
    items.push(profile_view(0, "Новый профиль".into(), new));
    Ok(ProfilesPage {
        l: lay(s, p, "Профили реестров банков", "profiles").await?,
        items,
        err_id,
        separators: pf::SEPARATORS,
        encodings: pf::ENCODINGS,
        periods: pf::PERIOD_FORMATS,
        columns: pf::column_inputs(),
        totals: [
            ("totals_prefix", "Начинается с"),
            ("totals_count", "Столбец числа оплат"),
            ("totals_amount", "Столбец суммы"),
            ("totals_transfer", "Столбец суммы перевода"),
            ("totals_commission", "Столбец комиссии"),
        ],
    })
}

pub async fn profiles(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&profiles_page(&s, &p, None).await?)
}

async fn save_profile(s: &AppState, p: &Principal, id: Option<i64>, body: &[u8]) -> PageResult {
    let f = FormView::from_body(body);
    let r = match pf::read(&f) {
        Ok(profile) => {
            let json = serde_json::to_string(&profile).unwrap_or_default();
            ledger::payments::save_profile(s, id, &profile.name, &json, &p.actor()).await
        }
        Err(e) => Err(AppError::Invalid(e)),
    };
    match r {
        Ok(_) => to("/ledger/profiles?saved=1".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&profiles_page(s, p, Some((id.unwrap_or(0), f.errors(e)))).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn profile_create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    save_profile(&s, &p, None, &body).await
}

pub async fn profile_update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    profiles::get(&s.db, id).await?;
    save_profile(&s, &p, Some(id), &body).await
}

pub struct VersionView {
    pub kind: String,
    pub source: String,
    pub who: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "ledger/settings.html")]
struct SettingsPage {
    l: Layout,
    f: FormView,
    rates: Vec<Row>,
    moratoria: Vec<Row>,
    due: Vec<Row>,
    modes: &'static [(&'static str, &'static str)],
    roundings: &'static [(&'static str, &'static str)],
    cap_scopes: &'static [(&'static str, &'static str)],
    mor_cells: [(&'static str, &'static str, &'static str); 4],
    history: Vec<VersionView>,
    rule: String,
    rule_title: String,
    /// What pays penalties: code and title.
    penalties: String,
    penalties_title: String,
    debt: super::debtors::RulesView,
}

impl SettingsPage {
    /// Errors of no input on the page (shown at the top).
    fn others(&self) -> Vec<String> {
        const AT_BLOCKS: [&str; 6] = [
            "key_rates",
            "due_date_rules",
            "key_rates_source",
            "penalty_settings_source",
            "due_date_rules_source",
            "allocation_rule_source",
        ];
        self.f
            .errors
            .0
            .iter()
            .filter(|e| {
                !AT_BLOCKS.contains(&e.field.as_str()) && !self.f.values.contains_key(&e.field)
            })
            .map(|e| e.message.clone())
            .collect()
    }
}

fn kind_title(k: &str) -> &'static str {
    match k {
        reference::KEY_RATES => "Ключевые ставки",
        reference::PENALTY_SETTINGS => "Правила пени",
        reference::DUE_DATE_RULES => "Сроки оплаты",
        reference::ALLOCATION_RULE => "Разнесение оплат",
        reference::CHARGE_MAPPING => "Колонки файла начислений",
        _ => "Справочник",
    }
}

async fn settings_page(s: &AppState, p: &Principal, f: FormView) -> Result<SettingsPage, AppError> {
    let credit = reference::penalty_credit(&s.db).await?;
    let rule = reference::allocation_rule(&s.db).await?;
    let mut f = f;
    // Blocks not being saved show what is in force.
    if form::row_indices(&f, "kr").is_empty() {
        form::fill_key_rates(&mut f, &reference::key_rates(&s.db).await?);
    }
    if f.v("ps.mode").is_empty() {
        form::fill_penalty_settings(&mut f, &reference::penalty_settings(&s.db).await?);
    }
    if form::row_indices(&f, "dd").is_empty() {
        form::fill_due_dates(&mut f, &reference::due_date_rules(&s.db).await?);
    }
    let tz = s.zone().await?;
    let mut history = Vec::new();
    for k in [
        reference::KEY_RATES,
        reference::PENALTY_SETTINGS,
        reference::DUE_DATE_RULES,
        reference::ALLOCATION_RULE,
    ] {
        for v in reference::history(&s.db, k).await? {
            history.push((
                v.created_at.clone(),
                VersionView {
                    kind: kind_title(k).into(),
                    source: crate::views::legal_reference(&v.source),
                    who: v.created_by_name,
                    at: crate::views::local_time(&v.created_at, tz),
                },
            ));
        }
    }
    history.sort_by(|a, b| b.0.cmp(&a.0));
    Ok(SettingsPage {
        l: lay(s, p, "Ставки и правила пени", "ledger_settings").await?,
        rates: form::rows(&f, "kr", &["from", "rate", "source", "confirmed"]),
        moratoria: form::rows(&f, "mor", &["from", "to", "before", "source"]),
        due: form::rows(&f, "dd", &["from", "day", "source"]),
        modes: form::MODES,
        roundings: form::ROUNDINGS,
        cap_scopes: form::CAP_SCOPES,
        mor_cells: [
            ("from", "С", "date"),
            ("to", "По", "date"),
            ("before", "Долги, возникшие до", "date"),
            ("source", "Основание", "text"),
        ],
        f,
        history: history.into_iter().map(|(_, v)| v).collect(),
        rule: serde_json::to_value(rule)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        rule_title: rule.title().into(),
        penalties: serde_json::to_value(credit)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        penalties_title: credit.title().into(),
        debt: super::debtors::rules_view(&s.db).await?,
    })
}

pub async fn settings(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&settings_page(&s, &p, FormView::default()).await?)
}

/// Save one kind of reference data from its block of the page (`kind`), with `source`.
pub async fn settings_save(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let kind = f.v("kind").to_string();
    let source = f.v("source").to_string();
    let actor = p.actor();
    let change = match kind.as_str() {
        reference::KEY_RATES => {
            let description = reference::key_rates(&s.db).await?.description;
            form::read_key_rates(&f, &description).map(Change::KeyRates)
        }
        reference::PENALTY_SETTINGS => form::read_penalty_settings(&f).map(Change::PenaltySettings),
        reference::DUE_DATE_RULES => form::read_due_dates(&f).map(Change::DueDateRules),
        reference::ALLOCATION_RULE => {
            let code = |name: &str| serde_json::Value::String(f.v(name).to_string());
            match (
                serde_json::from_value::<AllocationRule>(code("rule")),
                serde_json::from_value::<PenaltyCredit>(code("penalties")),
            ) {
                (Ok(r), Ok(c)) => Ok(Change::AllocationRules(r, c)),
                // A form without the penalty rule keeps the one in force.
                (Ok(r), Err(_)) if f.v("penalties").is_empty() => Ok(Change::AllocationRule(r)),
                _ => Err(ValidationErrors::single(
                    "allocation_rule_source",
                    "Выберите правило разнесения и оплату пени из списков.",
                )),
            }
        }
        _ => return Err(AppError::BadRequest("Неизвестный справочник.".into()).into()),
    };
    let result = match change {
        Ok(c) => ledger::reference::save(&s, &c, &source, &actor).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => to("/ledger/settings?saved=1".into()),
        Err(AppError::Invalid(e)) => {
            // The basis's message beside the block's basis; the rest at their inputs.
            let mut shown = ValidationErrors::new();
            for x in e.0 {
                let field = if x.field == "source" {
                    format!("{kind}_source")
                } else {
                    x.field
                };
                shown.add(&field, x.message);
            }
            invalid(&settings_page(&s, &p, f.errors(shown)).await?)
        }
        Err(e) => Err(e.into()),
    }
}
