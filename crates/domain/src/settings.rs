//! The catalogue of organization settings: every key with its default and Russian title,
//! which of them the general settings page shows, and the checks of the two forms that
//! validate their settings (the organization's details, numbering patterns). Pure data:
//! reading and writing the rows is storage's; keeping them for a few seconds is the app's.

use std::collections::BTreeMap;

use crate::ValidationErrors;

/// The organization's time zone until an administrator sets one; also used when the stored
/// name is not a zone, so that there is one default everywhere.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Yekaterinburg";

/// The address residents and staff open; `https://` makes the sign-in cookie HTTPS-only.
pub const PUBLIC_URL: &str = "app.public_url";

/// «да»: the request came over HTTPS when the proxy in front says `X-Forwarded-Proto: https`.
pub const TRUST_FORWARDED_PROTO: &str = "app.trust_forwarded_proto";

/// Days an import's file is kept after the job that loaded it ended (docs/BACKUP.md).
pub const UPLOADS_KEEP_DAYS: &str = "uploads.keep_days";
/// Days a file no job loaded (a dry run, a refused file, a preview left) is kept.
pub const UPLOADS_UNUSED_DAYS: &str = "uploads.unused_days";
/// The longest a day-count setting may say: ten years.
const MAX_DAYS: u32 = 3650;

/// A day-count setting: its stored value, or its default when blank or not a count.
pub fn days(key: &str, value: &str) -> u32 {
    value
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d))
        .or_else(|| default_of(key).and_then(|d| d.parse().ok()))
        .unwrap_or(1)
}

/// The check of a day-count setting on the general settings page (blank is the default).
pub fn check_days(key: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    if v.is_empty() || v.parse::<u32>().is_ok_and(|d| (1..=MAX_DAYS).contains(&d)) {
        return Ok(());
    }
    Err(format!(
        "«{}»: укажите целое число дней от 1 до {MAX_DAYS}, а не «{v}».",
        title(key)
    ))
}

/// Whether a yes/no setting says yes («да»; also `true`, `1`, `yes` from a config file).
pub fn is_yes(value: &str) -> bool {
    matches!(
        value.trim().to_lowercase().as_str(),
        "да" | "true" | "1" | "yes"
    )
}

/// The check of a yes/no setting on the general settings page (empty is «нет»).
pub fn check_yes_no(key: &str, value: &str) -> Result<(), String> {
    match value.trim().to_lowercase().as_str() {
        "" | "да" | "нет" | "true" | "false" | "1" | "0" | "yes" | "no" => Ok(()),
        _ => Err(format!(
            "«{}»: напишите «да» или «нет», а не «{}».",
            title(key),
            value.trim()
        )),
    }
}

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
        "Часовой пояс организации",
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
        PUBLIC_URL,
        "http://localhost:8080",
        "Адрес программы для жителей (ссылки на оценку в письмах и SMS); с https:// вход в программу защищён HTTPS",
    ),
    (
        TRUST_FORWARDED_PROTO,
        "нет",
        "Программа за обратным прокси с HTTPS: доверять его заголовку о протоколе запроса («да» — только если прокси сам ставит этот заголовок)",
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
    // How long uploaded import files are kept (docs/BACKUP.md).
    (
        UPLOADS_KEEP_DAYS,
        "30",
        "Файлы импорта: сколько дней хранить после загрузки (дней)",
    ),
    (
        UPLOADS_UNUSED_DAYS,
        "1",
        "Файлы импорта, которые не загружались (проверка, отказ, брошенный просмотр): сколько дней хранить",
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
        "Почта: защита соединения",
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
    ("sms.method", "GET", "SMS: метод запроса"),
    (
        "sms.body",
        "",
        "SMS: тело запроса к шлюзу с {phone} и {text} (JSON, если начинается с «{»)",
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
    (
        "numbering.doc.resident_application",
        "Б-{n}/{yy}",
        "Номер бланка заявления, напечатанного для жителя",
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

/// Secrets among the settings: stored sealed with the server's key and never shown back
/// in a form (docs/SECURITY.md, «Secrets in settings»). The IMAP password joins them when
/// mail is read.
pub const SECRETS: &[&str] = &["smtp.password", "sms.auth_header"];

pub fn is_secret(key: &str) -> bool {
    SECRETS.contains(&key)
}

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

/// Every known setting at its default.
pub fn defaults() -> BTreeMap<String, String> {
    KNOWN
        .iter()
        .map(|(k, v, _)| (k.to_string(), v.to_string()))
        .collect()
}

/// Numbering scopes with a setting of their own (`numbering.<scope>` in `KNOWN`).
pub fn numbering_scopes() -> Vec<&'static str> {
    KNOWN
        .iter()
        .filter_map(|(k, _, _)| k.strip_prefix("numbering."))
        .collect()
}

/// Checks the organization's details (`ORG_DETAILS` keys; others are ignored): the values to
/// save, trimmed, or an error per wrong detail — nothing is saved when any detail is wrong.
pub fn check_org_details(
    values: &BTreeMap<String, String>,
) -> Result<Vec<(&'static str, String)>, ValidationErrors> {
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut e = crate::organization::validate_details(get);
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
        return Err(e);
    }
    Ok(ORG_DETAILS.iter().map(|k| (*k, get(k))).collect())
}

/// The key of the organization's time zone.
pub const TIME_ZONE_KEY: &str = "org.time_zone";

/// Checks a time zone name (IANA, as `Europe/Moscow`); the error is named after its setting.
pub fn check_time_zone(tz: &str) -> Result<(), ValidationErrors> {
    if tz.parse::<chrono_tz::Tz>().is_err() {
        return Err(ValidationErrors::single(
            TIME_ZONE_KEY,
            format!(
                "Неизвестный часовой пояс «{tz}»: укажите его как Europe/Moscow или Asia/Yekaterinburg."
            ),
        ));
    }
    Ok(())
}

/// Checks numbering patterns (`scope` → pattern) of the known scopes: the settings to save,
/// normalized, or errors named `numbering.<scope>`.
pub fn check_numbering(
    patterns: &BTreeMap<String, String>,
) -> Result<Vec<(&'static str, String)>, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut pairs = Vec::new();
    for (key, _, _) in KNOWN {
        let Some(scope) = key.strip_prefix("numbering.") else {
            continue;
        };
        let value = patterns
            .get(scope)
            .map(|v| v.trim().to_string())
            .unwrap_or_default();
        match crate::numbering::NumberScheme::parse(&value) {
            Ok(s) => pairs.push((*key, s.pattern().to_string())),
            Err(m) => e.add(key, m),
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_once_with_a_title() {
        let mut keys: Vec<_> = KNOWN.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KNOWN.len());
        assert!(KNOWN.iter().all(|(_, _, t)| !t.is_empty()));
        assert!(ORG_DETAILS.iter().all(|k| default_of(k).is_some()));
    }

    #[test]
    fn day_counts_fall_back_to_their_default() {
        assert_eq!(days(UPLOADS_KEEP_DAYS, "7"), 7);
        assert_eq!(days(UPLOADS_KEEP_DAYS, ""), 30);
        assert_eq!(days(UPLOADS_KEEP_DAYS, "0"), 30);
        assert_eq!(days(UPLOADS_UNUSED_DAYS, "неделя"), 1);
        assert!(check_days(UPLOADS_KEEP_DAYS, " 90 ").is_ok());
        assert!(check_days(UPLOADS_KEEP_DAYS, "").is_ok());
        let e = check_days(UPLOADS_KEEP_DAYS, "-1").unwrap_err();
        assert!(e.contains("целое число дней от 1 до 3650"), "{e}");
    }

    #[test]
    fn numbering_scopes_are_checked_in_catalogue_order() {
        let all: BTreeMap<String, String> = numbering_scopes()
            .into_iter()
            .map(|s| {
                (
                    s.to_string(),
                    default_of(&format!("numbering.{s}")).unwrap().into(),
                )
            })
            .collect();
        let pairs = check_numbering(&all).unwrap();
        assert_eq!(pairs.len(), numbering_scopes().len());
        let mut bad = all.clone();
        bad.insert("incoming".into(), "{bad}".into());
        let e = check_numbering(&bad).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "numbering.incoming");
    }
}
