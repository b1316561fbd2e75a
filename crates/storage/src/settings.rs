//! Organization settings: key–value rows an administrator edits. Defaults live here once.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use sqlx::Row;

use crate::{Db, Result};

/// The organization's time zone until an administrator sets one; also used when the stored
/// name is not a zone, so that there is one default everywhere.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Yekaterinburg";

/// Every setting with its default and Russian title.
pub const KNOWN: &[(&str, &str, &str)] = &[
    (
        "org.name",
        "ООО «Управляющая компания»",
        "Наименование организации",
    ),
    (
        "org.time_zone",
        DEFAULT_TIME_ZONE,
        "Часовой пояс организации (IANA)",
    ),
    (
        "org.default_region",
        "Свердловская обл.",
        "Регион по умолчанию для адресов",
    ),
    (
        "org.default_city",
        "г. Екатеринбург",
        "Населённый пункт по умолчанию",
    ),
    (
        "ledger.bank_account",
        "",
        "Расчётный счёт организации: из выписок 1С берутся поступления на него",
    ),
    (
        "account.number_format",
        "",
        "Формат номера ЛС (# — цифра, A — буква; пусто — любой)",
    ),
    // Organization details (реквизиты): printed on documents and in the payment QR code,
    // edited on /admin/organization and checked by abonent_domain::organization.
    ("org.inn", "", "ИНН"),
    ("org.kpp", "", "КПП"),
    ("org.ogrn", "", "ОГРН"),
    ("org.address", "", "Адрес"),
    ("org.phones", "", "Телефоны"),
    ("org.email", "", "Электронная почта"),
    ("org.bank_name", "", "Банк"),
    ("org.bic", "", "БИК банка"),
    ("org.corr_account", "", "Корреспондентский счёт"),
    ("org.settlement_account", "", "Расчётный счёт"),
    ("org.director_title", "", "Должность руководителя"),
    ("org.director_name", "", "Руководитель (Фамилия И. О.)"),
    // Numbering patterns per register or document type ({n}, {n:6}, {year}, {yy}); edited
    // on /admin/numbering and checked by abonent_domain::numbering::NumberScheme.
    (
        "numbering.incoming",
        "Вх-{n}/{yy}",
        "Номер входящего письма",
    ),
    (
        "numbering.outgoing",
        "Исх-{n}/{yy}",
        "Номер исходящего письма",
    ),
    (
        "numbering.doc.registration_certificate",
        "С-{n}/{yy}",
        "Номер справки о регистрации",
    ),
    (
        "numbering.doc.account_statement",
        "В-{n}/{yy}",
        "Номер выписки из лицевого счёта",
    ),
    (
        "numbering.doc.payment_document",
        "П-{n:6}/{yy}",
        "Номер платёжного документа",
    ),
    ("numbering.doc.letter", "Л-{n}/{yy}", "Номер письма"),
    (
        "numbering.doc.complaint_act",
        "АЖ-{n}/{yy}",
        "Номер акта по жалобе",
    ),
    ("numbering.appeal.request", "З-{year}-{n:6}", "Номер заявки"),
    (
        "numbering.appeal.complaint",
        "Ж-{year}-{n:6}",
        "Номер жалобы",
    ),
    (
        "numbering.appeal.information_request",
        "И-{year}-{n:6}",
        "Номер запроса информации",
    ),
    (
        "numbering.appeal.consultation",
        "К-{year}-{n:6}",
        "Номер консультации",
    ),
    (
        "appeals.reopen_days",
        "30",
        "Сколько дней после закрытия обращение можно открыть повторно",
    ),
    (
        "appeals.deferral_max",
        "2",
        "Сколько раз можно перенести срок обращения; дальше переносит только руководитель",
    ),
    (
        "appeals.bulk_max",
        "500",
        "Сколько обращений можно изменить одним массовым действием журнала",
    ),
    // Routing, alerts, applicant messages and ratings (docs/APPEALS.md).
    (
        "alerts.escalate_minutes",
        "10",
        "Аварии: через сколько минут неподтверждённое оповещение уходит руководителю (регламент организации; ПП 416 п. 13 даёт 30 мин на локализацию)",
    ),
    (
        "app.public_url",
        "http://localhost:8080",
        "Адрес программы для жителей (ссылки на оценку в письмах и SMS)",
    ),
    (
        "appeals.rating_link_days",
        "14",
        "Сколько дней действует ссылка на оценку работ",
    ),
    (
        "appeals.rating_reopen_at",
        "2",
        "Оценка заявителя не выше этой (или «не устранено») открывает обращение повторно",
    ),
    (
        "appeals.notice.subject",
        "Обращение № {number}",
        "Сообщение заявителю: тема письма ({number})",
    ),
    (
        "appeals.notice.registered",
        "Ваше обращение зарегистрировано под номером {number}. Срок исполнения: {deadline}.",
        "Сообщение заявителю о регистрации ({number}, {deadline})",
    ),
    (
        "appeals.notice.status",
        "Обращение № {number}: {status}. {note}",
        "Сообщение заявителю о смене статуса ({number}, {status}, {note})",
    ),
    (
        "appeals.notice.deadline",
        "Обращение № {number}: срок исполнения изменён на {deadline}. {note}",
        "Сообщение заявителю о новом сроке ({number}, {deadline}, {note})",
    ),
    (
        "appeals.notice.rating",
        "Работы по обращению № {number} выполнены. Оцените, пожалуйста, результат: {link}",
        "Вопрос заявителю об удовлетворённости ({number}, {link})",
    ),
    (
        "alerts.notice",
        "АВАРИЯ: обращение № {number}, {address}. {substance}",
        "Оповещение дежурным об аварийной заявке ({number}, {address}, {substance})",
    ),
    (
        "alerts.escalation_notice",
        "Не подтверждено за {minutes} мин: аварийное обращение № {number}, {address}. {substance}",
        "Сообщение руководителю о неподтверждённой аварии ({minutes}, {number}, {address}, {substance})",
    ),
    (
        "alerts.localisation_notice",
        "Авария не локализована в срок (до {deadline}, ПП 416 п. 13): обращение № {number}, {address}. {substance}",
        "Сообщение руководителю об аварии, не локализованной в срок ({deadline}, {number}, {address}, {substance})",
    ),
    // Incidents, recurring problems and attachments (docs/APPEALS.md).
    (
        "appeals.incident_threshold",
        "3",
        "Сколько обращений одного дома и категории предлагают общедомовую аварию",
    ),
    (
        "appeals.incident_window_minutes",
        "120",
        "За сколько минут должны поступить эти обращения",
    ),
    (
        "appeals.recurring_threshold",
        "3",
        "Повторяющаяся проблема: сколько обращений одного дома и категории",
    ),
    (
        "appeals.recurring_days",
        "30",
        "Повторяющаяся проблема: за сколько дней",
    ),
    (
        "appeals.file_max_mb",
        "10",
        "Вложения обращений: наибольший размер файла, МБ",
    ),
    (
        "appeals.file_types",
        "jpeg, png, pdf, heic",
        "Вложения обращений: допустимые типы файлов",
    ),
    // Notifications (docs/NOTIFICATIONS.md).
    (
        "smtp.host",
        "",
        "Почта: SMTP-сервер (пусто — письма ждут в очереди)",
    ),
    (
        "smtp.port",
        "",
        "Почта: порт SMTP (пусто — 25, 587 или 465 по способу защиты)",
    ),
    (
        "smtp.security",
        "starttls",
        "Почта: защита соединения — none, starttls или tls",
    ),
    (
        "smtp.user",
        "",
        "Почта: имя пользователя SMTP (пусто — без входа)",
    ),
    ("smtp.password", "", "Почта: пароль SMTP"),
    (
        "smtp.from",
        "",
        "Почта: отправитель, например «УК Дом <noreply@uk-dom.ru>»",
    ),
    (
        "sms.url",
        "",
        "SMS: адрес шлюза с {phone} и {text} (пусто — SMS ждут в очереди)",
    ),
    ("sms.method", "GET", "SMS: метод запроса — GET или POST"),
    (
        "sms.body",
        "",
        "SMS: тело запроса POST с {phone} и {text} (JSON, если начинается с «{»)",
    ),
    (
        "sms.auth_header",
        "",
        "SMS: заголовок авторизации («Bearer …» или «Имя: значение»)",
    ),
    (
        "outbox.max_attempts",
        "8",
        "Уведомления: попыток доставки, после которых сообщение не доставлено",
    ),
    // Court packet and ledger documents (docs/COURT.md). A building may name its own court:
    // `court.building.<id>.name` / `.address` (set on the building card).
    (
        "court.name",
        "",
        "Суд для заявлений о судебном приказе: наименование (мировой судья судебного участка № …)",
    ),
    ("court.address", "", "Суд для заявлений о судебном приказе: адрес"),
    (
        "numbering.doc.penalty_calculation",
        "РП-{n}/{yy}",
        "Номер расчёта пени",
    ),
    (
        "numbering.doc.court_order_application",
        "СП-{n}/{yy}",
        "Номер заявления о вынесении судебного приказа",
    ),
    (
        "numbering.doc.no_debt_certificate",
        "СО-{n}/{yy}",
        "Номер справки об отсутствии задолженности",
    ),
    (
        "numbering.doc.ledger_statement",
        "ВР-{n}/{yy}",
        "Номер выписки по лицевому счёту",
    ),
    (
        "numbering.doc.debt_notice",
        "УЗ-{n}/{yy}",
        "Номер уведомления о задолженности",
    ),
    (
        "numbering.doc.installment_agreement",
        "Р-{n}/{yy}",
        "Номер соглашения о рассрочке",
    ),
];

/// The organization's details in the order of the form, `org.name` first.
pub const ORG_DETAILS: &[&str] = &[
    "org.name",
    "org.inn",
    "org.kpp",
    "org.ogrn",
    "org.address",
    "org.phones",
    "org.email",
    "org.bank_name",
    "org.bic",
    "org.corr_account",
    "org.settlement_account",
    "org.director_title",
    "org.director_name",
];

/// Pattern of a numbering scope without a setting of its own (a future `appeal.request`).
pub const GENERIC_NUMBER_PATTERN: &str = "{n}";

/// Settings shown on the general settings page; details and numbering have pages of their own
/// that validate them.
pub fn is_general(key: &str) -> bool {
    key == "org.name" || !(key.starts_with("numbering.") || ORG_DETAILS.contains(&key))
}

/// Russian title of a known setting.
pub fn title(key: &str) -> &'static str {
    KNOWN
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, _, t)| t)
}

/// Default value of a known setting.
pub fn default_of(key: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(k, _, _)| *k == key).map(|(_, v, _)| *v)
}

/// Kept by each instance for [`crate::fresh::KEEP_FOR`]: a change made on another instance
/// shows within that time.
pub(crate) type Cache = crate::fresh::Fresh<BTreeMap<String, String>>;

pub async fn all(db: &Db) -> Result<BTreeMap<String, String>> {
    if let Some(map) = db.settings_cache.get() {
        return Ok(map);
    }
    let map = read_all(db).await?;
    db.settings_cache.put(map.clone());
    Ok(map)
}

async fn read_all(db: &Db) -> Result<BTreeMap<String, String>> {
    let mut map: BTreeMap<String, String> = KNOWN
        .iter()
        .map(|(k, v, _)| (k.to_string(), v.to_string()))
        .collect();
    for r in sqlx::query("SELECT key, value FROM settings")
        .fetch_all(db.read())
        .await?
    {
        map.insert(r.get(0), r.get(1));
    }
    Ok(map)
}

/// A value from this instance's cache while it is fresh; `None` means "read it yourself".
pub(crate) fn cached(db: &Db, key: &str) -> Option<String> {
    db.settings_cache
        .with(|map| map.get(key).cloned().unwrap_or_default())
}

/// Drop this instance's cache (after a write).
pub(crate) fn forget(db: &Db) {
    db.settings_cache.forget();
}

pub async fn get(db: &Db, key: &str) -> Result<String> {
    Ok(all(db).await?.get(key).cloned().unwrap_or_default())
}

pub async fn set(db: &Db, key: &str, value: &str, by: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key)
    .bind(value)
    .bind(db.now_text())
    .bind(by)
    .execute(db.write())
    .await?;
    forget(db);
    Ok(())
}

/// The zone named by an `org.time_zone` value, or the default one.
pub fn zone_of(name: &str) -> Tz {
    name.trim()
        .parse()
        .unwrap_or_else(|_| DEFAULT_TIME_ZONE.parse().unwrap_or(Tz::UTC))
}

/// The organization's time zone: dates, deadlines and periods are computed in it.
pub async fn time_zone(db: &Db) -> Result<Tz> {
    Ok(zone_of(&get(db, "org.time_zone").await?))
}

pub async fn account_number_format(
    db: &Db,
) -> Result<abonent_domain::registry::AccountNumberFormat> {
    Ok(abonent_domain::registry::AccountNumberFormat::new(
        &get(db, "account.number_format").await?,
    ))
}

/// Writes several settings in one transaction with one history entry (entity `settings`)
/// listing what changed. Unchanged values are not rewritten.
pub async fn save_many(
    db: &Db,
    values: &[(&str, String)],
    actor: &crate::Actor,
    note: &str,
) -> Result<()> {
    let current = read_all(db).await?;
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    let mut tx = db.write().begin().await?;
    let now = db.now_text();
    for (key, value) in values {
        let old = current.get(*key).cloned().unwrap_or_default();
        if &old == value {
            continue;
        }
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(*key)
        .bind(value)
        .bind(&now)
        .bind(&actor.name)
        .execute(&mut *tx)
        .await?;
        before.insert(key.to_string(), old.into());
        after.insert(key.to_string(), value.clone().into());
    }
    if !after.is_empty() {
        crate::history::record(
            &mut tx,
            &now,
            actor,
            crate::history::Change {
                entity: "settings",
                entity_id: 0,
                parent: None,
                action: "update",
                before: Some(before.into()),
                after: Some(after.into()),
                note: Some(note),
            },
        )
        .await?;
    }
    tx.commit().await?;
    forget(db);
    Ok(())
}

/// The organization's details (`ORG_DETAILS` keys, missing ones as ""), as stored.
pub async fn org_details(db: &Db) -> Result<BTreeMap<String, String>> {
    let all = all(db).await?;
    Ok(ORG_DETAILS
        .iter()
        .map(|k| (k.to_string(), all.get(*k).cloned().unwrap_or_default()))
        .collect())
}

/// Checks and saves the organization's details: nothing is saved when any detail is wrong.
/// Values are trimmed; keys other than `ORG_DETAILS` are ignored.
pub async fn save_org_details(
    db: &Db,
    values: &BTreeMap<String, String>,
    actor: &crate::Actor,
) -> Result<()> {
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut e = abonent_domain::organization::validate_details(get);
    let name = get("org.name");
    if name.is_empty() {
        e.add(
            "org.name",
            "Укажите наименование организации, как в ЕГРЮЛ: оно печатается на бланках.",
        );
    } else if name.chars().count() > 300 {
        e.add(
            "org.name",
            "Наименование длиннее 300 символов: сократите его.",
        );
    }
    for k in ORG_DETAILS {
        let v = get(k);
        if v.chars().any(char::is_control) {
            e.add(
                k,
                format!(
                    "Поле «{}» содержит управляющие символы: уберите их.",
                    title(k)
                ),
            );
        } else if v.chars().count() > 500 {
            e.add(
                k,
                format!("Поле «{}» длиннее 500 символов: сократите его.", title(k)),
            );
        }
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let pairs: Vec<(&str, String)> = ORG_DETAILS.iter().map(|k| (*k, get(k))).collect();
    save_many(db, &pairs, actor, "Реквизиты организации").await
}

/// Numbering scopes with a setting of their own (`numbering.<scope>` in `KNOWN`).
pub fn numbering_scopes() -> Vec<&'static str> {
    KNOWN
        .iter()
        .filter_map(|(k, _, _)| k.strip_prefix("numbering."))
        .collect()
}

/// Checks and saves numbering patterns (`scope` → pattern) of known scopes; errors are
/// named `numbering.<scope>`.
pub async fn save_numbering(
    db: &Db,
    patterns: &BTreeMap<String, String>,
    actor: &crate::Actor,
) -> Result<()> {
    let mut e = abonent_domain::ValidationErrors::new();
    let mut pairs = Vec::new();
    for scope in numbering_scopes() {
        let key = KNOWN
            .iter()
            .map(|(k, _, _)| *k)
            .find(|k| k.strip_prefix("numbering.") == Some(scope))
            .expect("scope comes from KNOWN");
        let value = patterns
            .get(scope)
            .map(|v| v.trim().to_string())
            .unwrap_or_default();
        match abonent_domain::numbering::NumberScheme::parse(&value) {
            Ok(s) => pairs.push((key, s.pattern().to_string())),
            Err(m) => e.add(key, m),
        }
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    save_many(db, &pairs, actor, "Схемы нумерации").await
}
