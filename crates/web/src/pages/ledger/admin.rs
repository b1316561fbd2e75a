//! Administrator's reference data of the ledger: bank register profiles, the key-rate table,
//! penalty settings, due-date rules and the allocation rule — each change with its basis and
//! kept in the history.

use crate::extract::Path;
use abonent_app::ledger;
use abonent_app::ledger::reference::ReferenceChange as Change;
use abonent_domain::due_date::DueDateRule;
use abonent_domain::ledger::{AllocationRule, PenaltyCredit};
use abonent_domain::penalty::{format_rate, KeyRateTable, PenaltySettings};
use abonent_domain::ValidationErrors;
use abonent_import::payments::RegisterProfile;
use abonent_storage::ledger::{profiles, reference};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::HeaderMap;
use axum::Extension;

use super::lay;
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct ProfileView {
    pub id: i64,
    pub name: String,
    pub json: String,
}

#[derive(Template)]
#[template(path = "ledger/profiles.html")]
struct ProfilesPage {
    l: Layout,
    items: Vec<ProfileView>,
    f: FormView,
    /// Which profile the errors belong to (0: the new one).
    err_id: i64,
}

async fn profiles_page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    err_id: i64,
) -> Result<ProfilesPage, AppError> {
    let items = ledger::payments::profiles_list(s)
        .await?
        .into_iter()
        .map(|x| ProfileView {
            id: x.id,
            name: x.name,
            json: serde_json::to_string_pretty(&x.profile).unwrap_or_default(),
        })
        .collect();
    let mut f = f;
    if f.v("profile").is_empty() {
        f.set(
            "profile",
            serde_json::to_string_pretty(&RegisterProfile::common()).unwrap_or_default(),
        );
    }
    Ok(ProfilesPage {
        l: lay(s, p, "Профили реестров банков", "profiles").await?,
        items,
        f,
        err_id,
    })
}

pub async fn profiles(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&profiles_page(&s, &p, FormView::default(), -1).await?)
}

async fn save_profile(s: &AppState, p: &Principal, id: Option<i64>, body: &[u8]) -> PageResult {
    let f = FormView::from_body(body);
    let r = ledger::payments::save_profile(s, id, f.v("name"), f.v("profile"), &p.actor()).await;
    match r {
        Ok(_) => to("/ledger/profiles".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&profiles_page(s, p, f.errors(e), id.unwrap_or(0)).await?)
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

pub struct RateView {
    pub from: String,
    pub rate: String,
    pub source: String,
    pub confirmed: bool,
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
    rates: Vec<RateView>,
    f: FormView,
    history: Vec<VersionView>,
    rule: String,
    rule_title: String,
    /// What pays penalties: code and title.
    penalties: String,
    penalties_title: String,
    debt: super::debtors::RulesView,
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
    let rates = reference::key_rates(&s.db).await?;
    let credit = reference::penalty_credit(&s.db).await?;
    let settings = reference::penalty_settings(&s.db).await?;
    let due = reference::due_date_rules(&s.db).await?;
    let rule = reference::allocation_rule(&s.db).await?;
    let mut f = f;
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    if f.v("key_rates").is_empty() {
        f.set("key_rates", rates.to_json());
    }
    if f.v("penalty_settings").is_empty() {
        f.set(
            "penalty_settings",
            pretty(serde_json::to_value(&settings).unwrap_or_default()),
        );
    }
    if f.v("due_date_rules").is_empty() {
        f.set(
            "due_date_rules",
            pretty(serde_json::to_value(&due).unwrap_or_default()),
        );
    }
    let mut history = Vec::new();
    for k in [
        reference::KEY_RATES,
        reference::PENALTY_SETTINGS,
        reference::DUE_DATE_RULES,
        reference::ALLOCATION_RULE,
    ] {
        for v in reference::history(&s.db, k).await? {
            history.push(VersionView {
                kind: kind_title(k).into(),
                source: v.source,
                who: v.created_by_name,
                at: v.created_at,
            });
        }
    }
    history.sort_by(|a, b| b.at.cmp(&a.at));
    Ok(SettingsPage {
        l: lay(s, p, "Ставки и правила пени", "ledger_settings").await?,
        rates: rates
            .entries
            .iter()
            .rev()
            .map(|e| RateView {
                from: e.from.format("%d.%m.%Y").to_string(),
                rate: format_rate(e.rate_bp),
                source: e.source.clone(),
                confirmed: e.confidence == abonent_domain::penalty::Confidence::Confirmed,
            })
            .collect(),
        f,
        history,
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

/// Save one kind of reference data: `kind` and its JSON in the field of the same name (or an
/// uploaded JSON file), with `source`.
pub async fn settings_save(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    let multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let mut f = if multipart {
        let mut mp = axum::extract::Multipart::from_request(req, &s)
            .await
            .map_err(crate::extract::unreadable)?;
        let mut f = FormView::default();
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or("").to_string();
            let text = field.text().await.unwrap_or_default();
            if name == "file" {
                f.set("file_json", text);
            } else {
                f.set(&name, text);
            }
        }
        f
    } else {
        let body = Bytes::from_request(req, &s)
            .await
            .map_err(crate::extract::unreadable)?;
        FormView::from_body(&body)
    };
    let kind = f.v("kind").to_string();
    if !f.v("file_json").is_empty() {
        let v = f.v("file_json").to_string();
        f.set(&kind, v);
    }
    let value = f.v(&kind).to_string();
    let source = f.v("source").to_string();
    let actor = p.actor();
    let json_err = |e: serde_json::Error| {
        AppError::Invalid(ValidationErrors::single(
            &kind,
            format!("Не читается как JSON нужного вида: {e}."),
        ))
    };
    let change = match kind.as_str() {
        reference::KEY_RATES => KeyRateTable::from_json(&value)
            .map(Change::KeyRates)
            .map_err(|e| AppError::Invalid(e.prefixed("key_rates."))),
        reference::PENALTY_SETTINGS => serde_json::from_str::<PenaltySettings>(&value)
            .map(Change::PenaltySettings)
            .map_err(json_err),
        reference::DUE_DATE_RULES => serde_json::from_str::<Vec<DueDateRule>>(&value)
            .map(Change::DueDateRules)
            .map_err(json_err),
        reference::ALLOCATION_RULE => {
            let code = |name: &str| serde_json::Value::String(f.v(name).to_string());
            match (
                serde_json::from_value::<AllocationRule>(code("rule")),
                serde_json::from_value::<PenaltyCredit>(code("penalties")),
            ) {
                (Ok(r), Ok(c)) => Ok(Change::AllocationRules(r, c)),
                // A form without the penalty rule keeps the one in force.
                (Ok(r), Err(_)) if f.v("penalties").is_empty() => Ok(Change::AllocationRule(r)),
                (Err(e), _) | (_, Err(e)) => Err(json_err(e)),
            }
        }
        _ => return Err(AppError::BadRequest("Неизвестный справочник.".into()).into()),
    };
    let result = match change {
        Ok(c) => ledger::reference::save(&s, &c, &source, &actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => to("/ledger/settings?saved=1".into()),
        Err(AppError::Invalid(e)) => {
            // Every message next to the block that was saved.
            let mut shown = ValidationErrors::new();
            for x in e.0 {
                let field = if x.field == "source" {
                    format!("{kind}_source")
                } else {
                    kind.clone()
                };
                shown.add(&field, x.message);
            }
            invalid(&settings_page(&s, &p, f.errors(shown)).await?)
        }
        Err(e) => Err(e.into()),
    }
}
