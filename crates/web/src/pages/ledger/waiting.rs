//! «Файлы проверены, но не загружены»: charges and payment files someone checked (the
//! preview) and did not load — the imports waiting on the home page. A file nobody loads is
//! deleted by the uploads' retention; until then it is work left half done.

use std::collections::BTreeMap;

use abonent_storage::uploads::{self, Purpose};
use askama::Template;
use axum::extract::State;
use axum::Extension;

use super::lay;
use crate::auth::Principal;
use crate::extract::Query;
use crate::pages::{html, PageResult};
use crate::views::Layout;
use crate::AppState;

/// The imports whose files wait: the ledger's.
pub const PURPOSES: [Purpose; 2] = [Purpose::ChargesImport, Purpose::PaymentsImport];

pub struct WaitingRow {
    pub file_name: String,
    pub kind: &'static str,
    pub who: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "ledger/waiting.html")]
struct WaitingPage {
    l: Layout,
    rows: Vec<WaitingRow>,
    total: i64,
    mine: bool,
}

/// `?mine=1`: the signed-in person's files only (the home page's own figure).
pub async fn page(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let mine = q.get("mine").is_some_and(|v| v == "1");
    let user = if mine {
        Some(p.user_id.unwrap_or(-1))
    } else {
        None
    };
    let (total, list) = uploads::waiting(&s.db, &PURPOSES, user, 200).await?;
    let l = lay(&s, &p, "Файлы проверены, но не загружены", "ledger_imports").await?;
    let rows = list
        .into_iter()
        .map(|u| WaitingRow {
            kind: match u.purpose.as_str() {
                "charges_import" => "начисления",
                _ => "оплаты",
            },
            who: u.created_by.unwrap_or_default(),
            at: l.when(&u.created_at),
            file_name: u.file_name,
        })
        .collect();
    html(&WaitingPage {
        l,
        rows,
        total,
        mine,
    })
}
