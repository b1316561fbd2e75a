//! The notification outbox: channels, message states and the retry schedule. Pure: the
//! caller passes the clock reading.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How a message reaches the person.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OutboxChannel {
    Email,
    Sms,
}

impl OutboxChannel {
    pub const ALL: [OutboxChannel; 2] = [OutboxChannel::Email, OutboxChannel::Sms];

    pub fn code(self) -> &'static str {
        match self {
            OutboxChannel::Email => "email",
            OutboxChannel::Sms => "sms",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            OutboxChannel::Email => "Эл. почта",
            OutboxChannel::Sms => "SMS",
        }
    }

    pub fn from_code(code: &str) -> Option<OutboxChannel> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// Where a message is on its way. `Sending` carries a lease: an instance that dies while
/// sending leaves it claimable again once the lease runs out.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    Pending,
    Sending,
    Sent,
    Failed,
    Cancelled,
}

impl OutboxState {
    pub const ALL: [OutboxState; 5] = [
        OutboxState::Pending,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::Failed,
        OutboxState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Cancelled => "cancelled",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            OutboxState::Pending => "Ожидает отправки",
            OutboxState::Sending => "Отправляется",
            OutboxState::Sent => "Отправлено",
            OutboxState::Failed => "Не доставлено",
            OutboxState::Cancelled => "Отменено",
        }
    }

    pub fn from_code(code: &str) -> Option<OutboxState> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// An administrator may send it again now (a sent message is not sent twice, and one
    /// being sent belongs to the instance sending it).
    pub fn can_retry(self) -> bool {
        matches!(
            self,
            OutboxState::Pending | OutboxState::Failed | OutboxState::Cancelled
        )
    }

    pub fn can_cancel(self) -> bool {
        matches!(self, OutboxState::Pending | OutboxState::Failed)
    }
}

/// Attempts before a message is given up, unless the setting says otherwise: with the
/// standard schedule the last one comes about a day and a half after the first.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    At(DateTime<Utc>),
    GiveUp,
}

/// Waits between attempts, growing so that a server down for hours is not hammered; the last
/// step repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    steps: Vec<TimeDelta>,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::standard()
    }
}

impl Backoff {
    /// 1 min, 5 min, 30 min, 2 h, then every 6 h.
    pub fn standard() -> Backoff {
        Backoff {
            steps: vec![
                TimeDelta::minutes(1),
                TimeDelta::minutes(5),
                TimeDelta::minutes(30),
                TimeDelta::hours(2),
                TimeDelta::hours(6),
            ],
        }
    }

    /// A custom schedule; an empty one retries after a minute.
    pub fn new(steps: Vec<TimeDelta>) -> Backoff {
        if steps.is_empty() {
            return Backoff {
                steps: vec![TimeDelta::minutes(1)],
            };
        }
        Backoff { steps }
    }

    /// The wait after the `failures`-th failed attempt (1-based).
    pub fn delay(&self, failures: u32) -> TimeDelta {
        let i = (failures.max(1) as usize - 1).min(self.steps.len() - 1);
        self.steps[i]
    }

    /// After attempt number `attempts` failed at `now`: when to try again, or give up when
    /// `max_attempts` are spent.
    pub fn next(&self, attempts: u32, max_attempts: u32, now: DateTime<Utc>) -> Retry {
        if attempts >= max_attempts.max(1) {
            Retry::GiveUp
        } else {
            Retry::At(now + self.delay(attempts))
        }
    }
}

/// Who the history names for what the sender does by itself (giving a message up).
pub const SENDER: &str = "Отправка уведомлений";

/// The history note of a message given up after `attempts`, with the last error.
pub fn give_up_note(attempts: i64, error: &str) -> String {
    format!("Попыток: {attempts}. {error}")
}

/// A message to queue, as its producer built it: a recipient of the channel's kind, a
/// subject for e-mail, a body.
pub fn check_message(
    channel: OutboxChannel,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<(), crate::ValidationErrors> {
    use crate::ValidationErrors;
    let r = recipient;
    match channel {
        OutboxChannel::Email => {
            let ok = r.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !r.contains(char::is_whitespace)
            });
            if !ok {
                return Err(ValidationErrors::single(
                    "recipient",
                    format!("«{r}» не адрес электронной почты: нужен вид name@example.ru."),
                ));
            }
            if subject.is_empty() {
                return Err(ValidationErrors::single("subject", "Укажите тему письма."));
            }
        }
        OutboxChannel::Sms => {
            let digits = r.strip_prefix('+').unwrap_or("");
            if !(10..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ValidationErrors::single(
                    "recipient",
                    format!("«{r}» не номер телефона для SMS: нужен вид +79123456789."),
                ));
            }
        }
    }
    if body.trim().is_empty() {
        return Err(ValidationErrors::single("body", "Текст сообщения пуст."));
    }
    Ok(())
}

/// An administrator's change the message's stored state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxRefusal {
    Retry(OutboxState),
    Cancel(OutboxState),
}

impl OutboxRefusal {
    pub fn message(self) -> String {
        let (what, state) = match self {
            OutboxRefusal::Retry(s) => ("отправить повторно", s),
            OutboxRefusal::Cancel(s) => ("отменить", s),
        };
        let why = match state {
            OutboxState::Sent => "оно уже отправлено".to_string(),
            OutboxState::Sending => {
                "оно сейчас отправляется: обновите страницу через минуту".to_string()
            }
            other => format!("его состояние — «{}»", other.title().to_lowercase()),
        };
        format!("Сообщение нельзя {what}: {why}.")
    }
}

impl From<OutboxRefusal> for crate::ValidationErrors {
    fn from(r: OutboxRefusal) -> Self {
        crate::ValidationErrors::single("state", r.message())
    }
}

/// Sending again now is allowed in `state`, or refused.
pub fn check_retry(state: OutboxState) -> Result<(), OutboxRefusal> {
    if state.can_retry() {
        Ok(())
    } else {
        Err(OutboxRefusal::Retry(state))
    }
}

/// Cancelling is allowed in `state`, or refused.
pub fn check_cancel(state: OutboxState) -> Result<(), OutboxRefusal> {
    if state.can_cancel() {
        Ok(())
    } else {
        Err(OutboxRefusal::Cancel(state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_checked_by_channel() {
        let email = |r: &str, s: &str, b: &str| check_message(OutboxChannel::Email, r, s, b);
        let sms = |r: &str, b: &str| check_message(OutboxChannel::Sms, r, "", b);
        assert!(email("a@b.ru", "Тема", "Текст").is_ok());
        assert_eq!(
            email("a b@c.ru", "Тема", "Текст")
                .unwrap_err()
                .for_field("recipient"),
            Some("«a b@c.ru» не адрес электронной почты: нужен вид name@example.ru.")
        );
        assert!(email("@c.ru", "Т", "Т").is_err());
        assert!(email("a@cru", "Т", "Т").is_err());
        assert_eq!(
            email("a@b.ru", "", "Т").unwrap_err().for_field("subject"),
            Some("Укажите тему письма.")
        );
        assert!(sms("+79123456789", "Текст").is_ok());
        assert_eq!(
            sms("89123456789", "Т").unwrap_err().for_field("recipient"),
            Some("«89123456789» не номер телефона для SMS: нужен вид +79123456789.")
        );
        assert!(sms("+7912", "Т").is_err());
        assert!(sms("+7912345678x", "Т").is_err());
        assert_eq!(
            sms("+79123456789", "  ").unwrap_err().for_field("body"),
            Some("Текст сообщения пуст.")
        );
    }

    #[test]
    fn retry_and_cancel_follow_the_state() {
        assert!(check_retry(OutboxState::Failed).is_ok());
        assert!(check_cancel(OutboxState::Pending).is_ok());
        let said = |r: Result<(), OutboxRefusal>| {
            crate::ValidationErrors::from(r.unwrap_err())
                .for_field("state")
                .unwrap()
                .to_string()
        };
        assert_eq!(
            said(check_retry(OutboxState::Sent)),
            "Сообщение нельзя отправить повторно: оно уже отправлено."
        );
        assert_eq!(
            said(check_retry(OutboxState::Sending)),
            "Сообщение нельзя отправить повторно: оно сейчас отправляется: обновите страницу через минуту."
        );
        assert_eq!(
            said(check_cancel(OutboxState::Cancelled)),
            "Сообщение нельзя отменить: его состояние — «отменено»."
        );
    }

    #[test]
    fn give_up_note_counts_attempts() {
        assert_eq!(give_up_note(8, "timeout"), "Попыток: 8. timeout");
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn standard_schedule_grows_then_repeats() {
        let b = Backoff::standard();
        let minutes: Vec<i64> = (1..=7).map(|n| b.delay(n).num_minutes()).collect();
        assert_eq!(minutes, [1, 5, 30, 120, 360, 360, 360]);
        assert_eq!(b.delay(0), TimeDelta::minutes(1));
    }

    #[test]
    fn next_attempt_until_the_limit() {
        let b = Backoff::standard();
        let now = at("2026-03-01T10:00:00Z");
        assert_eq!(b.next(1, 8, now), Retry::At(at("2026-03-01T10:01:00Z")));
        assert_eq!(b.next(4, 8, now), Retry::At(at("2026-03-01T12:00:00Z")));
        assert_eq!(b.next(7, 8, now), Retry::At(at("2026-03-01T16:00:00Z")));
        assert_eq!(b.next(8, 8, now), Retry::GiveUp);
        assert_eq!(b.next(9, 8, now), Retry::GiveUp);
        // A limit of zero still allows the one attempt already made.
        assert_eq!(b.next(1, 0, now), Retry::GiveUp);
    }

    #[test]
    fn whole_standard_run_spans_about_a_day_and_a_half() {
        let b = Backoff::standard();
        let total: TimeDelta = (1..DEFAULT_MAX_ATTEMPTS).map(|n| b.delay(n)).sum();
        assert_eq!(total.num_minutes(), 1 + 5 + 30 + 120 + 3 * 360);
    }

    #[test]
    fn custom_and_empty_schedules() {
        let b = Backoff::new(vec![TimeDelta::seconds(1), TimeDelta::seconds(3)]);
        assert_eq!(b.delay(1), TimeDelta::seconds(1));
        assert_eq!(b.delay(5), TimeDelta::seconds(3));
        assert_eq!(Backoff::new(vec![]).delay(3), TimeDelta::minutes(1));
    }

    #[test]
    fn codes_round_trip_and_actions_by_state() {
        for c in OutboxChannel::ALL {
            assert_eq!(OutboxChannel::from_code(c.code()), Some(c));
        }
        for s in OutboxState::ALL {
            assert_eq!(OutboxState::from_code(s.code()), Some(s));
        }
        assert_eq!(OutboxState::from_code("lost"), None);
        assert!(!OutboxState::Sent.can_retry() && !OutboxState::Sent.can_cancel());
        assert!(!OutboxState::Sending.can_retry() && !OutboxState::Sending.can_cancel());
        assert!(OutboxState::Failed.can_retry() && OutboxState::Failed.can_cancel());
        assert!(OutboxState::Cancelled.can_retry() && !OutboxState::Cancelled.can_cancel());
    }
}
