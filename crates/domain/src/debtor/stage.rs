//! Stages of work with a debtor, each dated, with the person who moved it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::DebtRules;
use crate::ValidationErrors;

/// «20 дней», «21 день».
const DAYS: [&str; 3] = ["день", "дня", "дней"];

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
pub enum Stage {
    Informed,
    NoticeServed,
    Limitation,
    Suspension,
    CourtOrderPrepared,
    Filed,
    OrderIssued,
    OrderCancelled,
    /// An action brought in the claim procedure (исковое заявление): after a cancelled
    /// order, or for a claim above the court-order limit (ГПК ст. 121, 129).
    ClaimPrepared,
    ClaimFiled,
    /// The court's decision on the claim.
    Judgment,
    Enforcement,
    Repaid,
    WrittenOff,
}

impl Stage {
    pub const ALL: [Stage; 14] = [
        Stage::Informed,
        Stage::NoticeServed,
        Stage::Limitation,
        Stage::Suspension,
        Stage::CourtOrderPrepared,
        Stage::Filed,
        Stage::OrderIssued,
        Stage::OrderCancelled,
        Stage::ClaimPrepared,
        Stage::ClaimFiled,
        Stage::Judgment,
        Stage::Enforcement,
        Stage::Repaid,
        Stage::WrittenOff,
    ];

    /// The stages a case may start with (the first case of an account, or a new one after
    /// an earlier case ended).
    pub const OPENING: [Stage; 4] = [
        Stage::Informed,
        Stage::NoticeServed,
        Stage::CourtOrderPrepared,
        Stage::ClaimPrepared,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Informed => "informed",
            Stage::NoticeServed => "notice_served",
            Stage::Limitation => "limitation",
            Stage::Suspension => "suspension",
            Stage::CourtOrderPrepared => "court_order_prepared",
            Stage::Filed => "filed",
            Stage::OrderIssued => "order_issued",
            Stage::OrderCancelled => "order_cancelled",
            Stage::ClaimPrepared => "claim_prepared",
            Stage::ClaimFiled => "claim_filed",
            Stage::Judgment => "judgment",
            Stage::Enforcement => "enforcement",
            Stage::Repaid => "repaid",
            Stage::WrittenOff => "written_off",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    pub fn title(self) -> &'static str {
        match self {
            Stage::Informed => "Проинформирован",
            Stage::NoticeServed => "Вручено уведомление",
            Stage::Limitation => "Ограничение услуги",
            Stage::Suspension => "Приостановление услуги",
            Stage::CourtOrderPrepared => "Подготовлено заявление о выдаче судебного приказа",
            Stage::Filed => "Заявление подано в суд",
            Stage::OrderIssued => "Судебный приказ выдан",
            Stage::OrderCancelled => "Судебный приказ отменён",
            Stage::ClaimPrepared => "Подготовлено исковое заявление",
            Stage::ClaimFiled => "Исковое заявление подано в суд",
            Stage::Judgment => "Решение суда вынесено",
            Stage::Enforcement => "Исполнительное производство",
            Stage::Repaid => "Долг погашен",
            Stage::WrittenOff => "Долг списан",
        }
    }

    /// Repaid and written off end a case.
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Repaid | Stage::WrittenOff)
    }

    /// Stages that may follow this one. Any open stage may end in repayment or write-off;
    /// an ended case is followed by a new case (a new debt), which starts like the first.
    /// After a cancelled court order the claim goes to the claim procedure (ГПК ст. 129).
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Informed => &[
                NoticeServed,
                CourtOrderPrepared,
                ClaimPrepared,
                Repaid,
                WrittenOff,
            ],
            NoticeServed => &[
                Limitation,
                CourtOrderPrepared,
                ClaimPrepared,
                Repaid,
                WrittenOff,
            ],
            Limitation => &[
                Suspension,
                CourtOrderPrepared,
                ClaimPrepared,
                Repaid,
                WrittenOff,
            ],
            Suspension => &[CourtOrderPrepared, ClaimPrepared, Repaid, WrittenOff],
            CourtOrderPrepared => &[Filed, Repaid, WrittenOff],
            Filed => &[OrderIssued, OrderCancelled, Repaid, WrittenOff],
            OrderIssued => &[Enforcement, OrderCancelled, Repaid, WrittenOff],
            OrderCancelled => &[ClaimPrepared, Repaid, WrittenOff],
            ClaimPrepared => &[ClaimFiled, Repaid, WrittenOff],
            ClaimFiled => &[Judgment, Repaid, WrittenOff],
            Judgment => &[Enforcement, Repaid, WrittenOff],
            Enforcement => &[Repaid, WrittenOff],
            Repaid | WrittenOff => &Stage::OPENING,
        }
    }
}

/// A requested stage change and the facts the law asks for.
#[derive(Debug, Clone)]
pub struct StageChange<'a> {
    /// `None` for the first stage of a case.
    pub from: Option<Stage>,
    pub to: Stage,
    pub on: NaiveDate,
    /// When the notice was delivered (starts the 20 days).
    pub notice_delivered: Option<NaiveDate>,
    /// When limitation began (suspension follows it).
    pub limited_on: Option<NaiveDate>,
    /// The service to limit or suspend.
    pub service: Option<&'a str>,
    /// That service may be limited or suspended at all (the services reference data,
    /// `services.may_suspend`; ПП 354 п. 119: not heating, not cold water).
    pub may_suspend: bool,
    /// The threshold of ПП 354 п. 117 is exceeded for that service.
    pub threshold_exceeded: bool,
    /// Claim in kopecks (court order limit).
    pub claim: i64,
    pub reason: Option<&'a str>,
}

/// Checks a stage change; each refusal names the field and says what the law requires.
pub fn check_stage_change(c: &StageChange<'_>, rules: &DebtRules) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let allowed = match c.from {
        None => Stage::OPENING.contains(&c.to),
        Some(f) => f.next().contains(&c.to),
    };
    if !allowed {
        let from = c.from.map_or("начало работы", Stage::title);
        return Err(ValidationErrors::single(
            "stage",
            format!("Из этапа «{from}» нельзя перейти к «{}».", c.to.title()),
        ));
    }
    if matches!(c.to, Stage::Limitation | Stage::Suspension) {
        match c.service {
            None => e.add("service", "Укажите услугу, которую ограничивают или приостанавливают."),
            Some(_) if !c.may_suspend => e.add(
                "service",
                "Эту услугу не ограничивают и не приостанавливают: в справочнике услуг у неё не отмечено «Можно приостановить» (ПП 354 п. 119: отопление и холодное водоснабжение в многоквартирном доме — никогда).",
            ),
            Some(_) => {}
        }
        if !c.threshold_exceeded {
            e.add(
                "service",
                format!(
                    "Долг по услуге не превышает {} ежемесячных размеров платы по нормативу (ПП 354 п. 117): ограничивать нельзя.",
                    rules.threshold_monthly_fees
                ),
            );
        }
    }
    if c.to == Stage::Limitation {
        match c.notice_delivered {
            None => e.add(
                "notice_delivered",
                "Сначала вручите уведомление и отметьте дату вручения: от неё отсчитываются 20 дней.",
            ),
            Some(d) if c.on < rules.limitation_from(d) => e.add(
                "on",
                format!(
                    "Ограничение возможно не раньше {}: {} с вручения уведомления ещё не прошли.",
                    rules.limitation_from(d).format("%d.%m.%Y"),
                    crate::money::counted(i64::from(rules.notice_days), DAYS)
                ),
            ),
            Some(_) => {}
        }
    }
    if c.to == Stage::Suspension {
        if let Some(l) = c.limited_on.filter(|&l| c.on < rules.suspension_from(l)) {
            e.add(
                "on",
                format!(
                    "Приостановление возможно не раньше {} — через {} после ограничения.",
                    rules.suspension_from(l).format("%d.%m.%Y"),
                    crate::money::counted(i64::from(rules.suspension_after_days), DAYS)
                ),
            );
        }
    }
    if c.to == Stage::CourtOrderPrepared && c.claim > rules.court_order_limit {
        e.add(
            "claim",
            "Сумма требования больше 500 000 ₽: судебный приказ невозможен, нужен иск (ГПК ст. 121).",
        );
    }
    // A claim that fits a court order goes there first (ГПК ст. 121, 122; courts return a
    // claim that should have been an order); after a cancelled order it is a claim.
    if c.to == Stage::ClaimPrepared
        && c.from != Some(Stage::OrderCancelled)
        && c.claim <= rules.court_order_limit
    {
        e.add(
            "claim",
            format!(
                "Требование не больше {} взыскивается судебным приказом (ГПК ст. 121, 122): \
                 исковое заявление — после отмены приказа или при большей сумме.",
                crate::money::format_rub(rules.court_order_limit)
            ),
        );
    }
    if matches!(c.to, Stage::WrittenOff | Stage::OrderCancelled)
        && c.reason.is_none_or(|r| r.trim().is_empty())
    {
        e.add(
            "reason",
            "Укажите основание: оно попадёт в историю работы с должником.",
        );
    }
    e.into_result(())
}
