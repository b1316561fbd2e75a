//! First-run setup: on a new installation the administrator is led through four short steps
//! — the organization, its bank account, the court for debt claims, the time zone and the
//! public address — each checked and saved on its own. Until every step is done, the pages
//! that need these details say what is missing (`Layout::setup_missing`).

use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_app::settings;
use abonent_domain::settings as catalogue;
use abonent_domain::setup;
use abonent_domain::ValidationErrors;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

/// One input of a step.
pub struct Input {
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    /// Non-empty: chosen from these (value, title).
    pub options: &'static [(&'static str, &'static str)],
}

pub struct Step {
    pub n: usize,
    pub title: &'static str,
    pub inputs: Vec<Input>,
}

const fn input(key: &'static str, title: &'static str, hint: &'static str) -> Input {
    Input {
        key,
        title,
        hint,
        options: &[],
    }
}

fn steps() -> Vec<Step> {
    vec![
        Step {
            n: 1,
            title: "Организация",
            inputs: vec![
                input(
                    "org.name",
                    "Полное наименование",
                    "как в ЕГРЮЛ: ООО «УК „Наш дом“»",
                ),
                input("org.inn", "ИНН", "10 цифр (12 — у предпринимателя)"),
                input("org.kpp", "КПП", "9 цифр; у предпринимателя нет"),
                input("org.ogrn", "ОГРН", "13 цифр (15 — ОГРНИП)"),
                input(
                    "org.address",
                    "Адрес",
                    "юридический адрес, как печатать на бланках",
                ),
                input("org.phones", "Телефоны", "+7 (343) 123-45-67"),
            ],
        },
        Step {
            n: 2,
            title: "Банковский счёт",
            inputs: vec![
                input("org.bank_name", "Банк", "ПАО Сбербанк"),
                input("org.bic", "БИК банка", "9 цифр"),
                input(
                    "org.corr_account",
                    "Корреспондентский счёт",
                    "20 цифр, начинается с 301",
                ),
                input("org.settlement_account", "Расчётный счёт", "20 цифр"),
            ],
        },
        Step {
            n: 3,
            title: "Суд для заявлений о судебном приказе",
            inputs: vec![
                input(
                    setup::COURT_NAME,
                    "Суд",
                    "Мировой судья судебного участка № 1 Ленинского судебного района",
                ),
                input(setup::COURT_ADDRESS, "Адрес суда", "печатается в заявлении"),
            ],
        },
        Step {
            n: 4,
            title: "Часовой пояс и адрес программы",
            inputs: vec![
                Input {
                    key: catalogue::TIME_ZONE_KEY,
                    title: "Часовой пояс организации",
                    hint: "сроки, периоды и время в журналах считаются в нём",
                    options: setup::RUSSIAN_ZONES,
                },
                input(
                    catalogue::PUBLIC_URL,
                    "Адрес программы для жителей",
                    "по нему жители открывают ссылки из писем и SMS: https://lk.uk-dom.ru",
                ),
            ],
        },
    ]
}

/// What the pages that need the details report missing (titles), from the settings.
pub async fn missing(s: &AppState) -> Result<Vec<setup::Missing>, AppError> {
    let all = settings::all(s).await?;
    Ok(setup::missing(|k| all.get(k).cloned().unwrap_or_default()))
}

pub struct StepView {
    pub n: usize,
    pub title: &'static str,
    pub done: bool,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "admin/setup.html")]
struct SetupPage {
    l: Layout,
    steps: Vec<StepView>,
    step: Step,
    f: FormView,
    missing: Vec<&'static str>,
}

fn step_done(step: &Step, missing: &[setup::Missing]) -> bool {
    !step
        .inputs
        .iter()
        .any(|i| missing.iter().any(|m| m.key == i.key))
}

async fn page(
    s: &AppState,
    p: &Principal,
    n: usize,
    f: Option<FormView>,
) -> Result<SetupPage, AppError> {
    let all = settings::all(s).await?;
    let missing = setup::missing(|k| all.get(k).cloned().unwrap_or_default());
    let mut list = steps();
    let steps = list
        .iter()
        .map(|st| StepView {
            n: st.n,
            title: st.title,
            done: step_done(st, &missing),
            current: st.n == n,
        })
        .collect();
    let step = list.remove(n - 1);
    let f = f.unwrap_or_else(|| {
        let mut f = FormView::default();
        for i in &step.inputs {
            let v = all.get(i.key).cloned().unwrap_or_default();
            // A placeholder is not a value: the form starts empty.
            let placeholder =
                missing.iter().any(|m| m.key == i.key) && i.key != catalogue::TIME_ZONE_KEY;
            f.set(i.key, if placeholder { String::new() } else { v });
        }
        f
    });
    Ok(SetupPage {
        l: layout(s, p, "Первоначальная настройка", "setup")
            .await
            .map_err(|e| e.0)?,
        steps,
        step,
        f,
        missing: missing.iter().map(|m| m.what).collect(),
    })
}

fn step_of(q: &BTreeMap<String, String>) -> usize {
    q.get("step")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=4).contains(n))
        .unwrap_or(1)
}

pub async fn show(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mut n = step_of(&q);
    if !q.contains_key("step") {
        // The first step not done yet.
        let m = missing(&s).await?;
        n = steps()
            .iter()
            .find(|st| !step_done(st, &m))
            .map_or(1, |st| st.n);
    }
    html(&page(&s, &p, n, None).await?)
}

/// Required inputs of a step left blank (КПП only for an organization, 10-digit ИНН).
fn blanks(step: &Step, f: &FormView) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    for i in &step.inputs {
        let optional =
            i.key == "org.phones" || (i.key == "org.kpp" && f.v("org.inn").trim().len() == 12);
        if !optional && f.v(i.key).trim().is_empty() {
            e.add(i.key, format!("Укажите: {}.", i.title.to_lowercase()));
        }
    }
    e
}

async fn save_step(s: &AppState, p: &Principal, step: &Step, f: &FormView) -> Result<(), AppError> {
    let mut e = blanks(step, f);
    let actor = p.actor();
    let typed = |k: &str| f.v(k).trim().to_string();
    match step.n {
        1 | 2 => {
            // The other step's details as stored, this step's as typed: checked together
            // (the accounts against the BIC).
            let mut all = settings::org_details(s).await?;
            for i in &step.inputs {
                all.insert(i.key.to_string(), typed(i.key));
            }
            if let Err(x) = catalogue::check_org_details(&all) {
                for x in x.0 {
                    if step.inputs.iter().any(|i| i.key == x.field)
                        && !e.0.iter().any(|y| y.field == x.field)
                    {
                        e.0.push(x);
                    }
                }
            }
            if !e.is_empty() {
                return Err(AppError::Invalid(e));
            }
            settings::save_org_details(s, &all, &actor).await
        }
        3 => {
            if !e.is_empty() {
                return Err(AppError::Invalid(e));
            }
            let pairs = [setup::COURT_NAME, setup::COURT_ADDRESS].map(|k| (k, typed(k)));
            settings::save_many(s, &pairs, &actor, "Суд для заявлений о судебном приказе").await
        }
        _ => {
            let tz = typed(catalogue::TIME_ZONE_KEY);
            if let Err(x) = catalogue::check_time_zone(&tz) {
                e.0.extend(x.0);
            }
            let url = typed(catalogue::PUBLIC_URL);
            if !url.is_empty() {
                if let Err(m) = setup::check_public_url(&url) {
                    e.add(catalogue::PUBLIC_URL, m);
                }
            }
            if !e.is_empty() {
                return Err(AppError::Invalid(e));
            }
            let url = url.trim_end_matches('/').to_string();
            settings::save_many(
                s,
                &[(catalogue::TIME_ZONE_KEY, tz), (catalogue::PUBLIC_URL, url)],
                &actor,
                "Часовой пояс и адрес программы",
            )
            .await
        }
    }
}

pub async fn submit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let n = step_of(&q);
    let step = steps().remove(n - 1);
    match save_step(&s, &p, &step, &f).await {
        Ok(()) => {
            let m = missing(&s).await?;
            match steps().iter().find(|st| st.n > n && !step_done(st, &m)) {
                Some(next) => to(format!("/admin/setup?step={}", next.n)),
                None if m.is_empty() => to("/admin?setup=done".into()),
                None => to("/admin/setup".into()),
            }
        }
        Err(AppError::Invalid(e)) => invalid(&page(&s, &p, n, Some(f.errors(e))).await?),
        Err(e) => Err(e.into()),
    }
}
