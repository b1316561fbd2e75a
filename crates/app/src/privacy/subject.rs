//! Everything held about one person, for their request under 152-ФЗ ст. 14: the card, links
//! to accounts and premises, benefits, consents, appeals where they are the applicant,
//! letters, documents issued naming them, the card's history and who viewed their data. As
//! an XLSX workbook (a sheet per section) or a PDF of the same tables. Issuing it is itself
//! logged as a view of the person.

use abonent_documents::{TableSection, TablesDoc};
use abonent_domain::appeal::Status;
use abonent_storage::registry::{link, person};
use abonent_storage::{history, subject, Actor};

use super::log;
use super::table::{self, Table};
use crate::{App, AppError};

fn yes_no(b: bool) -> String {
    if b { "да" } else { "нет" }.into()
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_default()
}

fn day(stored: &str) -> String {
    match abonent_storage::time::parse_date(stored) {
        Some(d) => d.format("%d.%m.%Y").to_string(),
        None => stored.to_string(),
    }
}

fn records(rows: Vec<subject::Record>, on: impl Fn(&str) -> String) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|r| vec![r.number, on(&r.on), r.title, r.detail])
        .collect()
}

/// The sections of the export, gathered now; the issuing is logged through `via`.
pub async fn gather(
    app: &App,
    person_id: i64,
    actor: &Actor,
    via: &str,
) -> Result<(String, Vec<Table>), AppError> {
    let p = person::get(&app.db, person_id).await?;
    let tz = app.zone().await?;
    let d = &p.data;
    let card = vec![
        ("Фамилия", d.last_name.clone()),
        ("Имя", d.first_name.clone()),
        ("Отчество", d.middle_name.clone().unwrap_or_default()),
        ("Дата рождения", date(d.birth_date)),
        (
            "Телефоны",
            d.phones
                .iter()
                .map(|x| abonent_domain::phone::display(x))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Эл. почта", d.email.clone().unwrap_or_default()),
        ("Документ", d.id_document.clone().unwrap_or_default()),
        ("Согласие на SMS", yes_no(d.consent_sms)),
        ("Согласие на письма по эл. почте", yes_no(d.consent_email)),
        (
            "Дееспособность",
            match &d.capacity_basis {
                Some(b) => format!("{} ({b})", d.legal_capacity.title()),
                None => d.legal_capacity.title().to_string(),
            },
        ),
        (
            "В архиве с",
            p.closed_at
                .as_deref()
                .map(|t| table::local(t, tz))
                .unwrap_or_default(),
        ),
        ("Причина архива", p.close_reason.clone().unwrap_or_default()),
        ("Номер в реестре", p.id.to_string()),
    ];
    let links = link::links_of_person(&app.db, person_id)
        .await?
        .into_iter()
        .map(|l| {
            vec![
                l.account_number,
                l.address,
                l.role_title,
                l.link.data.share.map(|s| s.to_string()).unwrap_or_default(),
                date(l.link.data.from_date),
                date(l.link.data.to_date),
                if l.link.closed_at.is_some() {
                    "прекращена".into()
                } else {
                    "действует".into()
                },
            ]
        })
        .collect();
    let benefits = link::benefits_of_person(&app.db, person_id)
        .await?
        .into_iter()
        .map(|b| {
            vec![
                b.data.category,
                b.data.document.unwrap_or_default(),
                date(Some(b.data.from_date)),
                date(b.data.to_date),
                b.close_reason.unwrap_or_default(),
            ]
        })
        .collect();
    let appeals = subject::appeals(&app.db, person_id)
        .await?
        .into_iter()
        .map(|r| subject::Record {
            title: Status::from_code(&r.title)
                .map(|s| s.title().to_string())
                .unwrap_or(r.title),
            ..r
        })
        .collect();
    let mut letters = records(subject::incoming_letters(&app.db, person_id).await?, day);
    for r in &mut letters {
        r.insert(0, "входящее".into());
    }
    for mut r in records(subject::outgoing_letters(&app.db, person_id).await?, day) {
        r.insert(0, "исходящее".into());
        letters.push(r);
    }
    let documents = records(subject::documents(&app.db, person_id).await?, day);
    let changes = history::for_card(&app.db, "person", person_id, 100_000)
        .await?
        .into_iter()
        .rev()
        .map(|h| {
            vec![
                table::local(&h.at, tz),
                h.actor_name,
                format!("{} {}", h.entity, h.action),
                h.before.map(|v| v.to_string()).unwrap_or_default(),
                h.after.map(|v| v.to_string()).unwrap_or_default(),
                h.note.unwrap_or_default(),
            ]
        })
        .collect();
    let views = log::all(
        app,
        &log::LogQuery {
            person_id: Some(person_id),
            ..Default::default()
        },
    )
    .await?;
    // The views up to this export; the export's own entry follows.
    super::record_views(app, actor, &[person_id], via).await?;
    let views = views
        .iter()
        .rev()
        .map(|e| {
            vec![
                table::local(&e.at, tz),
                e.actor_name.clone(),
                e.via.clone(),
                e.people.len().to_string(),
            ]
        })
        .collect();
    let tables = vec![
        Table {
            name: "Карточка",
            columns: vec![("Поле", 32.0), ("Значение", 60.0)],
            rows: card
                .into_iter()
                .map(|(k, v)| vec![k.to_string(), v])
                .collect(),
        },
        Table {
            name: "Лицевые счета",
            columns: vec![
                ("Лицевой счёт", 14.0),
                ("Адрес помещения", 50.0),
                ("Роль", 18.0),
                ("Доля", 8.0),
                ("С", 11.0),
                ("По", 11.0),
                ("Связь", 12.0),
            ],
            rows: links,
        },
        Table {
            name: "Льготы",
            columns: vec![
                ("Категория", 30.0),
                ("Документ", 30.0),
                ("С", 11.0),
                ("По", 11.0),
                ("Причина закрытия", 30.0),
            ],
            rows: benefits,
        },
        Table {
            name: "Обращения",
            columns: vec![
                ("Номер", 14.0),
                ("Зарегистрировано", 18.0),
                ("Состояние", 16.0),
                ("Суть и контакты заявителя", 80.0),
            ],
            rows: records(appeals, |t| table::local(t, tz)),
        },
        Table {
            name: "Письма",
            columns: vec![
                ("Журнал", 11.0),
                ("Номер", 14.0),
                ("Дата", 11.0),
                ("Отправитель или адресат", 32.0),
                ("Тема", 50.0),
            ],
            rows: letters,
        },
        Table {
            name: "Документы",
            columns: vec![
                ("Номер", 16.0),
                ("Дата", 11.0),
                ("Документ", 40.0),
                ("Выдал", 30.0),
            ],
            rows: documents,
        },
        Table {
            name: "История карточки",
            columns: vec![
                ("Когда", 20.0),
                ("Кто", 30.0),
                ("Что", 20.0),
                ("Было", 40.0),
                ("Стало", 40.0),
                ("Примечание", 30.0),
            ],
            rows: changes,
        },
        Table {
            name: "Просмотры",
            columns: vec![
                ("Когда", 20.0),
                ("Кто", 32.0),
                ("Через что", 32.0),
                ("Людей в ответе", 10.0),
            ],
            rows: views,
        },
    ];
    Ok((p.full_name, tables))
}

/// The export as an XLSX workbook, a sheet per section.
pub async fn workbook(
    app: &App,
    person_id: i64,
    actor: &Actor,
    via: &str,
) -> Result<Vec<u8>, AppError> {
    let (_, tables) = gather(app, person_id, actor, via).await?;
    table::workbook(&tables)
}

/// The export as a PDF: the same sections as tables.
pub async fn pdf(app: &App, person_id: i64, actor: &Actor, via: &str) -> Result<Vec<u8>, AppError> {
    let (name, tables) = gather(app, person_id, actor, via).await?;
    let today = app.today().await?;
    let doc = TablesDoc {
        title: format!("Сведения о персональных данных: {name}"),
        subtitle: format!(
            "Всё, что хранится о человеке (152-ФЗ, ст. 14), на {}.",
            today.format("%d.%m.%Y")
        ),
        sections: tables
            .into_iter()
            .map(|t| TableSection {
                title: t.name.to_string(),
                columns: t.columns.iter().map(|c| c.0.to_string()).collect(),
                rows: t.rows,
            })
            .collect(),
    };
    let engine = crate::documents::engine().clone();
    tokio::task::spawn_blocking(move || engine.render_tables(&doc, today))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(format!("PDF: {e}")))
}

/// The file name the export is offered under.
pub fn file_name(name: &str, ext: &str) -> String {
    format!("Сведения о ПДн — {name}.{ext}")
}
