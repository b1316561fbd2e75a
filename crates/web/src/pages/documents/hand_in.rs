//! A resident's printed blank handed back (issue 20 §5): on the document's card, the form
//! that registers it as an appeal or an incoming letter in one step, or what it became.

use abonent_app::documents::issue::resident::{self, HandInRequest};
use abonent_documents::DocKind;
use abonent_domain::Permission;
use abonent_storage::documents::{hand_in, Document};
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use super::super::{invalid, to, PageResult};
use crate::auth::Principal;
use crate::extract::Path;
use crate::forms::FormView;
use crate::{AppError, AppState};

/// The hand-in part of a blank's card.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// What the blank was registered as: (link, «обращение № …»).
    pub done: Option<(String, String)>,
    /// The user may register it (the form is shown).
    pub can: bool,
    /// `appeal` or `incoming`, as chosen.
    pub register: String,
    pub substance: String,
    /// Why the last try was refused.
    pub error: String,
}

impl View {
    /// The view for document `d`: none unless it is a resident's blank.
    pub(super) async fn of(
        self,
        s: &AppState,
        p: &Principal,
        d: &Document,
    ) -> Result<Option<View>, AppError> {
        if d.kind != DocKind::ResidentApplication.code() {
            return Ok(None);
        }
        let done = hand_in::of(&s.db, d.id).await?.map(|h| {
            if h.register == "appeal" {
                (
                    format!("/appeals/{}", h.id),
                    format!("обращение № {}", h.number),
                )
            } else {
                (
                    format!("/correspondence/incoming/{}", h.id),
                    format!("входящее письмо № {}", h.number),
                )
            }
        });
        Ok(Some(View {
            done,
            can: p.can(Permission::RegisterAppeals),
            register: if self.register.is_empty() {
                "appeal".into()
            } else {
                self.register
            },
            ..self
        }))
    }
}

/// POST /documents/{id}/hand-in: registers the blank and opens what it became; a refusal
/// shows the card again with the message.
pub async fn submit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let opt = |k: &str| Some(f.v(k).trim().to_string()).filter(|v| !v.is_empty());
    let req = HandInRequest {
        register: opt("as"),
        substance: opt("substance"),
        channel: opt("channel"),
        pages: opt("pages"),
    };
    match resident::hand_in(&s, id, &req, &p.actor()).await {
        Ok(h) if h.register == "appeal" => to(format!("/appeals/{}", h.id)),
        Ok(h) => to(format!("/correspondence/incoming/{}", h.id)),
        Err(AppError::Invalid(e)) => {
            let view = View {
                register: req.register.unwrap_or_default(),
                substance: req.substance.unwrap_or_default(),
                error: e
                    .0
                    .iter()
                    .map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
                ..View::default()
            };
            invalid(&super::card(&s, &p, id, String::new(), view).await?)
        }
        Err(e) => Err(e.into()),
    }
}
