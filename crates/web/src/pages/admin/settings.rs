//! The administrator's settings: the index of every settings page grouped by topic, and the
//! general settings page grouped the same way, with lists where a value is one of a few
//! (time zone, mail security, SMS method, yes/no).

use std::collections::BTreeMap;

use crate::extract::Query;
use abonent_app::settings;
use abonent_domain::settings as catalogue;
use abonent_domain::setup;
use abonent_domain::ValidationErrors;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::Extension;

use crate::auth::Principal;
use crate::forms::FormView;
use crate::pages::{flash_of, html, invalid, layout, to, PageResult};
use crate::views::Layout;
use crate::{AppError, AppState};

// ---------------------------------------------------------------- index

pub struct Link {
    pub href: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

pub struct Topic {
    pub title: &'static str,
    pub links: Vec<Link>,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
struct IndexPage {
    l: Layout,
    topics: Vec<Topic>,
}

fn link(href: &'static str, title: &'static str, hint: &'static str) -> Link {
    Link { href, title, hint }
}

/// Every settings page by topic, as far as `l` (the signed-in person's rights) lets them in.
fn topics(l: &Layout) -> Vec<Topic> {
    let mut t = Vec::new();
    let mut org = vec![
        link(
            "/admin/setup",
            "Первоначальная настройка",
            "реквизиты, суд, часовой пояс и адрес программы — по шагам",
        ),
        link(
            "/admin/settings#topic-org",
            "Общие настройки",
            "наименование, часовой пояс, адрес программы",
        ),
    ];
    if l.can_reference {
        org.push(link(
            "/admin/organization",
            "Реквизиты организации",
            "ИНН, КПП, ОГРН, банк, руководитель",
        ));
        org.push(link(
            "/admin/calendar",
            "Производственный календарь",
            "выходные и переносы по постановлению Правительства",
        ));
        org.push(link("/admin/departments", "Отделы и службы", ""));
    }
    org.push(link("/admin/users", "Пользователи", "сотрудники и их роли"));
    org.push(link(
        "/admin/tokens",
        "API-токены",
        "доступ других программ",
    ));
    t.push(Topic {
        title: "Организация",
        links: org,
    });
    t.push(Topic {
        title: "Почта и SMS",
        links: vec![
            link(
                "/admin/settings#topic-mail",
                "Почта и SMS",
                "SMTP-сервер, шлюз SMS, попытки доставки",
            ),
            link("/admin/outbox", "Уведомления", "очередь писем и SMS"),
        ],
    });
    let mut appeals = vec![link(
        "/admin/settings#topic-appeals",
        "Обращения: сроки повторного открытия, оповещения, сообщения заявителю",
        "",
    )];
    if l.can_reference {
        appeals.extend([
            link(
                "/admin/deadline-rules",
                "Сроки обращений",
                "по видам, каналам и категориям",
            ),
            link("/admin/appeal-categories", "Категории обращений", ""),
            link(
                "/admin/assignment-rules",
                "Правила назначения",
                "кому поручается обращение",
            ),
            link("/admin/contractors", "Подрядчики", ""),
            link("/admin/duty", "Дежурные", "кого оповещать об аварии"),
            link(
                "/admin/answer-rules",
                "Сроки ответа на письма",
                "по видам отправителей",
            ),
        ]);
    }
    t.push(Topic {
        title: "Обращения и письма",
        links: appeals,
    });
    if l.can_ledger_settings {
        t.push(Topic {
            title: "Платежи",
            links: vec![
                link(
                    "/ledger/settings#key-rates",
                    "Ключевая ставка",
                    "таблица ставок Банка России",
                ),
                link(
                    "/ledger/settings#penalty-rules",
                    "Правила пени",
                    "доли ставки, ограничение, моратории",
                ),
                link(
                    "/ledger/settings#due-dates",
                    "Сроки оплаты",
                    "до какого числа вносится плата",
                ),
                link(
                    "/ledger/profiles",
                    "Профили реестров банков",
                    "как читать реестр оплат банка",
                ),
                link("/ledger/services", "Услуги", ""),
            ],
        });
        t.push(Topic {
            title: "Работа с должниками",
            links: vec![
                link(
                    "/ledger/settings#debt-rules",
                    "Сроки и пороги",
                    "уведомления, ограничение, судебный приказ",
                ),
                link(
                    "/admin/settings#topic-debt",
                    "Суд для заявлений о судебном приказе",
                    "",
                ),
            ],
        });
    }
    let mut docs = Vec::new();
    if l.can_reference {
        docs.push(link(
            "/admin/numbering",
            "Нумерация документов",
            "схемы номеров",
        ));
    }
    if l.can_templates {
        docs.push(link("/admin/templates", "Шаблоны документов", ""));
    }
    if !docs.is_empty() {
        t.push(Topic {
            title: "Документы",
            links: docs,
        });
    }
    t
}

pub async fn index(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let done = q.get("setup").is_some_and(|v| v == "done");
    let l = layout(&s, &p, "Настройки", "settings_index")
        .await?
        .flash(if done {
            "Первоначальная настройка завершена."
        } else {
            flash_of(&q)
        });
    let topics = topics(&l);
    html(&IndexPage { l, topics })
}

// ---------------------------------------------------------------- general settings

pub struct SettingRow {
    pub key: &'static str,
    pub title: &'static str,
    /// Empty for a secret: a secret is never shown back.
    pub value: String,
    pub secret: bool,
    /// A secret that has a value stored.
    pub set: bool,
    /// Non-empty: the value is chosen from these (value, title).
    pub options: Vec<(String, String)>,
}

pub struct Group {
    pub id: &'static str,
    pub title: &'static str,
    pub rows: Vec<SettingRow>,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    l: Layout,
    groups: Vec<Group>,
    f: FormView,
}

/// The topic of a general setting: its anchor and title.
fn topic_of(key: &str) -> (&'static str, &'static str) {
    if key.starts_with("smtp.") || key.starts_with("sms.") || key.starts_with("outbox.") {
        ("topic-mail", "Почта и SMS")
    } else if key.starts_with("appeals.") || key.starts_with("alerts.") {
        ("topic-appeals", "Обращения")
    } else if key.starts_with("ledger.") {
        ("topic-payments", "Платежи")
    } else if key.starts_with("court.") {
        ("topic-debt", "Работа с должниками")
    } else if key.starts_with("uploads.") {
        ("topic-files", "Файлы импорта")
    } else {
        ("topic-org", "Организация")
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, t)| (c.to_string(), t.to_string()))
        .collect()
}

/// The choices of a setting chosen from a list (empty: typed); the current value is kept
/// among them when it is not one of the list.
fn options_of(key: &str, current: &str) -> Vec<(String, String)> {
    let mut v = match key {
        catalogue::TIME_ZONE_KEY => pairs(setup::RUSSIAN_ZONES),
        "smtp.security" => pairs(&[("none", "нет"), ("starttls", "STARTTLS"), ("tls", "TLS")]),
        "sms.method" => pairs(&[("GET", "GET"), ("POST", "POST")]),
        catalogue::TRUST_FORWARDED_PROTO => pairs(&[("нет", "нет"), ("да", "да")]),
        _ => return Vec::new(),
    };
    let norm = match key {
        catalogue::TRUST_FORWARDED_PROTO if catalogue::is_yes(current) => "да",
        catalogue::TRUST_FORWARDED_PROTO => "нет",
        _ => current,
    };
    if !norm.is_empty() && !v.iter().any(|(c, _)| c.eq_ignore_ascii_case(norm)) {
        v.push((norm.to_string(), norm.to_string()));
    }
    v
}

async fn groups(s: &AppState, typed: Option<&FormView>) -> Result<Vec<Group>, AppError> {
    let all = settings::all(s).await?;
    let mut groups: Vec<Group> = Vec::new();
    // Organization details and numbering have pages of their own that check them.
    for (k, _, title) in catalogue::KNOWN
        .iter()
        .filter(|(k, _, _)| catalogue::is_general(k))
    {
        let stored = all.get(*k).cloned().unwrap_or_default();
        let secret = catalogue::is_secret(k);
        let value = match typed {
            _ if secret => String::new(),
            Some(f) => f.v(k).to_string(),
            None => stored.clone(),
        };
        let row = SettingRow {
            key: k,
            title,
            set: secret && !stored.is_empty(),
            options: options_of(k, &value),
            value: if *k == catalogue::TRUST_FORWARDED_PROTO && catalogue::is_yes(&value) {
                "да".into()
            } else if *k == catalogue::TRUST_FORWARDED_PROTO && value.trim().is_empty() {
                "нет".into()
            } else {
                value
            },
            secret,
        };
        let (id, title) = topic_of(k);
        match groups.iter_mut().find(|g| g.id == id) {
            Some(g) => g.rows.push(row),
            None => groups.push(Group {
                id,
                title,
                rows: vec![row],
            }),
        }
    }
    Ok(groups)
}

pub async fn settings(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let l = layout(&s, &p, "Общие настройки", "settings")
        .await?
        .flash(flash_of(&q));
    html(&SettingsPage {
        l,
        groups: groups(&s, None).await?,
        f: FormView::default(),
    })
}

pub async fn save_settings(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let f = FormView::from_body(&body);
    let mut e = ValidationErrors::new();
    if f.v("org.time_zone").parse::<chrono_tz::Tz>().is_err() {
        e.add(
            "org.time_zone",
            "Неизвестный часовой пояс: выберите его из списка.",
        );
    }
    if f.v("org.name").trim().is_empty() {
        e.add("org.name", "Укажите наименование организации.");
    }
    // A new public address must open for residents; the one in force is left as it is.
    let url = f.v(catalogue::PUBLIC_URL).trim();
    if !url.is_empty() && url != settings::get(&s, catalogue::PUBLIC_URL).await? {
        if let Err(m) = setup::check_public_url(url) {
            e.add(catalogue::PUBLIC_URL, m);
        }
    }
    let proto = catalogue::TRUST_FORWARDED_PROTO;
    if let Err(m) = catalogue::check_yes_no(proto, f.v(proto)) {
        e.add(proto, m);
    }
    for key in [catalogue::UPLOADS_KEEP_DAYS, catalogue::UPLOADS_UNUSED_DAYS] {
        if let Err(m) = catalogue::check_days(key, f.v(key)) {
            e.add(key, m);
        }
    }
    // Mail and SMS delivery settings (abonent-notify reads them the same way).
    let entered: BTreeMap<String, String> = catalogue::KNOWN
        .iter()
        .map(|(k, _, _)| (k.to_string(), f.v(k).to_string()))
        .collect();
    e.0.extend(abonent_notify::config::check(&entered).0);
    if !e.is_empty() {
        let l = layout(&s, &p, "Общие настройки", "settings").await?;
        let groups = groups(&s, Some(&f)).await?;
        return invalid(&SettingsPage {
            l,
            groups,
            f: f.errors(e),
        });
    }
    let values: Vec<(&str, String)> = catalogue::KNOWN
        .iter()
        .filter(|(k, _, _)| catalogue::is_general(k))
        .map(|(k, _, _)| (*k, f.v(k).to_string()))
        .collect();
    let clear: Vec<&str> = catalogue::SECRETS
        .iter()
        .copied()
        .filter(|k| f.v(&format!("clear.{k}")) == "on")
        .collect();
    settings::save_general(&s, &values, &clear, &p.actor().name).await?;
    to("/admin/settings?saved=1".into())
}
