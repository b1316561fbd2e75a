//! The journal's filters and bulk actions: assign the marked appeals to a department, a
//! contractor or an employee with a reason, or move them to another status — all or nothing.

use std::collections::BTreeMap;

use abonent_app::appeals::work;
use abonent_domain::appeal::Status;
use abonent_domain::ValidationErrors;
use abonent_storage::appeals::{reference, routing, StatusChange};
use abonent_storage::registry::building;
use abonent_storage::Db;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::Pairs;
use crate::pages::{invalid, to, PageResult};
use crate::{AppError, AppState};

/// The choices of the journal's filters and of its bulk panel.
pub struct JournalOptions {
    pub categories: Vec<(i64, String)>,
    pub departments: Vec<(i64, String)>,
    pub contractors: Vec<(i64, String)>,
    pub staff: Vec<(i64, String)>,
    pub buildings: Vec<(i64, String)>,
}

impl JournalOptions {
    pub async fn load(db: &Db) -> Result<JournalOptions, AppError> {
        let categories = reference::categories(db).await?;
        let title_of = |id: Option<i64>| {
            categories
                .iter()
                .find(|c| Some(c.id) == id)
                .map(|c| c.title.clone())
        };
        let categories = categories
            .iter()
            .filter(|c| c.active)
            .map(|c| match title_of(c.parent_id) {
                Some(parent) => (c.id, format!("{parent} → {}", c.title)),
                None => (c.id, c.title.clone()),
            })
            .collect();
        Ok(JournalOptions {
            categories,
            departments: routing::departments(db)
                .await?
                .into_iter()
                .filter(|d| d.active)
                .map(|d| (d.id, d.name))
                .collect(),
            contractors: routing::contractors(db)
                .await?
                .into_iter()
                .filter(|c| c.active)
                .map(|c| (c.id, c.name))
                .collect(),
            staff: routing::staff(db)
                .await?
                .into_iter()
                .filter(|s| s.active)
                .map(|s| (s.id, s.full_name))
                .collect(),
            buildings: building::addresses(db).await?,
        })
    }

    /// Whether `id` is the value of filter `key` in the query (for `selected`).
    pub fn is(&self, q: &crate::views::ListQuery, key: &str, id: &i64) -> bool {
        q.get(key) == id.to_string()
    }
}

/// The bulk form: marked `ids`, the action and its fields, and `back` (the journal's query).
struct BulkForm(Pairs);

impl BulkForm {
    fn get(&self, k: &str) -> Option<String> {
        self.0.get(k)
    }

    fn id(&self, e: &mut ValidationErrors, k: &str) -> Option<i64> {
        let v = self.get(k)?;
        v.parse()
            .map_err(|_| e.add(k, "Выберите значение из списка."))
            .ok()
    }

    fn change(&self) -> Result<StatusChange, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let to = match self.get("to") {
            None => {
                e.add(
                    "to",
                    "Выберите действие: назначить исполнителя или новый статус.",
                );
                None
            }
            Some(code) => Status::from_code(&code),
        };
        let ch = StatusChange {
            to,
            reason: self.get("reason"),
            result: self.get("result"),
            quality_ok: (to == Some(Status::QualityChecked)).then_some(true),
            department_id: self.id(&mut e, "department_id"),
            contractor_id: self.id(&mut e, "contractor_id"),
            executor_id: self.id(&mut e, "executor_id"),
            decision: self.get("decision"),
            ..Default::default()
        };
        e.into_result(ch)
    }
}

pub async fn bulk(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let form = BulkForm(Pairs::parse(&body)?);
    let ids = form.0.ids("ids")?;
    let back = form.get("back").unwrap_or_default();
    let result = match form.change() {
        Ok(ch) => work::change_status_many(&s, &ids, &ch, p.role, &p.actor()).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(n) => {
            let sep = if back.is_empty() { "" } else { "&" };
            to(format!("/appeals?{back}{sep}bulk={n}"))
        }
        Err(AppError::Invalid(e)) => {
            let params: BTreeMap<String, String> = url::form_urlencoded::parse(back.as_bytes())
                .into_owned()
                .collect();
            let message =
                e.0.iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
            invalid(
                &super::journal::list_page(&s, &p, &params, message, "POST /appeals/bulk").await?,
            )
        }
        Err(e) => Err(e.into()),
    }
}
