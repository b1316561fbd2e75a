//! Loading charges and payments (upload → check with every bad line → commit with progress),
//! the unmatched-payments queue and the monthly penalty run.

use std::collections::BTreeMap;

use crate::extract::{Path, Query};
use abonent_app::ledger::{
    self, charges::ChargesPreview, payments::PaymentFormat, payments::PaymentsPreview,
};
use abonent_app::uploads::{self, UploadFor};
use abonent_domain::ledger::Period;
use abonent_import::charges::{ChargeField, ChargeMapping};
use abonent_storage::ledger::charges::{self as store_charges, LedgerImport};
use abonent_storage::ledger::payments::{self, Suggestion, Unmatched};
use abonent_storage::ledger::{penalties, profiles};
use abonent_storage::registry::PageReq;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse};
use axum::Extension;

use super::lay;
use super::rub;
use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::{AppError, AppState};

#[derive(Template)]
#[template(path = "ledger/imports.html")]
struct ImportsPage {
    l: Layout,
    f: FormView,
    imports: Vec<LedgerImport>,
    profiles: Vec<profiles::StoredProfile>,
}

async fn imports_page(s: &AppState, p: &Principal, f: FormView) -> Result<ImportsPage, AppError> {
    Ok(ImportsPage {
        l: lay(s, p, "Загрузка начислений и оплат", "ledger_imports").await?,
        f,
        imports: store_charges::imports(&s.db, 50).await?,
        profiles: ledger::payments::profiles_list(s).await?,
    })
}

pub async fn imports(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&imports_page(&s, &p, FormView::default()).await?)
}

/// A multipart upload: the file and the other fields as a form.
pub(crate) async fn read_multipart(
    s: &AppState,
    req: Request,
) -> Result<(FormView, Option<(String, Vec<u8>)>), AppError> {
    let bad = crate::extract::unreadable;
    let mut mp = Multipart::from_request(req, s)
        .await
        .map_err(crate::extract::unreadable)?;
    let mut f = FormView::default();
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or("файл").to_string();
            file = Some((fname, field.bytes().await.map_err(bad)?.to_vec()));
        } else {
            f.set(&name, field.text().await.unwrap_or_default());
        }
    }
    Ok((f, file))
}

pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("multipart/")
}

/// The form of the request and the upload it refers to (a new file is saved first).
async fn upload_of(
    s: &AppState,
    what: UploadFor,
    p: &Principal,
    headers: &HeaderMap,
    req: Request,
) -> Result<Result<(FormView, i64), FormView>, AppError> {
    if is_multipart(headers) {
        let (f, file) = read_multipart(s, req).await?;
        let (name, bytes) = file.unwrap_or_default();
        match uploads::save(s, what, &name, &bytes, p.user_id).await {
            Ok(id) => Ok(Ok((f, id))),
            Err(AppError::Invalid(e)) => Ok(Err(f.errors(e))),
            Err(e) => Err(e),
        }
    } else {
        let body = Bytes::from_request(req, s)
            .await
            .map_err(crate::extract::unreadable)?;
        let f = FormView::from_body(&body);
        let id = f.v("upload_id").parse().map_err(|_| {
            AppError::BadRequest("Не указан загруженный файл: загрузите его снова.".into())
        })?;
        Ok(Ok((f, id)))
    }
}

pub struct ColumnView {
    pub index: usize,
    pub header: String,
    pub field: String,
}

pub struct FieldChoice {
    pub code: &'static str,
    pub title: &'static str,
}

#[derive(Template)]
#[template(path = "ledger/charges_preview.html")]
struct ChargesPreviewPage {
    l: Layout,
    p: ChargesPreview,
    columns: Vec<ColumnView>,
    fields: Vec<FieldChoice>,
    charged: String,
    recalculated: String,
    opening: String,
}

fn charges_page(l: Layout, p: ChargesPreview) -> ChargesPreviewPage {
    let columns = p
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnView {
            index: i,
            header: h.clone(),
            field: p
                .mapping
                .field_of(i)
                .map(|f| f.code().to_string())
                .unwrap_or_default(),
        })
        .collect();
    ChargesPreviewPage {
        l,
        columns,
        fields: ChargeField::ALL
            .iter()
            .map(|f| FieldChoice {
                code: f.code(),
                title: f.title(),
            })
            .collect(),
        charged: rub(p.charged),
        recalculated: rub(p.recalculated),
        opening: rub(p.opening),
        p,
    }
}

/// `col_3=amount` fields → a mapping; `None` when the form has none.
fn mapping_of(f: &FormView) -> Option<ChargeMapping> {
    let mut m = ChargeMapping::default();
    let mut any = false;
    for (k, v) in &f.values {
        if let Some(i) = k.strip_prefix("col_").and_then(|i| i.parse::<usize>().ok()) {
            any = true;
            if let Some(field) = ChargeField::from_code(v) {
                m.set(field, i);
            }
        }
    }
    any.then_some(m)
}

pub async fn charges_upload(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    let (f, id) = match upload_of(&s, UploadFor::Charges, &p, &headers, req).await? {
        Ok(x) => x,
        Err(f) => return invalid(&imports_page(&s, &p, f).await?),
    };
    match ledger::charges::preview(&s, id, mapping_of(&f)).await {
        Ok(prev) => {
            let l = layout(&s, &p, "Проверка файла начислений", "ledger_imports").await?;
            html(&charges_page(l, prev))
        }
        Err(AppError::Invalid(e)) => invalid(&imports_page(&s, &p, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn charges_commit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let prev = ledger::charges::preview(&s, id, mapping_of(&f)).await?;
    if !prev.errors.is_empty() || prev.duplicate.is_some() {
        let l = layout(&s, &p, "Проверка файла начислений", "ledger_imports").await?;
        return invalid(&charges_page(l, prev));
    }
    let job = ledger::charges::commit(&s, prev, p.actor(), p.user_id).await?;
    to(format!("/ledger/jobs/{job}"))
}

#[derive(Template)]
#[template(path = "ledger/payments_preview.html")]
struct PaymentsPreviewPage {
    l: Layout,
    p: PaymentsPreview,
    format_value: String,
    amount: String,
    unmatched_amount: String,
    sample: Vec<(usize, String, String, String, String, bool)>,
}

fn format_value(f: &PaymentFormat) -> String {
    match f {
        PaymentFormat::Register { profile_id, .. } => profile_id.to_string(),
        PaymentFormat::ClientBank => "client_bank".into(),
    }
}

fn payments_page(l: Layout, p: PaymentsPreview) -> PaymentsPreviewPage {
    PaymentsPreviewPage {
        l,
        format_value: format_value(&p.format),
        amount: rub(p.amount),
        unmatched_amount: rub(p.unmatched_amount),
        sample: p
            .sample
            .iter()
            .map(|x| {
                (
                    x.line,
                    x.paid_on.clone(),
                    x.account_number.clone(),
                    x.payer.clone(),
                    rub(x.amount),
                    x.matched,
                )
            })
            .collect(),
        p,
    }
}

async fn format_of(s: &AppState, f: &FormView) -> Result<PaymentFormat, AppError> {
    let v = f.v("format");
    ledger::payments::payment_format(s, v.parse().ok(), v == "client_bank").await
}

pub async fn payments_upload(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    let (f, id) = match upload_of(&s, UploadFor::Payments, &p, &headers, req).await? {
        Ok(x) => x,
        Err(f) => return invalid(&imports_page(&s, &p, f).await?),
    };
    let format = format_of(&s, &f).await?;
    match ledger::payments::preview(&s, id, format).await {
        Ok(prev) => {
            let l = layout(&s, &p, "Проверка файла оплат", "ledger_imports").await?;
            let page = payments_page(l, prev);
            if page.p.error.is_some() || page.p.duplicate.is_some() {
                invalid(&page)
            } else {
                html(&page)
            }
        }
        Err(AppError::Invalid(e)) => invalid(&imports_page(&s, &p, f.errors(e)).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn payments_commit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let format = format_of(&s, &f).await?;
    let prev = ledger::payments::preview(&s, id, format).await?;
    if prev.error.is_some() || prev.duplicate.is_some() {
        let l = layout(&s, &p, "Проверка файла оплат", "ledger_imports").await?;
        return invalid(&payments_page(l, prev));
    }
    let job = ledger::payments::commit(&s, prev, p.actor(), p.user_id).await?;
    to(format!("/ledger/jobs/{job}"))
}

#[derive(Template)]
#[template(path = "ledger/job.html")]
struct JobPage {
    l: Layout,
    j: abonent_storage::jobs::Job,
}

#[derive(Template)]
#[template(path = "ledger/job_status.html")]
struct JobStatus {
    j: abonent_storage::jobs::Job,
}

pub async fn job(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let j = ledger::job(&s, id).await?;
    if headers.contains_key("hx-request") {
        return Ok(Html(views::render(&JobStatus { j })).into_response());
    }
    let l = layout(&s, &p, "Выполнение", "ledger_imports").await?;
    Ok(Html(views::render(&JobPage { l, j })).into_response())
}

pub struct UnmatchedView {
    pub u: Unmatched,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "ledger/unmatched.html")]
struct UnmatchedPage {
    l: Layout,
    rows: Vec<UnmatchedView>,
    total: i64,
    pager: Vec<PagerItem>,
}

pub async fn unmatched(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let q = ListQuery::new("/ledger/unmatched", &params);
    let page = payments::unmatched(
        &s.db,
        q.get("status"),
        PageReq::new(q.get("page").parse().ok(), None),
    )
    .await?;
    let pager = views::pager(&q, page.page, page.pages());
    html(&UnmatchedPage {
        l: layout(&s, &p, "Неопознанные платежи", "unmatched").await?,
        rows: page
            .items
            .into_iter()
            .map(|u| UnmatchedView {
                amount: rub(u.amount),
                u,
            })
            .collect(),
        total: page.total,
        pager,
    })
}

#[derive(Template)]
#[template(path = "ledger/unmatched_one.html")]
struct UnmatchedOne {
    l: Layout,
    u: Unmatched,
    amount: String,
    suggestions: Vec<Suggestion>,
    f: FormView,
}

async fn unmatched_one(
    s: &AppState,
    p: &Principal,
    id: i64,
    f: FormView,
) -> Result<UnmatchedOne, AppError> {
    let u = payments::unmatched_get(&s.db, id).await?;
    let suggestions = if u.status == "open" {
        payments::suggestions(&s.db, &u).await?
    } else {
        Vec::new()
    };
    Ok(UnmatchedOne {
        l: lay(s, p, format!("Неопознанный платёж № {id}"), "unmatched").await?,
        amount: rub(u.amount),
        u,
        suggestions,
        f,
    })
}

pub async fn unmatched_show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    html(&unmatched_one(&s, &p, id, FormView::default()).await?)
}

pub async fn unmatched_resolve(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    // By the account's number typed in, or the id of a suggestion.
    let account_id = match f.v("account_id").parse::<i64>() {
        Ok(a) => Some(a),
        Err(_) => abonent_storage::registry::account::by_number(&s.db, f.v("number").trim())
            .await?
            .map(|a| a.id),
    };
    let Some(account_id) = account_id else {
        let e = abonent_domain::ValidationErrors::single(
            "number",
            "Лицевого счёта с таким номером нет. Проверьте номер или выберите из подсказок.",
        );
        return invalid(&unmatched_one(&s, &p, id, f.errors(e)).await?);
    };
    match ledger::assign_unmatched(&s, id, account_id, &p.actor()).await {
        Ok(_) => to(format!("/accounts/{account_id}/ledger")),
        Err(AppError::Invalid(e)) => {
            let mut e2 = abonent_domain::ValidationErrors::new();
            for x in e.0 {
                e2.add("number", x.message);
            }
            invalid(&unmatched_one(&s, &p, id, f.errors(e2)).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "ledger/penalties.html")]
struct PenaltiesPage {
    l: Layout,
    f: FormView,
    runs: Vec<(penalties::RunRecord, String)>,
}

async fn penalties_page(
    s: &AppState,
    p: &Principal,
    f: FormView,
) -> Result<PenaltiesPage, AppError> {
    let runs = penalties::runs(&s.db, 50)
        .await?
        .into_iter()
        .map(|r| {
            let a = rub(r.amount);
            (r, a)
        })
        .collect();
    Ok(PenaltiesPage {
        l: lay(s, p, "Начисление пени", "penalties").await?,
        f,
        runs,
    })
}

pub async fn penalties(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> PageResult {
    let prev = Period::of(s.today().await?).plus(-1);
    let f = FormView::with([("period", Some(prev.to_string()))]);
    html(&penalties_page(&s, &p, f).await?)
}

pub async fn penalties_run(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let Some(period) = abonent_import::charges::parse_period(f.v("period")) else {
        let e = abonent_domain::ValidationErrors::single(
            "period",
            "Укажите месяц начисления как 2026-10.",
        );
        return invalid(&penalties_page(&s, &p, f.errors(e)).await?);
    };
    let job = match ledger::penalties::start(&s, period, p.actor(), p.user_id).await {
        Err(abonent_app::AppError::Invalid(e)) => {
            return invalid(&penalties_page(&s, &p, f.errors(e)).await?)
        }
        other => other?,
    };
    to(format!("/ledger/jobs/{job}"))
}
