//! Tariffs and norms (issue 20 §1–2): the administrator adds a tariff or a norm (it
//! supersedes the one in force), loads a file of tariffs all or nothing after a preview, puts
//! buildings into tariff groups; anyone who reads the ledger asks why a month's charge is
//! what it is.

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::tariff::{
    explain, norm_on, parse_fixed, Explanation, LineKind, NormBasis, NormForm, SourceLine,
    TariffForm, Unit, VolumeSource, PRICE_PLACES, VOLUME_PLACES,
};
use abonent_domain::ValidationErrors;
use abonent_import::tariffs as file;
use abonent_storage::registry::{account, link, premises};
use abonent_storage::{ledger, tariffs, uploads, Actor};
use serde::Serialize;

use crate::{App, AppError};

/// The service code a tariff names: the code, the title or one of its words.
async fn service_lookup(app: &App) -> Result<impl Fn(&str) -> Option<String>, AppError> {
    let catalog: Vec<abonent_import::charges::ServiceName> = ledger::services(&app.db)
        .await?
        .into_iter()
        .map(|s| abonent_import::charges::ServiceName {
            code: s.code,
            title: s.title,
            names: s.names,
        })
        .collect();
    Ok(move |s: &str| abonent_import::charges::service_code(s, &catalog).map(str::to_string))
}

pub async fn add_tariff(app: &App, form: &TariffForm, actor: &Actor) -> Result<i64, AppError> {
    let lookup = service_lookup(app).await?;
    let mut e = ValidationErrors::new();
    let t = form.check("", &lookup, &mut e);
    let t = e
        .into_result(t)?
        .ok_or_else(|| AppError::field("price", "Тариф не прочитан."))?;
    let ids = tariffs::add_tariffs(&app.db, &[t], &|_| String::new(), actor).await?;
    Ok(ids[0])
}

pub async fn add_norm(app: &App, form: &NormForm, actor: &Actor) -> Result<i64, AppError> {
    let lookup = service_lookup(app).await?;
    let mut e = ValidationErrors::new();
    let n = form.check("", &lookup, &mut e);
    let n = e
        .into_result(n)?
        .ok_or_else(|| AppError::field("value", "Норматив не прочитан."))?;
    let ids = tariffs::add_norms(&app.db, &[n], &|_| String::new(), actor).await?;
    Ok(ids[0])
}

/// A row of a tariffs file as read, for the preview.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub line: usize,
    pub service: String,
    pub group: String,
    pub zone: String,
    pub from: String,
    pub price: String,
    pub unit: String,
    pub basis: String,
}

/// What a tariffs file would load: its rows and every error, by line. Nothing is saved.
#[derive(Debug, Clone, Serialize)]
pub struct ImportPreview {
    pub upload_id: i64,
    pub file_name: String,
    pub rows: Vec<PreviewRow>,
    /// `rows[i].field` errors are shown as `line N: message`.
    pub errors: Vec<String>,
}

fn row_field(line: usize) -> String {
    format!("line {line}: ")
}

/// Reads the file, checks every row, and tries it against the register inside a
/// transaction that is not kept (`commit` false) or is (`commit` true).
async fn load(
    app: &App,
    upload_id: i64,
    commit: Option<&Actor>,
) -> Result<(ImportPreview, usize), AppError> {
    let (file_name, bytes) = uploads::load(&app.db, upload_id).await?;
    let table = crate::uploads::table(bytes).await?;
    let cols = file::columns(&table.headers);
    let missing = file::missing(&cols);
    if !missing.is_empty() {
        return Err(AppError::field(
            "file",
            format!(
                "В файле нет колонок: {}. Первая строка файла — заголовки: Услуга, Группа домов, Зона суток, Действует с, Тариф, Единица, Основание.",
                missing.join(", ")
            ),
        ));
    }
    let rows = file::rows(&table, &cols);
    if rows.is_empty() {
        return Err(AppError::field("file", "В файле нет строк с тарифами."));
    }
    let lookup = service_lookup(app).await?;
    let mut e = ValidationErrors::new();
    let mut checked = Vec::new();
    for (line, form) in &rows {
        if let Some(t) = form.check(&row_field(*line), &lookup, &mut e) {
            checked.push((*line, t));
        }
    }
    let shown = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut preview = ImportPreview {
        upload_id,
        file_name,
        rows: rows
            .iter()
            .map(|(line, f)| PreviewRow {
                line: *line,
                service: shown(&f.service),
                group: shown(&f.group),
                zone: shown(&f.zone),
                from: shown(&f.from),
                price: shown(&f.price),
                unit: shown(&f.unit),
                basis: shown(&f.basis),
            })
            .collect(),
        errors: Vec::new(),
    };
    if e.0.is_empty() {
        let (lines, new): (Vec<usize>, Vec<_>) = checked.into_iter().unzip();
        let prefix = |i: usize| row_field(lines[i]);
        let result = match commit {
            Some(actor) => tariffs::add_tariffs(&app.db, &new, &prefix, actor)
                .await
                .map(|ids| ids.len()),
            None => tariffs::check_tariffs(&app.db, &new, &prefix).await,
        };
        match result {
            Ok(n) => return Ok((preview, n)),
            Err(abonent_storage::StoreError::Invalid(v)) => e = v,
            Err(other) => return Err(other.into()),
        }
    }
    preview.errors =
        e.0.iter()
            .map(|x| match x.field.strip_prefix("line ") {
                Some(rest) => {
                    let line = rest.split(':').next().unwrap_or("");
                    format!("Строка {line}: {}", x.message)
                }
                None => x.message.clone(),
            })
            .collect();
    Ok((preview, 0))
}

/// The preview of an uploaded tariffs file.
pub async fn preview(app: &App, upload_id: i64) -> Result<ImportPreview, AppError> {
    Ok(load(app, upload_id, None).await?.0)
}

/// Loads an uploaded tariffs file, all or nothing: the rows added, or every error by line.
pub async fn commit(app: &App, upload_id: i64, actor: &Actor) -> Result<usize, AppError> {
    let (preview, added) = load(app, upload_id, Some(actor)).await?;
    if !preview.errors.is_empty() {
        let mut e = ValidationErrors::new();
        for m in &preview.errors {
            e.add("file", m.clone());
        }
        return Err(AppError::Invalid(e));
    }
    Ok(added)
}

/// Puts a building into a tariff group; an empty name returns it to the organization's.
pub async fn set_group(
    app: &App,
    building_id: i64,
    group: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let group = group.trim();
    if group.chars().count() > 100 {
        return Err(AppError::field(
            "group",
            "Название группы — не длиннее 100 знаков.",
        ));
    }
    let group = (!group.is_empty()).then_some(group);
    Ok(tariffs::set_group(&app.db, building_id, group, actor).await?)
}

/// «Why this sum» for an account's month.
#[derive(Debug, Clone, Serialize)]
pub struct AccountExplanation {
    pub account_id: i64,
    pub period: Period,
    /// The building's tariff group; `None`: the organization's tariffs.
    pub group: Option<String>,
    /// Registered in the premises on the first day of the month.
    pub persons: u32,
    pub area_centi: Option<i64>,
    pub explanation: Explanation,
}

/// Explains every charge and recalculation line of `account_id` for `period`: the volume as
/// the charges file gave it (or the norm in force × persons or area when it gave none), the
/// tariff in force with its basis, the sum; differences between the file and the register
/// are said.
pub async fn explain_month(
    app: &App,
    account_id: i64,
    period: Period,
) -> Result<AccountExplanation, AppError> {
    let a = account::get(&app.db, account_id).await?;
    let p = premises::get(&app.db, a.data.premises_id).await?;
    let group = tariffs::group_of(&app.db, p.data.building_id).await?;
    let day = period.first_day();
    let persons = link::registered_in_premises(&app.db, p.id, day)
        .await?
        .len() as u32;
    let register: Vec<_> = tariffs::tariffs(&app.db)
        .await?
        .into_iter()
        .map(|r| r.tariff)
        .collect();
    let norms: Vec<_> = tariffs::norms(&app.db)
        .await?
        .into_iter()
        .map(|r| r.norm)
        .collect();
    let lines: Vec<SourceLine> = tariffs::month_lines(&app.db, account_id, period)
        .await?
        .into_iter()
        .map(|l| {
            let service = l.service.clone().unwrap_or_else(|| "other".into());
            let volume = l
                .volume
                .as_deref()
                .and_then(|v| parse_fixed(v, VOLUME_PLACES).ok());
            // A recalculation's volume is its own matter: the norm explains charges only.
            let by_norm = l.kind == EntryKind::Charge;
            let source = match volume {
                Some(_) => VolumeSource::Given,
                None if !by_norm => VolumeSource::None,
                None => match norm_on(&norms, &service, group.as_deref(), day) {
                    Some(n) if n.per == NormBasis::PerPerson => VolumeSource::NormPerPerson {
                        norm: n.value,
                        persons,
                    },
                    Some(n) => match p.data.area_centi {
                        Some(area) => VolumeSource::NormPerArea {
                            norm: n.value,
                            area,
                        },
                        None => VolumeSource::None,
                    },
                    None => VolumeSource::None,
                },
            };
            let unit = l.unit.as_deref().and_then(Unit::parse).or_else(|| {
                matches!(
                    source,
                    VolumeSource::NormPerPerson { .. } | VolumeSource::NormPerArea { .. }
                )
                .then(|| norm_on(&norms, &service, group.as_deref(), day).and_then(|n| n.unit))
                .flatten()
            });
            SourceLine {
                service_title: l.service_title.clone().unwrap_or_else(|| service.clone()),
                service,
                kind: match l.kind {
                    EntryKind::Recalculation => LineKind::Recalculation {
                        reason: l.reason.clone().unwrap_or_else(|| "без причины".into()),
                    },
                    _ => LineKind::Charge,
                },
                charged_kopecks: l.amount,
                volume,
                price: l
                    .tariff
                    .as_deref()
                    .and_then(|t| parse_fixed(t, PRICE_PLACES).ok()),
                unit,
                source,
            }
        })
        .collect();
    Ok(AccountExplanation {
        account_id,
        period,
        group: group.clone(),
        persons,
        area_centi: p.data.area_centi,
        explanation: explain(&lines, &register, group.as_deref(), day),
    })
}

/// How the written answer to «why this sum» is sent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerLetter {
    /// The addressee; by default the account's owner or tenant.
    pub person_id: Option<i64>,
    /// `post` (default), `email`, `hand`, `portal`.
    pub method: Option<String>,
    /// The resident's letter it answers (then marked answered).
    pub answers_incoming_id: Option<i64>,
}

/// The written answer to «why this sum» for an account's month (issue 20 §2): the month's
/// explanation as a letter on the letterhead to the account's owner or tenant, issued and
/// registered as outgoing correspondence (its number is the outgoing number).
pub async fn answer_letter(
    app: &App,
    account_id: i64,
    period: Period,
    r: &AnswerLetter,
    actor: &Actor,
) -> Result<abonent_storage::documents::Document, AppError> {
    use abonent_domain::registry::LinkRole;
    use abonent_domain::tariff::{answer_paragraphs, answer_subject};
    let x = explain_month(app, account_id, period).await?;
    let a = account::get(&app.db, account_id).await?;
    let today = app.today().await?;
    let links = link::links_of_account(&app.db, account_id).await?;
    let open = |l: &&abonent_storage::registry::LinkView| {
        l.link.closed_at.is_none() && l.link.data.to_date.is_none_or(|d| d >= today)
    };
    let person = r.person_id.or_else(|| {
        links
            .iter()
            .filter(open)
            .find(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant))
            .map(|l| l.link.data.person_id)
    });
    let Some(person) = person else {
        return Err(AppError::field(
            "person_id",
            "У счёта нет собственника или нанимателя: выберите, кому адресовать ответ.",
        ));
    };
    let name = abonent_storage::registry::person::get(&app.db, person)
        .await?
        .full_name;
    let title = period.title();
    let req = crate::documents::issue::IssueRequest {
        kind: "letter".into(),
        account_id: Some(account_id),
        person_id: Some(person),
        addressee: Some(format!("{name}\n{}", a.address)),
        subject: Some(answer_subject(&title)),
        body: Some(answer_paragraphs(&x.explanation, &a.data.number, &title).join("\n\n")),
        method: r.method.clone(),
        answers_incoming_id: r.answers_incoming_id,
        ..Default::default()
    };
    crate::documents::issue::issue(app, &req, actor).await
}
