//! The appeal workflow, enforced on the server:
//! registered → assigned → in progress → done → quality checked → closed, plus waiting for
//! the applicant, rejected, duplicate, and reopened (from done or closed, within a window).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::AppealKind;
use crate::{Role, ValidationErrors};

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
pub enum Status {
    Registered,
    Assigned,
    InProgress,
    WaitingForApplicant,
    Done,
    QualityChecked,
    Closed,
    Rejected,
    Duplicate,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::WaitingForApplicant,
        Status::Done,
        Status::QualityChecked,
        Status::Closed,
        Status::Rejected,
        Status::Duplicate,
        Status::Reopened,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::WaitingForApplicant => "waiting_for_applicant",
            Status::Done => "done",
            Status::QualityChecked => "quality_checked",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
            Status::Reopened => "reopened",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            Status::Registered => "Зарегистрировано",
            Status::Assigned => "Назначено исполнителю",
            Status::InProgress => "В работе",
            Status::WaitingForApplicant => "Ожидает заявителя",
            Status::Done => "Выполнено",
            Status::QualityChecked => "Качество проверено",
            Status::Closed => "Закрыто",
            Status::Rejected => "Отклонено",
            Status::Duplicate => "Дубликат",
            Status::Reopened => "Открыто повторно",
        }
    }

    /// No further work is expected (the deadline clock has stopped for good unless reopened).
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Rejected | Status::Duplicate)
    }

    /// Work is still expected: the views' «open» (the clock may be paused).
    pub fn is_open(self) -> bool {
        self.clock_runs() || self == Status::WaitingForApplicant
    }

    /// The deadline clock runs (waiting for the applicant pauses it; done stops it).
    pub fn clock_runs(self) -> bool {
        matches!(
            self,
            Status::Registered | Status::Assigned | Status::InProgress | Status::Reopened
        )
    }
}

/// One requested status change with the facts the rules need.
#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub kind: AppealKind,
    pub from: Status,
    pub to: Status,
    pub role: Role,
    /// An executor (staff, department or contractor) is set after this change.
    pub has_executor: bool,
    /// Why: required to reject, to wait for the applicant, to reopen, to reassign.
    pub reason: Option<&'a str>,
    /// What was done / the answer given: required to mark done.
    pub result: Option<&'a str>,
    /// Quality check outcome, required to pass quality checked.
    pub quality_ok: Option<bool>,
    /// A complaint may close only with a recorded decision.
    pub has_decision: bool,
    /// The appeal this one duplicates.
    pub merged_into: Option<i64>,
    /// When it was done or closed (for the reopen window), local date.
    pub finished_on: Option<NaiveDate>,
    pub today: NaiveDate,
    /// Reopening is allowed this many days after done/closed (a setting).
    pub reopen_window_days: u32,
}

fn filled(s: Option<&str>) -> bool {
    s.is_some_and(|s| !s.trim().is_empty())
}

/// Statuses reachable from `from` for this kind, before role and field checks.
pub fn allowed_targets(kind: AppealKind, from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        Registered if kind.is_informational() => &[
            Assigned,
            InProgress,
            WaitingForApplicant,
            Done,
            Rejected,
            Duplicate,
        ],
        Registered | Reopened => &[
            Assigned,
            InProgress,
            WaitingForApplicant,
            Rejected,
            Duplicate,
        ],
        Assigned => &[
            Assigned,
            InProgress,
            WaitingForApplicant,
            Done,
            Rejected,
            Duplicate,
        ],
        InProgress => &[Assigned, WaitingForApplicant, Done],
        WaitingForApplicant => &[Assigned, InProgress, Rejected],
        Done if kind.is_informational() => &[Closed, Reopened],
        Done => &[QualityChecked, Reopened],
        QualityChecked => &[Closed, Reopened],
        Closed => &[Reopened],
        Rejected | Duplicate => &[],
    }
}

/// Who may move an appeal into `to`. Contractors report on their own work only; nobody
/// checks the quality of their own work; the auditor never writes.
fn role_may(role: Role, to: Status) -> bool {
    use Role::*;
    match role {
        Administrator | Manager | Specialist | Dispatcher => true,
        Contractor => matches!(
            to,
            Status::InProgress | Status::WaitingForApplicant | Status::Done
        ),
        Lawyer | Accountant => matches!(
            to,
            Status::InProgress | Status::WaitingForApplicant | Status::Done | Status::Closed
        ),
        Auditor => false,
    }
}

/// Checks one status change; each problem names the field and says in Russian what to do.
pub fn check_transition(t: &Transition<'_>) -> Result<(), ValidationErrors> {
    let refuse = |why: String| Err(ValidationErrors::single("status", why));
    let (from, to) = (t.from.title(), t.to.title());
    if !allowed_targets(t.kind, t.from).contains(&t.to) {
        return refuse(format!("Из статуса «{from}» нельзя перейти в «{to}»."));
    }
    if !role_may(t.role, t.to) {
        let role = t.role.title();
        return refuse(format!(
            "Роль «{role}» не может переводить обращение в статус «{to}»."
        ));
    }
    let mut e = ValidationErrors::new();
    let needs_reason = matches!(
        t.to,
        Status::Rejected | Status::WaitingForApplicant | Status::Reopened
    ) || (t.to == Status::Assigned
        && t.from != Status::Registered
        && t.from != Status::Reopened);
    if needs_reason && !filled(t.reason) {
        e.add(
            "reason",
            "Укажите причину: она попадёт в историю обращения.",
        );
    }
    if matches!(t.to, Status::Assigned | Status::InProgress) && !t.has_executor {
        e.add(
            "executor",
            "Назначьте исполнителя: отдел, сотрудника или подрядчика.",
        );
    }
    if t.to == Status::Done && !filled(t.result) {
        let what = if t.kind.is_informational() {
            "Запишите данный заявителю ответ."
        } else {
            "Опишите выполненные работы."
        };
        e.add("result", what);
    }
    if t.to == Status::QualityChecked && t.quality_ok != Some(true) {
        e.add(
            "quality_ok",
            "Отметьте результат проверки качества. Если недостаток не устранён, откройте обращение повторно.",
        );
    }
    if t.to == Status::Closed && t.kind == AppealKind::Complaint && !t.has_decision {
        e.add(
            "decision",
            "Жалобу нельзя закрыть без решения: заполните анализ причин и принятое решение.",
        );
    }
    if t.to == Status::Duplicate && t.merged_into.is_none() {
        e.add(
            "merged_into",
            "Укажите обращение, дубликатом которого является это.",
        );
    }
    if t.to == Status::Reopened && t.from == Status::Closed {
        let days = t
            .finished_on
            .map(|d| (t.today - d).num_days())
            .unwrap_or(i64::MAX);
        if days > i64::from(t.reopen_window_days) {
            e.add(
                "status",
                format!(
                    "Обращение закрыто больше {} дн. назад: повторно открыть нельзя, зарегистрируйте новое.",
                    t.reopen_window_days
                ),
            );
        }
    }
    e.into_result(())
}
