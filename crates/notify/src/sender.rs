//! Delivery of one message: e-mail over SMTP (lettre, rustls), SMS through the organization's
//! HTTP gateway. Errors come back as Russian text for the outbox's `last_error`.

use std::time::Duration;

use abonent_domain::outbox::OutboxChannel;
use abonent_storage::outbox::Message;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::{Config, HttpMethod, Security, SmsConfig, SmtpConfig};

/// Longest wait for a server; the lease of a claimed batch is far longer than a batch of
/// these, so a slow server does not let another instance take the message over mid-send.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Sender {
    config: Config,
    http: reqwest::Client,
}

impl Sender {
    pub fn new(config: Config, http: reqwest::Client) -> Sender {
        Sender { config, http }
    }

    /// A client for SMS gateways, shared by the batches of one worker.
    pub fn http_client() -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!("abonent/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Channels set up correctly; messages of the others wait.
    pub fn ready_channels(&self) -> Vec<OutboxChannel> {
        let mut v = Vec::new();
        if matches!(self.config.smtp, Some(Ok(_))) {
            v.push(OutboxChannel::Email);
        }
        if matches!(self.config.sms, Some(Ok(_))) {
            v.push(OutboxChannel::Sms);
        }
        v
    }

    pub async fn send(&self, m: &Message) -> Result<(), String> {
        match m.channel {
            OutboxChannel::Email => match &self.config.smtp {
                Some(Ok(c)) => send_email(c, m).await,
                Some(Err(e)) => Err(format!("Почта настроена неверно: {e}")),
                None => Err("Почта не настроена: укажите адрес SMTP-сервера в настройках.".into()),
            },
            OutboxChannel::Sms => match &self.config.sms {
                Some(Ok(c)) => send_sms(&self.http, c, m).await,
                Some(Err(e)) => Err(format!("SMS-шлюз настроен неверно: {e}")),
                None => Err("SMS-шлюз не настроен: укажите sms.url в настройках.".into()),
            },
        }
    }
}

async fn send_email(c: &SmtpConfig, m: &Message) -> Result<(), String> {
    let to = m
        .recipient
        .parse()
        .map_err(|e| format!("Адрес получателя «{}» неверен: {e}", m.recipient))?;
    let email = lettre::Message::builder()
        .from(c.from.clone())
        .to(to)
        .subject(&m.subject)
        .message_id(None)
        .header(ContentType::TEXT_PLAIN)
        .body(m.body.clone())
        .map_err(|e| format!("Письмо не собрано: {e}"))?;
    let server = format!("{}:{}", c.host, c.port);
    let builder = match c.security {
        Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host),
        Security::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host)
            .map_err(|e| format!("SMTP-сервер {server}: {e}"))?,
        Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host)
            .map_err(|e| format!("SMTP-сервер {server}: {e}"))?,
    };
    let mut builder = builder.port(c.port).timeout(Some(TIMEOUT));
    if let Some(user) = &c.user {
        builder = builder.credentials(Credentials::new(user.clone(), c.password.clone()));
    }
    builder.build().send(email).await.map(|_| ()).map_err(|e| {
        let what = if e.is_response() {
            "не принял письмо"
        } else if e.is_timeout() {
            "не ответил вовремя"
        } else if e.is_tls() {
            "не установил защищённое соединение"
        } else if e.to_string().contains("STARTTLS") {
            "не предлагает STARTTLS (выберите smtp.security = tls или включите STARTTLS на сервере)"
        } else if e.is_client() {
            "— отправка прервана"
        } else {
            "недоступен"
        };
        format!("SMTP-сервер {server} {what}: {}", describe(&e))
    })
}

/// lettre's error with its causes (the cause says "connection refused" or the server reply).
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text
}

fn url_part(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn json_part(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// The template with `{phone}`, `{phone_digits}` and `{text}` filled in, each escaped by
/// `escape`. One pass, so a text containing `{phone}` stays text.
pub fn fill(template: &str, phone: &str, text: &str, escape: fn(&str) -> String) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(template.len() + text.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (value, len) = if tail.starts_with("{phone}") {
            (escape(phone), "{phone}".len())
        } else if tail.starts_with("{phone_digits}") {
            (escape(&digits), "{phone_digits}".len())
        } else if tail.starts_with("{text}") {
            (escape(text), "{text}".len())
        } else {
            ("{".to_string(), 1)
        };
        out.push_str(&value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

async fn send_sms(http: &reqwest::Client, c: &SmsConfig, m: &Message) -> Result<(), String> {
    let url = fill(&c.url, &m.recipient, &m.body, url_part);
    let mut req = match c.method {
        HttpMethod::Get => http.get(&url),
        HttpMethod::Post => {
            let body = c.body.trim();
            let (content_type, body) = if body.is_empty() {
                (
                    "application/x-www-form-urlencoded",
                    fill("phone={phone}&text={text}", &m.recipient, &m.body, url_part),
                )
            } else if body.starts_with('{') || body.starts_with('[') {
                (
                    "application/json",
                    fill(body, &m.recipient, &m.body, json_part),
                )
            } else {
                (
                    "application/x-www-form-urlencoded",
                    fill(body, &m.recipient, &m.body, url_part),
                )
            };
            http.post(&url)
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body)
        }
    };
    if let Some((name, value)) = &c.auth {
        req = req.header(name.as_str(), value.as_str());
    }
    let host = reqwest::Url::parse(&url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let res = req
        .send()
        .await
        .map_err(|e| format!("SMS-шлюз {host} недоступен: {}", describe(&e)))?;
    let status = res.status();
    if status.is_success() {
        return Ok(());
    }
    let text = res.text().await.unwrap_or_default();
    let text: String = text.chars().take(300).collect();
    Err(format!(
        "SMS-шлюз {host} ответил {}: {}",
        status.as_u16(),
        text.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_escape_for_their_place() {
        assert_eq!(
            fill(
                "https://gw/send?to={phone}&d={phone_digits}&msg={text}",
                "+79123456789",
                "Заявка & готово",
                url_part
            ),
            "https://gw/send?to=%2B79123456789&d=79123456789&msg=%D0%97%D0%B0%D1%8F%D0%B2%D0%BA%D0%B0+%26+%D0%B3%D0%BE%D1%82%D0%BE%D0%B2%D0%BE"
        );
        assert_eq!(
            fill(
                r#"{"to": "{phone}", "text": "{text}"}"#,
                "+79123456789",
                "Сказал \"да\"\nи {phone}",
                json_part
            ),
            r#"{"to": "+79123456789", "text": "Сказал \"да\"\nи {phone}"}"#
        );
    }
}
