//! Document templates for the administrator: see each one, upload a changed version (typed
//! in or as a file), check it and preview it on a real account, revert to the shipped one.
//! A template that does not typeset is never saved: the error is shown with its line.

use crate::extract::{Path, Query};
use abonent_app::documents::templates::{self as doc_templates, SaveRefused};
use abonent_documents::{DocKind, RenderError};
use abonent_storage::documents::templates;
use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap};
use axum::Extension;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::{self, Layout};
use crate::{AppError, AppState};
use abonent_app::documents::issue;

pub struct TemplateRow {
    pub code: &'static str,
    pub title: &'static str,
    pub file_name: &'static str,
    /// «поставляемый» or who changed it when.
    pub state: String,
    pub overridden: bool,
}

#[derive(Template)]
#[template(path = "admin_templates/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<TemplateRow>,
}

pub async fn list(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let tz = s.zone().await?;
    let mut rows = Vec::new();
    for kind in DocKind::ALL {
        let cur = templates::current(&s.db, kind.code()).await?;
        rows.push(TemplateRow {
            code: kind.code(),
            title: kind.title(),
            file_name: kind.template_file(),
            overridden: cur.is_some(),
            state: match cur {
                None => "поставляемый".into(),
                Some(o) => format!(
                    "изменён: {}, {}",
                    views::local_time(&o.updated_at, tz),
                    o.updated_by_name
                ),
            },
        });
    }
    html(&ListPage {
        l: layout(&s, &p, "Шаблоны документов", "templates").await?,
        rows,
    })
}

pub struct VersionRow {
    pub id: i64,
    pub action: &'static str,
    pub at: String,
    pub by: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "admin_templates/edit.html")]
struct EditPage {
    l: Layout,
    code: &'static str,
    title: &'static str,
    file_name: &'static str,
    overridden: bool,
    f: FormView,
    /// The template error: line (0 = unknown) and message.
    error_line: usize,
    error: String,
    shipped: &'static str,
    common: &'static str,
    versions: Vec<VersionRow>,
}

fn kind_of(code: &str) -> Result<DocKind, AppError> {
    DocKind::from_code(code).ok_or_else(|| AppError::NotFound(format!("шаблон «{code}»")))
}

/// The account a preview is printed for, chosen by number or address.
const PREVIEW_PICKS: &[crate::pickers::Field] =
    &[("account_id", abonent_storage::suggest::PickKind::Account)];

async fn edit_page(
    s: &AppState,
    p: &Principal,
    kind: DocKind,
    mut f: FormView,
    error: Option<(usize, String)>,
) -> Result<EditPage, crate::PageError> {
    crate::pickers::fill_labels(s, &mut f, PREVIEW_PICKS).await?;
    let cur = templates::current(&s.db, kind.code()).await?;
    let tz = s.zone().await?;
    let versions = templates::versions(&s.db, kind.code())
        .await?
        .into_iter()
        .map(|v| VersionRow {
            id: v.id,
            action: if v.action == "revert" {
                "возврат к поставляемому"
            } else {
                "загружен"
            },
            at: views::local_time(&v.at, tz),
            by: v.by_name,
            note: v.note.unwrap_or_default(),
        })
        .collect();
    let (error_line, error) = error.unwrap_or_default();
    Ok(EditPage {
        l: layout(s, p, format!("Шаблон: {}", kind.title()), "templates").await?,
        code: kind.code(),
        title: kind.title(),
        file_name: kind.template_file(),
        overridden: cur.is_some(),
        f,
        error_line,
        error,
        shipped: kind.template().source,
        common: abonent_documents::common_template(),
        versions,
    })
}

pub async fn edit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
    Query(q): Query<std::collections::BTreeMap<String, String>>,
) -> PageResult {
    let kind = kind_of(&code)?;
    let source = match templates::current(&s.db, kind.code()).await? {
        Some(o) => o.source,
        None => kind.template().source.to_string(),
    };
    let mut f = FormView::default();
    f.set("source", source);
    let mut page = edit_page(&s, &p, kind, f, None).await?;
    page.l = page.l.flash(match q.get("saved").map(String::as_str) {
        Some("1") => "Шаблон проверен и сохранён: новые документы печатаются по нему.",
        Some("reverted") => "Возвращён поставляемый шаблон.",
        _ => "",
    });
    html(&page)
}

/// The form's fields; an uploaded file, when given, replaces the typed source.
async fn read_form(s: &AppState, headers: &HeaderMap, req: Request) -> Result<FormView, AppError> {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("multipart/");
    if !multipart {
        let body = axum::body::Bytes::from_request(req, s)
            .await
            .map_err(crate::extract::unreadable)?;
        return Ok(FormView::from_body(&body));
    }
    let bad = crate::extract::unreadable;
    let mut mp = Multipart::from_request(req, s)
        .await
        .map_err(crate::extract::unreadable)?;
    let mut f = FormView::default();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        let data = field.bytes().await.map_err(bad)?;
        if name == "file" {
            if data.is_empty() {
                continue;
            }
            let text = String::from_utf8(data.to_vec()).map_err(|_| {
                AppError::Invalid(abonent_domain::ValidationErrors::single(
                    "file",
                    "Файл шаблона должен быть текстом в кодировке UTF-8 (файл .typ).",
                ))
            })?;
            f.set("source", text);
        } else if name != "source" || f.v("source").is_empty() {
            f.set(&name, String::from_utf8_lossy(&data).to_string());
        }
    }
    Ok(f)
}

/// Save (after checking), check only, or preview as PDF, by the button pressed.
pub async fn submit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    let kind = kind_of(&code)?;
    let mut f = match read_form(&s, &headers, req).await {
        Ok(f) => f,
        Err(AppError::Invalid(e)) => {
            return invalid(&edit_page(&s, &p, kind, FormView::default().errors(e), None).await?)
        }
        Err(e) => return Err(e.into()),
    };
    crate::pickers::resolve_form(&s, &mut f, PREVIEW_PICKS).await?;
    if f.has_err("account_id") {
        return invalid(&edit_page(&s, &p, kind, f, None).await?);
    }
    let source = f.v("source").replace("\r\n", "\n");
    let action = f.v("action").to_string();
    if action == "preview" {
        let account_id = f.v("account_id").trim().parse().ok();
        return match issue::preview(&s, kind, &source, account_id).await {
            Ok(pdf) => Ok(crate::http::pdf_response(0, pdf)),
            Err(AppError::Invalid(e)) => {
                let msg =
                    e.0.iter()
                        .map(|e| e.message.clone())
                        .collect::<Vec<_>>()
                        .join(" ");
                let line = line_of(&msg);
                invalid(&edit_page(&s, &p, kind, f, Some((line, msg))).await?)
            }
            Err(e) => Err(e.into()),
        };
    }
    let refused = |e: RenderError| {
        let line = match &e {
            RenderError::Template { line, .. } => *line,
            _ => 0,
        };
        (line, e.to_string())
    };
    if action == "check" {
        if let Err(e) = abonent_app::documents::engine().check(kind, &source) {
            return invalid(&edit_page(&s, &p, kind, f, Some(refused(e))).await?);
        }
        let mut page = edit_page(&s, &p, kind, f, None).await?;
        page.l = page
            .l
            .flash("Шаблон проверен на образце: ошибок нет. Он ещё не сохранён.");
        return html(&page);
    }
    match doc_templates::save(&s, kind, &source, Some(f.v("note")), &p.actor()).await {
        Ok(_) => {}
        Err(SaveRefused::Template(e)) => {
            return invalid(&edit_page(&s, &p, kind, f, Some(refused(e))).await?)
        }
        Err(SaveRefused::App(e)) => return Err(e.into()),
    }
    to(format!("/admin/templates/{}?saved=1", kind.code()))
}

/// The line number in «…строка N…» of a rendered template error (0 when absent).
fn line_of(msg: &str) -> usize {
    msg.split("строка ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub async fn revert(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(code): Path<String>,
) -> PageResult {
    let kind = kind_of(&code)?;
    doc_templates::revert(&s, kind, &p.actor()).await?;
    to(format!("/admin/templates/{}?saved=reverted", kind.code()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_is_found_in_the_message() {
        assert_eq!(
            super::line_of("Ошибка в шаблоне, строка 12, позиция 3: …"),
            12
        );
        assert_eq!(super::line_of("нет"), 0);
    }
}
