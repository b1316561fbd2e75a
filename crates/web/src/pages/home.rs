//! The home page: today's work of the signed-in person (a manager's: the whole
//! department's) — emergencies, appeals due and at risk, letters, debtor actions due,
//! payments from imports waiting —, each figure a link to the list behind it. Every figure is the total of
//! that very list, counted by the same filter the list page reads from the same query string.

use std::collections::BTreeMap;

use abonent_domain::{Permission, Role};
use abonent_storage::appeals::{self, alerts};
use abonent_storage::correspondence::incoming;
use abonent_storage::ledger::{debts, payments};
use abonent_storage::registry::PageReq;
use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::{html, layout, PageResult};
use crate::auth::Principal;
use crate::format;
use crate::views::{Layout, ListQuery};
use crate::{AppError, AppState};

/// One figure of today's work.
pub struct WorkItem {
    pub title: &'static str,
    pub count: i64,
    pub shown: String,
    pub href: String,
    /// Needs attention now: shown in the warning colour when not zero.
    pub urgent: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    l: Layout,
    /// «Моя работа» or «Работа отдела».
    whose: &'static str,
    work: Vec<WorkItem>,
    buildings: String,
    accounts: String,
    persons: String,
}

pub async fn index(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let l = layout(&s, &p, "Главная", "home").await?;
    let c = abonent_storage::registry::counts(&s.db).await?;
    let department = matches!(p.role, Role::Manager | Role::Administrator);
    html(&Home {
        l,
        whose: if department {
            "Работа отдела на сегодня"
        } else {
            "Моя работа на сегодня"
        },
        work: today(&s, &p, department).await?,
        buildings: format::count(c.buildings),
        accounts: format::count(c.open_accounts),
        persons: format::count(c.persons),
    })
}

fn item(title: &'static str, count: i64, href: String, urgent: bool) -> WorkItem {
    WorkItem {
        title,
        count,
        shown: format::count(count),
        href,
        urgent,
    }
}

/// `base?query` with the query's pairs encoded.
fn href(base: &str, params: &BTreeMap<String, String>) -> String {
    if params.is_empty() {
        return base.to_string();
    }
    let qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    format!("{base}?{qs}")
}

/// The figures `p` may see; a person's own work unless `department`.
pub async fn today(
    s: &AppState,
    p: &Principal,
    department: bool,
) -> Result<Vec<WorkItem>, AppError> {
    let mut out = Vec::new();
    let one = || PageReq::new(None, Some(1));
    if p.can(Permission::ViewAppeals) {
        let open = alerts::open(&s.db).await?.len() as i64;
        out.push(item(
            "Аварийные оповещения ждут подтверждения",
            open,
            "/alerts".into(),
            true,
        ));
        for (view, title, urgent) in [
            ("due_today", "Обращения со сроком сегодня", false),
            ("overdue", "Просроченные обращения", true),
            ("at_risk", "Обращения под угрозой срока", true),
        ] {
            let mut params = BTreeMap::from([("view".to_string(), view.to_string())]);
            if !department {
                params.insert("executor_id".into(), p.user_id.unwrap_or(-1).to_string());
            }
            let q = ListQuery::new("/appeals", &params);
            let filter = super::appeals::journal::filter_of(&q);
            let n = appeals::list(&s.db, &filter, one(), p.user_id).await?.total;
            out.push(item(title, n, href("/appeals", &params), urgent));
        }
    }
    if p.can(Permission::ViewCorrespondence) {
        let mut params = BTreeMap::from([("status".to_string(), "awaiting".to_string())]);
        if !department {
            params.insert("executor".into(), p.user_id.unwrap_or(-1).to_string());
        }
        let q = ListQuery::new("/correspondence/incoming", &params);
        let filter = super::correspondence::incoming::filter_of(&q);
        let n = incoming::list(&s.db, &filter, s.today().await?, one())
            .await?
            .total;
        out.push(item(
            "Письма ждут ответа",
            n,
            href("/correspondence/incoming", &params),
            false,
        ));
    }
    if p.can(Permission::ViewLedger) && p.can(Permission::WorkDebtors) {
        // Notices whose 20 days ran out: limitation or the court may follow (ПП 354 п. 119).
        let params = BTreeMap::from([("notice_due".to_string(), "yes".to_string())]);
        let filter = super::ledger::debtor_filter(&params);
        let n = debts::debtors(&s.db, &filter, one(), s.today().await?)
            .await?
            .total;
        out.push(item(
            "Должники: истекли 20 дней после уведомления",
            n,
            href("/debtors", &params),
            false,
        ));
    }
    if p.can(Permission::EditLedger) {
        // Imports waiting: files checked and not loaded.
        let user = (!department).then(|| p.user_id.unwrap_or(-1));
        let purposes = super::ledger::waiting::PURPOSES;
        let (n, _) = abonent_storage::uploads::waiting(&s.db, &purposes, user, 0).await?;
        out.push(item(
            "Файлы начислений и оплат проверены, но не загружены",
            n,
            if department {
                "/ledger/imports/waiting".into()
            } else {
                "/ledger/imports/waiting?mine=1".into()
            },
            false,
        ));
        let n = payments::unmatched(&s.db, "open", one()).await?.total;
        out.push(item(
            "Неопознанные платежи из загрузок ждут разнесения",
            n,
            "/ledger/unmatched".into(),
            false,
        ));
    }
    Ok(out)
}

/// For load balancers: answers when the database does.
pub async fn health(State(s): State<AppState>) -> (axum::http::StatusCode, &'static str) {
    match s.db.ping().await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}
