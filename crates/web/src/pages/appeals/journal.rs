//! The journal of appeals: the views (open, overdue, at risk, emergencies, mine, all), the
//! filters and the page the bulk actions (`bulk`) return to.

use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_app::privacy::{RecordKind, Shown};
use abonent_storage::appeals::{self, AppealFilter, AppealListItem, View};
use abonent_storage::registry::{Page, PageReq};
use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::{kinds, priorities, statuses, Opt};
use crate::auth::Principal;
use crate::pages::{html, layout, PageResult};
use crate::views::{self, Layout, ListQuery, PagerItem};
use crate::AppState;

const VIEWS: [(&str, &str); 7] = [
    ("open", "Открытые"),
    ("due_today", "Срок сегодня"),
    ("overdue", "Просроченные"),
    ("at_risk", "Под угрозой срока"),
    ("emergencies", "Аварийные"),
    ("mine", "Мои"),
    ("all", "Все"),
];

#[derive(Template)]
#[template(path = "appeals/list.html")]
struct ListPage {
    l: Layout,
    page: Page<AppealListItem>,
    q: ListQuery,
    pager: Vec<PagerItem>,
    view: String,
    views: Vec<(&'static str, &'static str)>,
    kinds: Vec<Opt>,
    tz: chrono_tz::Tz,
    o: super::bulk::JournalOptions,
    o_statuses: Vec<Opt>,
    o_priorities: Vec<Opt>,
    /// The query string of this view: the bulk form returns to it.
    back: String,
    /// Why the bulk action changed nothing (shown above the table).
    bulk_error: String,
    can_process: bool,
    /// The reports' filters (`report_filter`): what they select, and the pairs kept.
    report_note: String,
    report_keep: Vec<(String, String)>,
}

shows!(ListPage);

pub fn filter_of(q: &ListQuery) -> AppealFilter {
    let view: View = serde_json::from_value(serde_json::Value::String(q.get("view").to_string()))
        .unwrap_or(View::Open);
    let some = |k: &str| Some(q.get(k).to_string()).filter(|v| !v.is_empty());
    let mut f = AppealFilter {
        view,
        q: some("q"),
        kind: some("kind"),
        status: some("status"),
        priority: some("priority"),
        category_id: q.get("category_id").parse().ok(),
        building_id: q.get("building_id").parse().ok(),
        department_id: q.get("department_id").parse().ok(),
        contractor_id: q.get("contractor_id").parse().ok(),
        executor_id: q.get("executor_id").parse().ok(),
        person_id: q.get("person_id").parse().ok(),
        account_id: q.get("account_id").parse().ok(),
        ..Default::default()
    };
    super::report_filter::extend(q, &mut f);
    f
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let bulk_error = String::new();
    html(&list_page(&s, &p, &params, bulk_error, "GET /appeals").await?)
}

/// The journal for a query string; `bulk_error` when a bulk action was refused.
pub(crate) async fn list_page(
    s: &AppState,
    p: &Principal,
    params: &BTreeMap<String, String>,
    bulk_error: String,
    via: &str,
) -> Result<impl Template, crate::error::PageError> {
    let q = ListQuery::new("/appeals", params);
    let filter = filter_of(&q);
    let page = appeals::list(
        &s.db,
        &filter,
        PageReq::new(q.get("page").parse().ok(), None),
        p.user_id,
    )
    .await?;
    // Each appeal's address and substance, and its applicant when a registry person.
    let shown = Shown::default().with(RecordKind::Appeal, page.items.iter().map(|a| a.id));
    abonent_app::privacy::record_views_of(s, &p.actor(), shown, via).await?;
    let pager = views::pager(&q, page.page, page.pages());
    let view = match q.get("view") {
        "" => "open".to_string(),
        v => v.to_string(),
    };
    let back = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(q.params.iter().filter(|(k, _)| *k != "bulk"))
        .finish();
    let (report_note, report_keep) = super::report_filter::describe(&q);
    let mut l = layout(s, p, "Обращения", "appeals").await?;
    if let Some(n) = params.get("bulk") {
        l = l.flash(format!(
            "Изменено обращений: {}.",
            crate::format::grouped(n)
        ));
    }
    Ok(ListPage {
        l,
        page,
        pager,
        view,
        views: VIEWS.to_vec(),
        kinds: kinds(),
        tz: s.zone().await?,
        o: super::bulk::JournalOptions::load(&s.db).await?,
        o_statuses: statuses(),
        o_priorities: priorities(),
        back,
        bulk_error,
        can_process: p.can(abonent_domain::Permission::ProcessAppeals),
        report_note,
        report_keep,
        q,
    })
}
