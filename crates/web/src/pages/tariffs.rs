//! «Тарифы и нормативы»: the register (anyone who reads the ledger), new tariffs and norms,
//! tariff groups of buildings and a file of tariffs with its preview (the ledger settings'
//! administrator); and «Почему такая сумма» on an account's month.

use std::collections::BTreeMap;

use abonent_app::tariffs as app_tariffs;
use abonent_app::uploads::{self, UploadFor};
use abonent_domain::tariff::{format_fixed, NormForm, TariffForm, UNITS, VOLUME_PLACES};
use abonent_domain::Permission;
use abonent_storage::registry::account;
use abonent_storage::{ledger, tariffs};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::Extension;

use crate::auth::Principal;
use crate::extract::{Path, Query};
use crate::format;
use crate::forms::FormView;
use crate::pages::ledger::import::{is_multipart, read_multipart};
use crate::pages::ledger::lay;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct TariffView {
    pub service: String,
    pub group: String,
    pub zone: String,
    pub period: String,
    pub price: String,
    pub basis: String,
    pub in_force: bool,
}

pub struct NormView {
    pub service: String,
    pub group: String,
    pub period: String,
    pub value: String,
    pub basis: String,
    pub in_force: bool,
}

pub struct GroupView {
    pub building_id: i64,
    pub address: String,
    pub group: String,
}

#[derive(Template)]
#[template(path = "tariffs/index.html")]
struct TariffsPage {
    l: Layout,
    tariffs: Vec<TariffView>,
    norms: Vec<NormView>,
    groups: Vec<GroupView>,
    services: Vec<(String, String)>,
    units: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    f: FormView,
    /// The form the errors belong to: `tariff`, `norm`, `group`, `import` or empty.
    open: &'static str,
}

fn period_text(from: chrono::NaiveDate, to: Option<chrono::NaiveDate>) -> String {
    match to {
        Some(to) => format!("{} — {}", format::date(&from), format::date(&to)),
        None => format!("с {}", format::date(&from)),
    }
}

async fn page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    open: &'static str,
    flash: String,
) -> Result<TariffsPage, AppError> {
    let today = s.today().await?;
    let titles: BTreeMap<String, String> = ledger::services(&s.db)
        .await?
        .into_iter()
        .map(|x| (x.code, x.title))
        .collect();
    let title = |code: &str| titles.get(code).cloned().unwrap_or_else(|| code.into());
    let whole = |g: &Option<String>| g.clone().unwrap_or_else(|| "вся организация".into());
    let tariffs = tariffs::tariffs(&s.db)
        .await?
        .into_iter()
        .map(|r| {
            let t = r.tariff;
            TariffView {
                service: title(&t.service),
                group: whole(&t.group),
                zone: t.zone.clone().unwrap_or_default(),
                period: period_text(t.from, t.to),
                price: t.price_text(),
                in_force: t.in_force(today),
                basis: t.basis,
            }
        })
        .collect();
    let norms = tariffs::norms(&s.db)
        .await?
        .into_iter()
        .map(|r| {
            let n = r.norm;
            NormView {
                service: title(&n.service),
                group: whole(&n.group),
                period: period_text(n.from, n.to),
                value: format!(
                    "{} {} {}",
                    format_fixed(n.value, VOLUME_PLACES, 0),
                    n.unit.map_or("", |u| u.symbol()),
                    n.per.title()
                ),
                in_force: n.from <= today && n.to.is_none_or(|to| today <= to),
                basis: n.basis,
            }
        })
        .collect();
    let groups = tariffs::building_groups(&s.db)
        .await?
        .into_iter()
        .map(|g| GroupView {
            building_id: g.building_id,
            address: g.address,
            group: g.group.unwrap_or_default(),
        })
        .collect();
    let mut l = lay(s, p, "Тарифы и нормативы", "tariffs").await?;
    l.flash = flash;
    Ok(TariffsPage {
        l,
        tariffs,
        norms,
        groups,
        services: titles.into_iter().collect(),
        units: UNITS.to_vec(),
        can_edit: p.can(Permission::ManageLedgerSettings),
        f,
        open,
    })
}

pub async fn index(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let flash = match q.get("saved").map(String::as_str) {
        Some("tariff") => {
            "Тариф добавлен; прежний тариф на эту услугу и группу закрыт днём раньше.".into()
        }
        Some("norm") => "Норматив добавлен.".into(),
        Some("group") => "Группа дома сохранена.".into(),
        Some("import") => format!(
            "Из файла загружено тарифов: {}.",
            crate::format::grouped(q.get("n").map(String::as_str).unwrap_or("0"))
        ),
        _ => String::new(),
    };
    html(&page(&s, &p, FormView::default(), "", flash).await?)
}

fn field(f: &FormView, name: &str) -> Option<String> {
    Some(f.v(name).to_string())
}

pub async fn create_tariff(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let form = TariffForm {
        service: field(&f, "service"),
        group: field(&f, "group"),
        zone: field(&f, "zone"),
        from: field(&f, "from"),
        price: field(&f, "price"),
        unit: field(&f, "unit"),
        basis: field(&f, "basis"),
    };
    match app_tariffs::add_tariff(&s, &form, &p.actor()).await {
        Ok(_) => to("/tariffs?saved=tariff".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&page(&s, &p, f.errors(e), "tariff", String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_norm(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let form = NormForm {
        service: field(&f, "service"),
        group: field(&f, "group"),
        from: field(&f, "from"),
        per: field(&f, "per"),
        value: field(&f, "value"),
        unit: field(&f, "unit"),
        basis: field(&f, "basis"),
    };
    match app_tariffs::add_norm(&s, &form, &p.actor()).await {
        Ok(_) => to("/tariffs?saved=norm".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&page(&s, &p, f.errors(e), "norm", String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_group(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let Ok(building_id) = f.v("building_id").parse::<i64>() else {
        let e = abonent_domain::ValidationErrors::single("building_id", "Выберите дом из списка.");
        return invalid(&page(&s, &p, f.errors(e), "group", String::new()).await?);
    };
    match app_tariffs::set_group(&s, building_id, f.v("group"), &p.actor()).await {
        Ok(()) => to("/tariffs?saved=group".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&page(&s, &p, f.errors(e), "group", String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "tariffs/preview.html")]
struct PreviewPage {
    l: Layout,
    p: app_tariffs::ImportPreview,
}

/// A tariffs file: stored, read and checked against the register; the preview shows every
/// row and every error, and loads nothing.
pub async fn upload(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    if !is_multipart(&headers) {
        let e = abonent_domain::ValidationErrors::single(
            "file",
            "Выберите файл тарифов (CSV или XLSX).",
        );
        return invalid(
            &page(
                &s,
                &p,
                FormView::default().errors(e),
                "import",
                String::new(),
            )
            .await?,
        );
    }
    let (f, file) = read_multipart(&s, req).await?;
    let (name, bytes) = file.unwrap_or_default();
    let id = match uploads::save(&s, UploadFor::Tariffs, &name, &bytes, p.user_id).await {
        Ok(id) => id,
        Err(AppError::Invalid(e)) => {
            return invalid(&page(&s, &p, f.errors(e), "import", String::new()).await?)
        }
        Err(e) => return Err(e.into()),
    };
    match app_tariffs::preview(&s, id).await {
        Ok(prev) => html(&PreviewPage {
            l: lay(&s, &p, "Проверка файла тарифов", "tariffs").await?,
            p: prev,
        }),
        Err(AppError::Invalid(e)) => {
            invalid(&page(&s, &p, f.errors(e), "import", String::new()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn commit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> PageResult {
    match app_tariffs::commit(&s, id, &p.actor()).await {
        Ok(n) => to(format!("/tariffs?saved=import&n={n}")),
        Err(AppError::Invalid(_)) => {
            let prev = app_tariffs::preview(&s, id).await?;
            invalid(&PreviewPage {
                l: lay(&s, &p, "Проверка файла тарифов", "tariffs").await?,
                p: prev,
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub struct ExplainRow {
    pub service: String,
    pub kind: String,
    pub charged: String,
    pub computed: String,
    pub text: String,
    pub differs: bool,
}

#[derive(Template)]
#[template(path = "tariffs/explain.html")]
struct ExplainPage {
    l: Layout,
    a: abonent_storage::registry::Account,
    period: String,
    period_title: String,
    group: String,
    persons: String,
    rows: Vec<ExplainRow>,
    total: String,
    error: String,
}

/// «Почему такая сумма»: the account's month line by line.
pub async fn explain(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let a = account::get(&s.db, id).await.map_err(AppError::from)?;
    let asked = q.get("period").map(String::as_str);
    let l = lay(
        &s,
        &p,
        format!("Почему такая сумма — ЛС {}", a.data.number),
        "accounts",
    )
    .await?;
    let period = match crate::api::tariffs::period_of(&s, id, asked).await {
        Ok(period) => period,
        Err(AppError::Invalid(e)) => {
            return invalid(&ExplainPage {
                l,
                a,
                period: asked.unwrap_or_default().to_string(),
                period_title: String::new(),
                group: String::new(),
                persons: String::new(),
                rows: vec![],
                total: String::new(),
                error: e.0.first().map(|x| x.message.clone()).unwrap_or_default(),
            })
        }
        Err(e) => return Err(e.into()),
    };
    let x = app_tariffs::explain_month(&s, id, period).await?;
    let rows = x
        .explanation
        .lines
        .iter()
        .map(|l| ExplainRow {
            service: l.line.service_title.clone(),
            kind: match &l.line.kind {
                abonent_domain::tariff::LineKind::Charge => "Начисление".into(),
                abonent_domain::tariff::LineKind::Recalculation { .. } => "Перерасчёт".into(),
            },
            charged: format::rubles(l.line.charged_kopecks),
            computed: l.computed_kopecks.map(format::rubles).unwrap_or_default(),
            differs: l.difference_kopecks.is_some(),
            text: l.text.clone(),
        })
        .collect();
    html(&ExplainPage {
        l,
        period: x.period.to_string(),
        period_title: x.period.title(),
        group: x.group.unwrap_or_else(|| "тарифы организации".into()),
        persons: format::counted(i64::from(x.persons), ["человек", "человека", "человек"]),
        rows,
        total: format::rubles(x.explanation.total_kopecks),
        a,
        error: String::new(),
    })
}

/// POST /accounts/{id}/explain/letter: the month's explanation as a letter, registered as
/// outgoing; opens the issued letter.
pub async fn answer_letter(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let period = crate::api::tariffs::period_of(&s, id, f.opt("period").as_deref()).await?;
    let r = app_tariffs::AnswerLetter {
        person_id: None,
        method: f.opt("method"),
        answers_incoming_id: f.v("answers_incoming_id").trim().parse().ok(),
    };
    let d = app_tariffs::answer_letter(&s, id, period, &r, &p.actor()).await?;
    to(format!("/documents/{}?saved=issued", d.id))
}
