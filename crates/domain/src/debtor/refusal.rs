//! What a move of a debtor's case, a notice's delivery or an installment plan is refused
//! for. The checks of what was entered need nothing stored; the refusals found against the
//! case are found by storage and come back as a [`DebtCaseRefusal`] with the facts, told
//! here.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Stage;
use crate::ValidationErrors;

/// How a notice may reach the debtor.
pub const DELIVERY_METHODS: [&str; 4] = ["post", "hand", "email", "sms"];

/// A refusal found against the stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DebtCaseRefusal {
    /// The move is dated before the stage the case is at.
    BeforeCurrentStage {
        current: NaiveDate,
    },
    /// A plan agreed on `agreed_on` (as stored) suspends the work.
    PlanActive {
        agreed_on: String,
    },
    /// «Вручено уведомление» without any notice issued.
    NoNotice,
    NotANotice {
        document_id: i64,
    },
    NoAccount {
        account_id: i64,
    },
    NothingOwed {
        number: String,
    },
    /// The case ended (repaid, written off) and there is no new debt to open another.
    NothingOwedForNewCase {
        number: String,
    },
    PlanExists,
    NoActivePlan,
    /// A court record or a collection before the case has any stage.
    NoCaseYet,
}

impl DebtCaseRefusal {
    pub fn field(&self) -> &'static str {
        match self {
            DebtCaseRefusal::BeforeCurrentStage { .. } => "on",
            DebtCaseRefusal::PlanActive { .. }
            | DebtCaseRefusal::NothingOwedForNewCase { .. }
            | DebtCaseRefusal::NoCaseYet => "stage",
            DebtCaseRefusal::NoNotice | DebtCaseRefusal::NotANotice { .. } => "document_id",
            DebtCaseRefusal::NoAccount { .. } | DebtCaseRefusal::NothingOwed { .. } => {
                "account_ids"
            }
            DebtCaseRefusal::PlanExists => "account_id",
            DebtCaseRefusal::NoActivePlan => "plan",
        }
    }

    pub fn message(&self) -> String {
        match self {
            DebtCaseRefusal::BeforeCurrentStage { current } => format!(
                "Дата раньше текущего этапа ({}): этапы идут по порядку.",
                current.format("%d.%m.%Y")
            ),
            DebtCaseRefusal::PlanActive { agreed_on } => format!(
                "Действует рассрочка от {} — работа с должником приостановлена. Если \
                 должник её нарушил, сначала отметьте нарушение рассрочки с причиной.",
                NaiveDate::parse_from_str(agreed_on, "%Y-%m-%d")
                    .map_or(agreed_on.clone(), |d| d.format("%d.%m.%Y").to_string())
            ),
            DebtCaseRefusal::NoNotice => "Сначала выпустите уведомление о задолженности: этап \
                 «Вручено уведомление» опирается на него."
                .into(),
            DebtCaseRefusal::NotANotice { document_id } => {
                format!("Документ {document_id} не уведомление о задолженности по этому счёту.")
            }
            DebtCaseRefusal::NoAccount { account_id } => {
                format!("Лицевого счёта с кодом {account_id} нет.")
            }
            DebtCaseRefusal::NothingOwed { number } => {
                format!("Л/с {number}: долга нет — уведомление не нужно.")
            }
            DebtCaseRefusal::NothingOwedForNewCase { number } => format!(
                "Л/с {number}: прежнее дело закрыто, нового долга нет — новое дело не заводится."
            ),
            DebtCaseRefusal::PlanExists => "По счёту уже действует рассрочка: новая возможна \
                 после её исполнения или нарушения."
                .into(),
            DebtCaseRefusal::NoActivePlan => "Действующей рассрочки по счёту нет.".into(),
            DebtCaseRefusal::NoCaseYet => "Работа с должником по счёту не начата: сначала \
                 переведите дело на этап."
                .into(),
        }
    }
}

impl From<DebtCaseRefusal> for ValidationErrors {
    fn from(r: DebtCaseRefusal) -> Self {
        ValidationErrors::single(r.field(), r.message())
    }
}

/// The stage and date of a move as entered (`on` empty: today).
pub fn check_move(
    stage: &str,
    on: Option<&str>,
    today: NaiveDate,
) -> Result<(Stage, NaiveDate), ValidationErrors> {
    let Some(to) = Stage::from_code(stage) else {
        return Err(ValidationErrors::single(
            "stage",
            format!(
                "Неизвестный этап «{}»: informed, notice_served, limitation, suspension, \
                 court_order_prepared, filed, order_issued, order_cancelled, claim_prepared, \
                 claim_filed, judgment, enforcement, \
                 repaid или written_off.",
                stage.trim()
            ),
        ));
    };
    let on = match on {
        None => today,
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            ValidationErrors::single("on", format!("«{s}» не дата: укажите 2026-11-27."))
        })?,
    };
    if on > today {
        return Err(ValidationErrors::single(
            "on",
            "Дата этапа не может быть в будущем: отметьте этап в день, когда он наступил.",
        ));
    }
    Ok((to, on))
}

/// Stages follow each other in time.
pub fn check_stage_order(on: NaiveDate, current: Option<NaiveDate>) -> Result<(), DebtCaseRefusal> {
    match current {
        Some(current) if on < current => Err(DebtCaseRefusal::BeforeCurrentStage { current }),
        _ => Ok(()),
    }
}

/// An active plan (agreed on `agreed_on`) lets the case move only to «Погашено».
pub fn check_plan_allows(to: Stage, agreed_on: Option<&str>) -> Result<(), DebtCaseRefusal> {
    match agreed_on {
        Some(a) if to != Stage::Repaid => Err(DebtCaseRefusal::PlanActive {
            agreed_on: a.to_string(),
        }),
        _ => Ok(()),
    }
}

/// When the service's norm fee is not set, the threshold cannot be checked: say so instead
/// of «not exceeded».
pub fn explain_missing_norm(mut v: ValidationErrors, service_title: &str) -> ValidationErrors {
    v.0.retain(|f| !(f.field == "service" && f.message.contains("не превышает")));
    v.add(
        "service",
        format!(
            "По услуге «{service_title}» нет начислений по счёту и не задана плата по нормативу: \
             порог ограничения не проверить. Укажите её в настройках расчётов (правила работы \
             с должниками)."
        ),
    );
    v
}

/// Every message names the account, so a refusal of many accounts says whose it is.
pub fn for_account(number: &str, v: ValidationErrors) -> ValidationErrors {
    let mut out = ValidationErrors::new();
    for f in v.0 {
        out.add(&f.field, format!("Л/с {number}: {}", f.message));
    }
    out
}

/// A record missing from a batch of accounts, named by its noun.
pub fn missing_in_batch(noun: &str) -> ValidationErrors {
    ValidationErrors::single("account_ids", format!("Не найден {noun}."))
}

pub fn check_accounts_chosen(count: usize) -> Result<(), ValidationErrors> {
    if count == 0 {
        return Err(ValidationErrors::single(
            "account_ids",
            "Отметьте хотя бы один лицевой счёт.",
        ));
    }
    Ok(())
}

/// How and when a notice issued on `issued` reached the debtor.
pub fn check_delivery(
    method: &str,
    delivered_on: &str,
    issued: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if !DELIVERY_METHODS.contains(&method.trim()) {
        e.add(
            "method",
            "Укажите способ вручения: post (почта), hand (лично), email или sms.",
        );
    }
    match NaiveDate::parse_from_str(delivered_on.trim(), "%Y-%m-%d").ok() {
        None => e.add(
            "delivered_on",
            "Укажите дату вручения в виде 2026-11-27: от неё отсчитываются 20 дней.",
        ),
        Some(d) if d > today => e.add("delivered_on", "Дата вручения не может быть в будущем."),
        Some(d) if issued.is_some_and(|i| d < i) => e.add(
            "delivered_on",
            "Дата вручения раньше даты уведомления: проверьте её.",
        ),
        Some(_) => {}
    }
    e.into_result(())
}

/// A plan as entered against the account's debt; returns (total, first due).
pub fn check_plan(
    total: Option<i64>,
    parts: u32,
    first_due: &str,
    debt: i64,
    today: NaiveDate,
) -> Result<(i64, NaiveDate), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let total = total.unwrap_or(debt);
    if total <= 0 {
        e.add(
            "total",
            "Сумма рассрочки должна быть больше нуля: у счёта нет долга.",
        );
    }
    if !(1..=60).contains(&parts) {
        e.add("parts", "Число платежей — от 1 до 60.");
    }
    let first = NaiveDate::parse_from_str(first_due.trim(), "%Y-%m-%d").ok();
    match first {
        None => e.add(
            "first_due",
            "Укажите дату первого платежа в виде 2026-12-15.",
        ),
        Some(d) if d < today => e.add(
            "first_due",
            "Первый платёж не может быть раньше дня соглашения.",
        ),
        Some(_) => {}
    }
    e.into_result((total, first.unwrap_or(today)))
}

/// A broken plan names how it was broken; returns the reason trimmed.
pub fn check_break_reason(reason: &str) -> Result<&str, ValidationErrors> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ValidationErrors::single(
            "reason",
            "Укажите, чем нарушена рассрочка (например, «пропущен платёж 15.12.2026»).",
        ));
    }
    Ok(reason)
}

/// Every monthly fee at the norm is a positive amount of kopecks.
pub fn check_norm_fees(fees: &BTreeMap<String, i64>) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    for (s, v) in fees {
        if *v <= 0 {
            e.add(
                &format!("fees.{s}"),
                "Плата по нормативу должна быть больше нуля (в копейках).",
            );
        }
    }
    e.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_move_needs_a_known_stage_and_a_past_date() {
        let today = day("2026-11-27");
        assert_eq!(
            check_move("filed", None, today).unwrap(),
            (Stage::Filed, today)
        );
        let e = check_move(" nope ", None, today).unwrap_err();
        assert!(e
            .for_field("stage")
            .unwrap()
            .starts_with("Неизвестный этап «nope»"));
        let e = check_move("filed", Some("27.11.2026"), today).unwrap_err();
        assert_eq!(
            e.for_field("on"),
            Some("«27.11.2026» не дата: укажите 2026-11-27.")
        );
        assert!(check_move("filed", Some("2026-11-28"), today).is_err());
        assert_eq!(
            check_move("filed", Some("2026-11-01"), today).unwrap().1,
            day("2026-11-01")
        );
    }

    #[test]
    fn stages_keep_their_order_and_a_plan_stops_all_but_repayment() {
        let on = day("2026-11-01");
        assert!(check_stage_order(on, None).is_ok());
        assert!(check_stage_order(on, Some(on)).is_ok());
        let r = check_stage_order(on, Some(day("2026-11-02"))).unwrap_err();
        assert_eq!(
            r.message(),
            "Дата раньше текущего этапа (02.11.2026): этапы идут по порядку."
        );
        assert!(check_plan_allows(Stage::Filed, None).is_ok());
        assert!(check_plan_allows(Stage::Repaid, Some("2026-10-01")).is_ok());
        let r = check_plan_allows(Stage::Filed, Some("2026-10-01")).unwrap_err();
        assert_eq!(r.field(), "stage");
        assert!(r
            .message()
            .starts_with("Действует рассрочка от 01.10.2026 —"));
    }

    #[test]
    fn a_missing_norm_replaces_the_threshold_refusal() {
        let mut v = ValidationErrors::single("service", "Долг не превышает порога");
        v.add("on", "другое");
        let v = explain_missing_norm(v, "Электроснабжение");
        assert_eq!(v.0.len(), 2);
        assert_eq!(v.0[0].field, "on");
        assert!(v.0[1]
            .message
            .starts_with("По услуге «Электроснабжение» нет начислений по счёту"));
        let v = for_account("100001", v);
        assert!(v.0.iter().all(|f| f.message.starts_with("Л/с 100001: ")));
        assert!(check_accounts_chosen(0).is_err() && check_accounts_chosen(1).is_ok());
    }

    #[test]
    fn a_delivery_is_known_and_dated_between_notice_and_today() {
        let (issued, today) = (Some(day("2026-11-10")), day("2026-11-27"));
        assert!(check_delivery(" post ", "2026-11-10", issued, today).is_ok());
        let e = check_delivery("pigeon", "x", issued, today).unwrap_err();
        assert!(e.for_field("method").is_some() && e.for_field("delivered_on").is_some());
        let future = check_delivery("hand", "2026-11-28", issued, today).unwrap_err();
        assert_eq!(
            future.for_field("delivered_on"),
            Some("Дата вручения не может быть в будущем.")
        );
        let early = check_delivery("hand", "2026-11-09", issued, today).unwrap_err();
        assert!(early
            .for_field("delivered_on")
            .unwrap()
            .starts_with("Дата вручения раньше"));
        assert!(check_delivery("sms", "2026-11-09", None, today).is_ok());
    }

    #[test]
    fn a_plan_has_a_debt_parts_and_a_first_due_date() {
        let today = day("2026-11-27");
        assert_eq!(
            check_plan(None, 6, "2026-12-15", 600_00, today).unwrap(),
            (600_00, day("2026-12-15"))
        );
        assert_eq!(
            check_plan(Some(100), 60, "2026-11-27", 0, today).unwrap().0,
            100
        );
        let e = check_plan(None, 61, "2026-11-26", 0, today).unwrap_err();
        for f in ["total", "parts", "first_due"] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert!(check_plan(None, 0, "бред", 1, today)
            .unwrap_err()
            .for_field("first_due")
            .is_some());
        assert_eq!(check_break_reason("  пропуск ").unwrap(), "пропуск");
        assert!(check_break_reason(" ").is_err());
    }

    #[test]
    fn norm_fees_are_positive() {
        let mut fees = BTreeMap::from([("electricity".to_string(), 1)]);
        assert!(check_norm_fees(&fees).is_ok());
        fees.insert("gas".into(), 0);
        let e = check_norm_fees(&fees).unwrap_err();
        assert!(e.for_field("fees.gas").is_some() && e.for_field("fees.electricity").is_none());
    }

    #[test]
    fn refusals_name_their_field() {
        let r = DebtCaseRefusal::NothingOwed { number: "1".into() };
        assert_eq!(
            ValidationErrors::from(r).for_field("account_ids"),
            Some("Л/с 1: долга нет — уведомление не нужно.")
        );
        assert_eq!(DebtCaseRefusal::NoActivePlan.field(), "plan");
        assert_eq!(DebtCaseRefusal::PlanExists.field(), "account_id");
    }
}
