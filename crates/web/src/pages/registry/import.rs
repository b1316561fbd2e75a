//! Registry import screens: upload → preview with column mapping and every bad line → commit
//! with a progress bar.

use std::collections::BTreeMap;

use crate::extract::Path;
use abonent_import::{ColumnMapping, RegistryField};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse};
use axum::Extension;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{html, invalid, layout, to, PageResult};
use crate::views::{self, Layout};
use crate::{AppError, AppState};
use abonent_app::registry::import::{self as registry_import, Options, Preview};
use abonent_app::uploads::{self, UploadFor};

#[derive(Template)]
#[template(path = "import/form.html")]
struct UploadPage {
    l: Layout,
    f: FormView,
}

pub async fn form(State(s): State<AppState>, Extension(p): Extension<Principal>) -> PageResult {
    let d = registry_import::defaults(&s, "", "", "").await?;
    let f = FormView::with([
        ("region", Some(d.region)),
        ("city", Some(d.city)),
        ("opened_on", Some(s.today().await?.to_string())),
    ]);
    html(&UploadPage {
        l: layout(&s, &p, "Импорт реестра", "import").await?,
        f,
    })
}

pub struct FieldChoice {
    pub code: &'static str,
    pub title: &'static str,
}

pub struct ColumnView {
    pub index: usize,
    pub header: String,
    pub field: String,
}

#[derive(Template)]
#[template(path = "import/preview.html")]
struct PreviewPage {
    l: Layout,
    p: Preview,
    columns: Vec<ColumnView>,
    fields: Vec<FieldChoice>,
    f: FormView,
}

fn preview_page(l: Layout, p: Preview, f: FormView) -> PreviewPage {
    let columns = p
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| ColumnView {
            index: i,
            header: h.clone(),
            field: p
                .mapping
                .field_of(i)
                .map(|f| f.code().to_string())
                .unwrap_or_default(),
        })
        .collect();
    let fields = RegistryField::ALL
        .iter()
        .map(|f| FieldChoice {
            code: f.code(),
            title: f.title(),
        })
        .collect();
    PreviewPage {
        l,
        p,
        columns,
        fields,
        f,
    }
}

/// A new file (multipart) or the same file with a corrected mapping (urlencoded).
pub async fn upload(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    req: Request,
) -> PageResult {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("multipart/");
    let (f, upload_id) = if multipart {
        let mut mp = Multipart::from_request(req, &s)
            .await
            .map_err(crate::extract::unreadable)?;
        let mut f = FormView::default();
        let mut file: Option<(String, Vec<u8>)> = None;
        while let Some(field) = mp.next_field().await.map_err(crate::extract::unreadable)? {
            let name = field.name().unwrap_or("").to_string();
            if name == "file" {
                let fname = field.file_name().unwrap_or("реестр").to_string();
                let data = field.bytes().await.map_err(crate::extract::unreadable)?;
                file = Some((fname, data.to_vec()));
            } else {
                let v = field.text().await.unwrap_or_default();
                f.set(&name, v);
            }
        }
        let (name, bytes) = file.unwrap_or_default();
        match uploads::save(&s, UploadFor::Registry, &name, &bytes, p.user_id).await {
            Ok(id) => (f, id),
            Err(AppError::Invalid(e)) => {
                return invalid(&UploadPage {
                    l: layout(&s, &p, "Импорт реестра", "import").await?,
                    f: f.errors(e),
                });
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        let body = Bytes::from_request(req, &s)
            .await
            .map_err(crate::extract::unreadable)?;
        let f = FormView::from_body(&body);
        let id = f.v("upload_id").parse().map_err(|_| {
            AppError::BadRequest("Не указан загруженный файл: загрузите его снова.".into())
        })?;
        (f, id)
    };
    let opts = options(&s, &f).await?;
    match registry_import::preview(&s, upload_id, opts).await {
        Ok(prev) => {
            let l = layout(&s, &p, "Проверка файла реестра", "import").await?;
            html(&preview_page(l, prev, f))
        }
        Err(AppError::Invalid(e)) => invalid(&UploadPage {
            l: layout(&s, &p, "Импорт реестра", "import").await?,
            f: f.errors(e),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Defaults and the mapping chosen on the screen (`col_3=street`).
async fn options(s: &AppState, f: &FormView) -> Result<Options, AppError> {
    let defaults =
        registry_import::defaults(s, f.v("region"), f.v("city"), f.v("opened_on")).await?;
    let cols: BTreeMap<usize, &str> = f
        .values
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("col_")
                .and_then(|i| i.parse().ok())
                .map(|i| (i, v.as_str()))
        })
        .collect();
    let mapping = (!cols.is_empty()).then(|| {
        let mut m = ColumnMapping::new();
        for (i, code) in cols {
            if let Some(field) = RegistryField::from_code(code) {
                m.set(field, i);
            }
        }
        m
    });
    Ok(Options { defaults, mapping })
}

pub async fn commit(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let opts = options(&s, &f).await?;
    let prev = registry_import::preview(&s, id, opts).await?;
    if !prev.errors.is_empty() {
        let l = layout(&s, &p, "Проверка файла реестра", "import").await?;
        return invalid(&preview_page(l, prev, f));
    }
    let job = registry_import::start_commit(&s, prev, p.actor(), p.user_id).await?;
    to(format!("/jobs/{job}"))
}

#[derive(Template)]
#[template(path = "import/job.html")]
struct JobPage {
    l: Layout,
    j: abonent_storage::jobs::Job,
}

#[derive(Template)]
#[template(path = "import/job_status.html")]
struct JobStatus {
    j: abonent_storage::jobs::Job,
}

pub async fn job(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let j = registry_import::job(&s, id).await?;
    // htmx polls for the status card alone.
    if headers.contains_key("hx-request") {
        return Ok(Html(views::render(&JobStatus { j })).into_response());
    }
    let l = layout(&s, &p, "Загрузка реестра", "import").await?;
    Ok(Html(views::render(&JobPage { l, j })).into_response())
}
