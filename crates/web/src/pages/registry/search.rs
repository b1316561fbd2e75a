use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_domain::Permission;
use abonent_storage::search::{self, HitKind};
use askama::Template;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::pages::{html, layout, PageResult};
use crate::views::Layout;
use crate::AppState;

pub struct Hit {
    pub href: String,
    pub is_account: bool,
    pub title: String,
    pub subtitle: String,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    hits: Vec<Hit>,
    /// «показаны первые 50 — уточните запрос» when more matched.
    cut_note: String,
}

/// How many hits the search page shows.
const SHOWN: i64 = 50;

pub async fn page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let text = q.get("q").cloned().unwrap_or_default();
    let mut l = layout(&s, &p, "Поиск", "search").await?;
    l.q = text.clone();
    let (found, cut) = search::search_cut(&s.db, &text, SHOWN).await?;
    let found: Vec<_> = found
        .into_iter()
        .filter(|h| h.kind == HitKind::Account || p.can(Permission::ViewPersonalData))
        .collect();
    let ids: Vec<i64> = found.iter().flat_map(|h| h.people.clone()).collect();
    abonent_app::privacy::record_views(&s, &p.actor(), &ids, "GET /search").await?;
    let hits = found
        .into_iter()
        .map(|h| Hit {
            href: match h.kind {
                HitKind::Account => format!("/accounts/{}", h.id),
                HitKind::Person => format!("/persons/{}", h.id),
            },
            is_account: h.kind == HitKind::Account,
            title: h.title,
            subtitle: h.subtitle,
            closed: h.closed,
        })
        .collect();
    html(&SearchPage {
        l,
        hits,
        cut_note: crate::pickers::cut_note(cut, SHOWN),
    })
}
