//! Delivery settings as the administrator entered them (organization settings `smtp.*`,
//! `sms.*`, `outbox.max_attempts`), parsed once per batch. An empty host or URL means the
//! channel is not set up: its messages wait in the outbox instead of spending attempts.

use std::collections::BTreeMap;

use abonent_domain::outbox::DEFAULT_MAX_ATTEMPTS;
use abonent_domain::ValidationErrors;
use lettre::message::Mailbox;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a relay inside the organization's network).
    None,
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Log in with these when a user is set.
    pub user: Option<String>,
    pub password: String,
    pub from: Mailbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

#[derive(Debug, Clone)]
pub struct SmsConfig {
    /// With `{phone}`, `{phone_digits}` and `{text}`, substituted URL-encoded.
    pub url: String,
    pub method: HttpMethod,
    /// POST body template; JSON when it starts with `{` or `[`, else form-encoded.
    pub body: String,
    /// Header name and value sent with every request.
    pub auth: Option<(String, String)>,
}

/// Everything the sender needs. `None`: the channel is not set up; `Some(Err)`: set up
/// wrongly, with the reason in Russian.
#[derive(Debug, Clone)]
pub struct Config {
    pub smtp: Option<Result<SmtpConfig, String>>,
    pub sms: Option<Result<SmsConfig, String>>,
    pub max_attempts: u32,
}

impl Config {
    pub fn from_settings(s: &BTreeMap<String, String>) -> Config {
        let mut e = ValidationErrors::new();
        let smtp = smtp(s, &mut e);
        let sms = sms(s, &mut e);
        let max_attempts = max_attempts(s, &mut e);
        let errors = |prefix: &str| {
            e.0.iter()
                .filter(|f| f.field.starts_with(prefix))
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join(" ")
        };
        Config {
            smtp: checked(smtp, errors("smtp.")),
            sms: checked(sms, errors("sms.")),
            max_attempts,
        }
    }
}

fn checked<T>(v: Option<T>, errors: String) -> Option<Result<T, String>> {
    v.map(|c| {
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(errors)
        }
    })
}

/// Field errors for the settings form, keyed by setting name.
pub fn check(s: &BTreeMap<String, String>) -> ValidationErrors {
    let mut e = ValidationErrors::new();
    smtp(s, &mut e);
    sms(s, &mut e);
    max_attempts(s, &mut e);
    e
}

fn val<'a>(s: &'a BTreeMap<String, String>, key: &str) -> &'a str {
    s.get(key).map(|v| v.trim()).unwrap_or("")
}

/// The SMTP settings when a host is given (errors go to `e`; the result then has defaults).
fn smtp(s: &BTreeMap<String, String>, e: &mut ValidationErrors) -> Option<SmtpConfig> {
    let host = val(s, "smtp.host");
    if host.is_empty() {
        return None;
    }
    if host.contains(['/', ' ', ':']) {
        e.add(
            "smtp.host",
            "Укажите только имя сервера, например smtp.yandex.ru (порт — отдельной настройкой).",
        );
    }
    let security = match val(s, "smtp.security").to_lowercase().as_str() {
        "" | "starttls" => Security::StartTls,
        "tls" | "ssl" => Security::Tls,
        "none" | "нет" => Security::None,
        other => {
            e.add(
                "smtp.security",
                format!("«{other}» — не способ защиты: выберите «нет», STARTTLS или TLS."),
            );
            Security::StartTls
        }
    };
    let default_port = match security {
        Security::None => 25,
        Security::StartTls => 587,
        Security::Tls => 465,
    };
    let port = match val(s, "smtp.port") {
        "" => default_port,
        p => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => {
                e.add(
                    "smtp.port",
                    format!("«{p}» — не порт: нужно число от 1 до 65535, обычно 587 или 465."),
                );
                default_port
            }
        },
    };
    let from = match val(s, "smtp.from") {
        "" => {
            e.add(
                "smtp.from",
                "Укажите адрес отправителя писем, например «УК Дом <noreply@uk-dom.ru>».",
            );
            None
        }
        f => match f.parse::<Mailbox>() {
            Ok(m) => Some(m),
            Err(_) => {
                e.add(
                    "smtp.from",
                    format!("«{f}» — не адрес: нужен вид noreply@uk-dom.ru или «УК Дом <noreply@uk-dom.ru>»."),
                );
                None
            }
        },
    };
    let user = Some(val(s, "smtp.user").to_string()).filter(|u| !u.is_empty());
    Some(SmtpConfig {
        host: host.to_string(),
        port,
        security,
        user,
        // Passwords may start or end with spaces: kept as entered.
        password: s.get("smtp.password").cloned().unwrap_or_default(),
        from: from.unwrap_or_else(|| {
            Mailbox::new(
                None,
                "invalid@invalid.invalid".parse().expect("constant address"),
            )
        }),
    })
}

fn sms(s: &BTreeMap<String, String>, e: &mut ValidationErrors) -> Option<SmsConfig> {
    let url = val(s, "sms.url");
    if url.is_empty() {
        return None;
    }
    let method = match val(s, "sms.method").to_uppercase().as_str() {
        "" | "GET" => HttpMethod::Get,
        "POST" => HttpMethod::Post,
        other => {
            e.add(
                "sms.method",
                format!("«{other}» — не метод: укажите GET или POST."),
            );
            HttpMethod::Get
        }
    };
    let sample = url
        .replace("{phone}", "%2B79120000000")
        .replace("{phone_digits}", "79120000000")
        .replace("{text}", "x");
    match url::Url::parse(&sample) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        _ => e.add(
            "sms.url",
            "Укажите адрес шлюза целиком: https://sms.example.ru/send?to={phone}&text={text}.",
        ),
    }
    let body = val(s, "sms.body").to_string();
    let mentions = |t: &str| t.contains("{phone") && t.contains("{text}");
    if method == HttpMethod::Get && !mentions(url) {
        e.add(
            "sms.url",
            "В адресе для GET нужны подстановки {phone} (или {phone_digits}) и {text}.",
        );
    }
    if method == HttpMethod::Post && !body.is_empty() && !mentions(&body) && !mentions(url) {
        e.add(
            "sms.body",
            "В теле запроса нужны подстановки {phone} (или {phone_digits}) и {text}.",
        );
    }
    let auth = match val(s, "sms.auth_header") {
        "" => None,
        h => Some(parse_header(h)),
    };
    Some(SmsConfig {
        url: url.to_string(),
        method,
        body,
        auth,
    })
}

/// `X-Api-Key: 123` names its header; anything else (`Bearer 123`) is an Authorization value.
fn parse_header(h: &str) -> (String, String) {
    if let Some((name, value)) = h.split_once(':') {
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if token {
            return (name.to_string(), value.trim().to_string());
        }
    }
    ("Authorization".to_string(), h.to_string())
}

fn max_attempts(s: &BTreeMap<String, String>, e: &mut ValidationErrors) -> u32 {
    match val(s, "outbox.max_attempts") {
        "" => DEFAULT_MAX_ATTEMPTS,
        v => match v.parse::<u32>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => {
                e.add(
                    "outbox.max_attempts",
                    format!("«{v}» — не число попыток: укажите от 1 до 50 (обычно 8)."),
                );
                DEFAULT_MAX_ATTEMPTS
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_settings_leave_channels_off() {
        let c = Config::from_settings(&settings(&[("smtp.security", "starttls")]));
        assert!(c.smtp.is_none() && c.sms.is_none());
        assert_eq!(c.max_attempts, DEFAULT_MAX_ATTEMPTS);
        assert!(check(&settings(&[])).is_empty());
    }

    #[test]
    fn smtp_ports_follow_security_and_from_keeps_a_russian_name() {
        let c = Config::from_settings(&settings(&[
            ("smtp.host", "smtp.uk-dom.ru"),
            ("smtp.security", "tls"),
            ("smtp.user", "noreply"),
            ("smtp.from", "УК Дом <noreply@uk-dom.ru>"),
        ]));
        let smtp = c.smtp.unwrap().unwrap();
        assert_eq!((smtp.port, smtp.security), (465, Security::Tls));
        assert_eq!(smtp.user.as_deref(), Some("noreply"));
        assert_eq!(smtp.from.name.as_deref(), Some("УК Дом"));
        assert_eq!(smtp.from.email.to_string(), "noreply@uk-dom.ru");
        let c = Config::from_settings(&settings(&[
            ("smtp.host", "relay"),
            ("smtp.security", "none"),
            ("smtp.from", "a@b.ru"),
        ]));
        assert_eq!(c.smtp.unwrap().unwrap().port, 25);
    }

    #[test]
    fn bad_smtp_settings_are_named() {
        let s = settings(&[
            ("smtp.host", "smtp.uk-dom.ru:587"),
            ("smtp.port", "порт"),
            ("smtp.security", "ssl3"),
            ("smtp.from", ""),
            ("outbox.max_attempts", "0"),
        ]);
        let e = check(&s);
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "smtp.host",
                "smtp.security",
                "smtp.port",
                "smtp.from",
                "outbox.max_attempts"
            ]
        );
        let c = Config::from_settings(&s);
        let err = c.smtp.unwrap().unwrap_err();
        assert!(err.contains("smtp.port") && err.contains("порт"), "{err}");
    }

    #[test]
    fn sms_templates_and_auth_header() {
        let c = Config::from_settings(&settings(&[
            ("sms.url", "https://gw.example.ru/send"),
            ("sms.method", "post"),
            ("sms.body", r#"{"to": "{phone_digits}", "msg": "{text}"}"#),
            ("sms.auth_header", "X-Api-Key: secret 1"),
        ]));
        let sms = c.sms.unwrap().unwrap();
        assert_eq!(sms.method, HttpMethod::Post);
        assert_eq!(
            sms.auth,
            Some(("X-Api-Key".to_string(), "secret 1".to_string()))
        );
        assert_eq!(
            parse_header("Bearer abc:def"),
            ("Authorization".to_string(), "Bearer abc:def".to_string())
        );
        let e = check(&settings(&[("sms.url", "gw.example.ru/send?to={phone}")]));
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["sms.url", "sms.url"]);
        let e = check(&settings(&[
            ("sms.url", "http://gw/?a={phone}&b={text}"),
            ("sms.method", "PUT"),
        ]));
        assert_eq!(e.0[0].field, "sms.method");
    }
}
