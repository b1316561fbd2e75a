//! «Услуги»: the administrator's list of services — add one, edit its title, kind, whether
//! it may be suspended and the words a charges file names it by.

use abonent_app::ledger::services as app_services;
use abonent_domain::ledger::service::{kind_title, ServiceForm, SERVICE_KINDS};
use abonent_storage::ledger;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::lay;
use crate::auth::Principal;
use crate::extract::Path;
use crate::forms::FormView;
use crate::pages::{html, invalid, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

pub struct ServiceView {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub kind_title: &'static str,
    pub may_suspend: bool,
    pub names: String,
}

#[derive(Template)]
#[template(path = "ledger/services.html")]
struct ServicesPage {
    l: Layout,
    items: Vec<ServiceView>,
    kinds: Vec<(&'static str, &'static str)>,
    f: FormView,
    /// Whose form the errors belong to: a code, "" — the new service, "-" — none (a code
    /// has no «-»).
    err_code: String,
}

async fn page(
    s: &AppState,
    p: &Principal,
    f: FormView,
    err_code: String,
) -> Result<ServicesPage, AppError> {
    let items = ledger::services(&s.db)
        .await?
        .into_iter()
        .map(|x| ServiceView {
            kind_title: kind_title(&x.kind),
            code: x.code,
            title: x.title,
            kind: x.kind,
            may_suspend: x.may_suspend,
            names: x.names.join(", "),
        })
        .collect();
    Ok(ServicesPage {
        l: lay(s, p, "Услуги", "services").await?,
        items,
        kinds: SERVICE_KINDS.to_vec(),
        f,
        err_code,
    })
}

pub async fn services(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    html(&page(&s, &p, FormView::default(), "-".into()).await?)
}

fn form_of(f: &FormView) -> ServiceForm {
    ServiceForm {
        code: f.v("code").into(),
        title: f.v("title").into(),
        kind: f.v("kind").into(),
        may_suspend: f.checked("may_suspend"),
        names: f.v("names").into(),
    }
}

async fn answer(
    s: &AppState,
    p: &Principal,
    f: FormView,
    code: Option<String>,
    r: Result<ledger::Service, AppError>,
) -> PageResult {
    match r {
        Ok(_) => to("/ledger/services".into()),
        Err(AppError::Invalid(e)) => {
            invalid(&page(s, p, f.errors(e), code.unwrap_or_default()).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn service_create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let mut form = form_of(&f);
    // Nobody has to invent a code: left blank, it is the title in Latin letters.
    if form.code.trim().is_empty() {
        form.code = code_from_title(&form.title);
    }
    let r = app_services::create(&s, &form, &p.actor()).await;
    answer(&s, &p, f, None, r).await
}

pub async fn service_update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let r = app_services::update(&s, &code, &form_of(&f), &p.actor()).await;
    answer(&s, &p, f, Some(code), r).await
}

/// A service's code made from its title: Latin letters, digits and `_` («Домофон» → `domofon`).
fn code_from_title(title: &str) -> String {
    const LAT: [&str; 32] = [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
        "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        match c {
            'а'..='я' => out.push_str(LAT[(c as u32 - 'а' as u32) as usize]),
            'ё' => out.push('e'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('_') && !out.is_empty() => out.push('_'),
            _ => {}
        }
    }
    out.trim_end_matches('_').chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_come_from_titles() {
        assert_eq!(super::code_from_title("Домофон"), "domofon");
        assert_eq!(
            super::code_from_title("Вывоз ТКО (мусор)"),
            "vyvoz_tko_musor"
        );
        assert_eq!(super::code_from_title("Щётка"), "shchetka");
    }
}
