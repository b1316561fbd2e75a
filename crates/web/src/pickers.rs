//! Pickers instead of internal codes: a form field for an account, a person, a building, an
//! incoming letter or an archive document is a text box searched as you type (`picker.js`
//! asks `/suggest`) with a hidden input carrying the chosen record's id under the field's
//! old name. Without JavaScript the typed text (`NAME__pick`) is resolved here: an account
//! number or a single match is taken, anything else is a Russian error at the field. A form
//! shown again names the chosen record (number and address), never its id.

use std::collections::BTreeMap;

use abonent_domain::{Permission, ValidationErrors};
use abonent_storage::search::{self, HitKind};
use abonent_storage::suggest::{self, Pick, PickKind};
use axum::extract::State;
use axum::Extension;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::ApiResult;
use crate::auth::Principal;
use crate::extract::Query;
use crate::forms::FormView;
use crate::{AppError, AppState};

/// How many suggestions a picker shows.
pub const LIMIT: i64 = 10;

/// The suffix of the visible text box of a picker field.
pub const TEXT: &str = "__pick";

/// One picker field of a form: its name (the id's) and what it picks.
pub type Field = (&'static str, PickKind);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What to pick: `account`, `person`, `building`, `letter` (incoming), `document`;
    /// `search` (pages only) suggests for the header search box.
    pub kind: String,
    /// What was typed: an account number, an address (`Амундсена 9-12`), a name, the last
    /// digits of a phone, a letter's or document's number.
    pub q: Option<String>,
    /// Up to 50 suggestions (10 by default).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    pub id: i64,
    /// What the picker shows and puts into the box: `ЛС 100234 — г. Энск, ул. Ленина, д. 5, кв. 12`.
    pub label: String,
    /// The address beside it; empty when unknown.
    pub address: String,
    pub closed: bool,
    /// Where the header search goes when this is chosen; empty for form pickers.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub items: Vec<Suggestion>,
    /// More records matched than are shown: the query should be narrowed.
    pub cut: bool,
    /// How many are shown at most.
    pub limit: i64,
    /// «показаны первые 10 — уточните запрос» when cut, otherwise empty.
    pub note: String,
}

/// `ЛС 100234 — адрес`, `Иванов Иван — адрес`, `Вх. № 12 от 01.12.2026 — отправитель: тема`.
pub fn label(kind: PickKind, p: &Pick) -> String {
    let date = p
        .date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| crate::views::date_ru(&d))
        .unwrap_or_default();
    let mut out = match kind {
        PickKind::Account | PickKind::Person | PickKind::Building => p.title.clone(),
        PickKind::Letter => format!("Вх. № {} от {date} — {}", p.title, p.note),
        PickKind::Document => format!("№ {} от {date} — {}", p.title, p.note),
    };
    if !p.address.is_empty() {
        out = format!("{out} — {}", p.address);
    }
    if p.closed {
        out.push_str(" (закрыт)");
    }
    out
}

/// «показаны первые N — уточните запрос»
pub fn cut_note(cut: bool, limit: i64) -> String {
    if cut {
        format!("показаны первые {limit} — уточните запрос")
    } else {
        String::new()
    }
}

/// May this person see records of this kind? People's names need the personal-data right.
fn may_pick(p: &Principal, kind: PickKind) -> bool {
    match kind {
        PickKind::Account | PickKind::Building => p.can(Permission::ViewRegistry),
        PickKind::Person => p.can(Permission::ViewPersonalData),
        PickKind::Letter => p.can(Permission::ViewCorrespondence),
        PickKind::Document => p.can(Permission::ViewDocuments),
    }
}

fn kind_of(code: &str) -> Result<PickKind, AppError> {
    PickKind::parse(code).ok_or_else(|| {
        AppError::field(
            "kind",
            format!("Вид «{code}» не известен: account, person, building, letter или document."),
        )
    })
}

async fn suggestions(
    s: &AppState,
    p: &Principal,
    kind: PickKind,
    q: &str,
    limit: i64,
    via: &str,
) -> Result<Suggestions, AppError> {
    if !may_pick(p, kind) {
        return Err(AppError::Forbidden);
    }
    let found = suggest::suggest(&s.db, kind, q, limit).await?;
    let people: Vec<i64> = found.items.iter().flat_map(|x| x.people.clone()).collect();
    if kind == PickKind::Person {
        abonent_app::privacy::record_views(s, &p.actor(), &people, via).await?;
    }
    Ok(Suggestions {
        items: found
            .items
            .iter()
            .map(|x| Suggestion {
                id: x.id,
                label: label(kind, x),
                address: x.address.clone(),
                closed: x.closed,
                href: String::new(),
            })
            .collect(),
        cut: found.cut,
        limit,
        note: cut_note(found.cut, limit),
    })
}

/// The header search box as you type: accounts and people with their addresses.
async fn search_suggestions(
    s: &AppState,
    p: &Principal,
    q: &str,
    limit: i64,
) -> Result<Suggestions, AppError> {
    let (hits, cut) = search::search_cut(&s.db, q, limit).await?;
    let hits: Vec<_> = hits
        .into_iter()
        .filter(|h| h.kind == HitKind::Account || p.can(Permission::ViewPersonalData))
        .collect();
    let ids: Vec<i64> = hits.iter().flat_map(|h| h.people.clone()).collect();
    abonent_app::privacy::record_views(s, &p.actor(), &ids, "GET /suggest").await?;
    Ok(Suggestions {
        items: hits
            .into_iter()
            .map(|h| Suggestion {
                id: h.id,
                label: format!("{} — {}", h.title, h.subtitle),
                address: h.subtitle,
                closed: h.closed,
                href: match h.kind {
                    HitKind::Account => format!("/accounts/{}", h.id),
                    HitKind::Person => format!("/persons/{}", h.id),
                },
            })
            .collect(),
        cut,
        limit,
        note: cut_note(cut, limit),
    })
}

/// `/suggest`: what a picker on a page offers (JSON).
pub async fn page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<SuggestParams>,
) -> Result<Json<Suggestions>, crate::PageError> {
    let text = q.q.unwrap_or_default();
    let limit = q.limit.unwrap_or(LIMIT).clamp(1, 50);
    let out = if q.kind == "search" {
        search_suggestions(&s, &p, &text, limit).await?
    } else {
        suggestions(&s, &p, kind_of(&q.kind)?, &text, limit, "GET /suggest").await?
    };
    Ok(Json(out))
}

/// Suggestions for a picker: records by what a person knows.
#[utoipa::path(get, path = "/api/v1/suggest", summary = "Подсказки для выбора счёта, человека, дома, письма или документа", tag = "Поиск", params(SuggestParams), responses((status = 200, body = Suggestions)))]
pub async fn api(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<SuggestParams>,
) -> ApiResult<Suggestions> {
    let limit = q.limit.unwrap_or(LIMIT).clamp(1, 50);
    let kind = kind_of(&q.kind)?;
    let text = q.q.unwrap_or_default();
    Ok(Json(
        suggestions(&s, &p, kind, &text, limit, "GET /api/v1/suggest").await?,
    ))
}

/// The label of a chosen record, or `None` when there is no such record.
pub async fn label_of(s: &AppState, kind: PickKind, id: i64) -> Result<Option<String>, AppError> {
    Ok(suggest::one(&s.db, kind, id)
        .await?
        .map(|p| label(kind, &p)))
}

/// What the person typed into a picker, made an id; the inner `Err` is the message at the
/// field.
async fn resolve_text(
    s: &AppState,
    kind: PickKind,
    text: &str,
) -> Result<Result<i64, String>, AppError> {
    if kind == PickKind::Account {
        if let Some(id) = suggest::account_by_number(&s.db, text).await? {
            return Ok(Ok(id));
        }
    }
    let found = suggest::suggest(&s.db, kind, text, 20).await?;
    if let Some(same) = found.items.iter().find(|p| label(kind, p) == text) {
        return Ok(Ok(same.id));
    }
    Ok(match found.items.as_slice() {
        [one] => Ok(one.id),
        [] => Err(format!(
            "По «{text}» ничего не найдено — проверьте написание и выберите из списка."
        )),
        _ => Err(format!(
            "По «{text}» найдено несколько — выберите из списка или уточните (номер счёта, квартиру, имя)."
        )),
    })
}

/// Resolve the picker fields of a form or a query: for each field whose visible text was
/// changed from the chosen record's label (or typed with nothing chosen), find the record.
/// Pairs are rewritten in place; the errors name the fields.
pub async fn resolve(
    s: &AppState,
    pairs: &mut Vec<(String, String)>,
    fields: &[Field],
) -> Result<ValidationErrors, AppError> {
    let mut errors = ValidationErrors::new();
    for (name, kind) in fields {
        let text_key = format!("{name}{TEXT}");
        let Some(text) = pairs
            .iter()
            .find(|(k, _)| *k == text_key)
            .map(|(_, v)| v.trim().to_string())
        else {
            // An old link or a client that sends the id alone.
            continue;
        };
        let id = pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default();
        let chosen = match id.parse::<i64>() {
            Ok(i) if !text.is_empty() => label_of(s, *kind, i).await?.filter(|l| *l == text),
            _ => None,
        };
        let new_id = if text.is_empty() {
            String::new()
        } else if chosen.is_some() {
            id
        } else {
            match resolve_text(s, *kind, &text).await? {
                Ok(i) => i.to_string(),
                Err(m) => {
                    errors.add(name, m);
                    String::new()
                }
            }
        };
        pairs.retain(|(k, _)| k != name);
        pairs.push((name.to_string(), new_id));
    }
    Ok(errors)
}

/// `resolve` over a urlencoded form body: the body to parse and the errors to show.
pub async fn resolve_body(
    s: &AppState,
    body: &[u8],
    fields: &[Field],
) -> Result<(Vec<u8>, ValidationErrors), AppError> {
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let errors = resolve(s, &mut pairs, fields).await?;
    let out = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    Ok((out.into_bytes(), errors))
}

/// `resolve` over a query string's map.
pub async fn resolve_query(
    s: &AppState,
    q: &mut BTreeMap<String, String>,
    fields: &[Field],
) -> Result<ValidationErrors, AppError> {
    let mut pairs: Vec<(String, String)> = std::mem::take(q).into_iter().collect();
    let errors = resolve(s, &mut pairs, fields).await?;
    q.extend(pairs);
    Ok(errors)
}

/// Put each chosen record's label into the form's visible picker box.
pub async fn fill_labels(s: &AppState, f: &mut FormView, fields: &[Field]) -> Result<(), AppError> {
    for (name, kind) in fields {
        if let Ok(id) = f.v(name).trim().parse::<i64>() {
            if let Some(l) = label_of(s, *kind, id).await? {
                f.set(&format!("{name}{TEXT}"), l);
            }
        }
    }
    Ok(())
}

/// The same for a query string's map (filters).
pub async fn fill_query_labels(
    s: &AppState,
    q: &mut BTreeMap<String, String>,
    fields: &[Field],
) -> Result<(), AppError> {
    let mut f = FormView {
        values: std::mem::take(q),
        errors: ValidationErrors::new(),
    };
    fill_labels(s, &mut f, fields).await?;
    *q = f.values;
    Ok(())
}

/// A posted form's pickers resolved: `Ok(body)` to parse, or `Err(form)` with the fields'
/// errors to show again.
pub async fn posted(
    s: &AppState,
    body: &[u8],
    fields: &[Field],
) -> Result<Result<axum::body::Bytes, FormView>, AppError> {
    let (body, errors) = resolve_body(s, body, fields).await?;
    if errors.is_empty() {
        Ok(Ok(axum::body::Bytes::from(body)))
    } else {
        Ok(Err(FormView::from_body(&body).errors(errors)))
    }
}

/// `resolve` over a form already read (a multipart one): ids set, errors added to the form.
pub async fn resolve_form(
    s: &AppState,
    f: &mut FormView,
    fields: &[Field],
) -> Result<(), AppError> {
    let mut pairs: Vec<(String, String)> = std::mem::take(&mut f.values).into_iter().collect();
    let errors = resolve(s, &mut pairs, fields).await?;
    f.values = pairs.into_iter().collect();
    f.errors.0.extend(errors.0);
    Ok(())
}
