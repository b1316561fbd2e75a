//! Recalculation for a temporary absence (issue 20 §3; ПП 354 раздел VIII): the application
//! is registered as an appeal (its number and deadline) together with its own record; the
//! recalculation is computed by `abonent_domain::absence` from the account's charges for the
//! months away; a specialist approves or refuses with the rule's reason (the applicant gets
//! the answer through the outbox); posting writes the recalculation into the ledger.

use abonent_domain::absence::{
    assess, check_application, words, Absence, AbsenceRules, ApplicationForm, Assessment,
    ChargeLine, LineOutcome, PersonShare,
};
use abonent_domain::appeal::{classify, AppealKind, Channel, Priority};
use abonent_domain::ledger::Period;
use abonent_domain::money::format_rub;
use abonent_domain::quality::Service;
use abonent_domain::tariff::{norm_on, NormBasis};
use abonent_domain::{Role, ValidationErrors};
use abonent_storage::absences::{self, AbsenceRecord, Answer, NewAbsence, PostLine};
use abonent_storage::appeals::notices::Texts;
use abonent_storage::appeals::NewAppeal;
use abonent_storage::registry::{account, link};
use abonent_storage::{ledger, tariffs, Actor};
use chrono::{Days, NaiveDate, TimeZone};
use serde::Serialize;

use crate::{App, AppError};

/// The rules in force (shipped with the program, `data/absence_rules.json`).
pub fn rules() -> AbsenceRules {
    AbsenceRules::default()
}

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// What registering answers: the application and its appeal's number and deadline.
#[derive(Debug, Clone, Serialize)]
pub struct Registered {
    pub id: i64,
    pub appeal_id: i64,
    pub number: String,
    /// The appeal's deadline, UTC.
    pub deadline_at: Option<String>,
    /// The last day to decide by the absence rules.
    pub decide_by: NaiveDate,
}

/// Registers an application: every field checked first (an absence of 5 full days is
/// refused at `returned_on`), then the appeal and the application in one transaction.
pub async fn register(
    app: &App,
    f: &ApplicationForm,
    actor: &Actor,
) -> Result<Registered, AppError> {
    let rules = rules();
    let today = app.today().await?;
    let mut errors = ValidationErrors::default();
    let dates = f.dates(today);
    if let Err(e) = &dates {
        errors.0.extend(e.0.iter().cloned());
    }
    let acc = match account::get(&app.db, f.account_id).await {
        Ok(a) => Some(a),
        Err(abonent_storage::StoreError::NotFound(_)) => {
            errors.add("account_id", "Лицевой счёт не найден");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let services: Vec<String> = ledger::services(&app.db)
        .await?
        .into_iter()
        .map(|s| s.code)
        .collect();
    for (field, list) in [("metered", &f.metered), ("meter_acts", &f.meter_acts)] {
        if let Some(c) = list.iter().find(|c| !services.contains(c)) {
            errors.add(field, format!("Нет такой услуги: «{c}»"));
        }
    }
    let mut persons = f.persons.clone();
    persons.sort_unstable();
    persons.dedup();
    if let Ok((a, documents_on)) = &dates {
        if let Err(e) = check_application(
            &rules,
            a,
            today,
            &f.reason,
            &f.documents,
            *documents_on,
            persons.len(),
        ) {
            errors.0.extend(e.0);
        }
        if let Some(acc) = &acc {
            let registered: Vec<i64> =
                link::registered_in_premises(&app.db, acc.data.premises_id, a.left_on)
                    .await?
                    .into_iter()
                    .map(|l| l.link.data.person_id)
                    .collect();
            if persons.iter().any(|p| !registered.contains(p)) {
                errors.add(
                    "persons",
                    format!(
                        "Отметьте только людей, зарегистрированных в помещении на день выбытия {}",
                        day(a.left_on)
                    ),
                );
            }
        }
    }
    let (Ok((a, documents_on)), Some(acc), true) = (dates, acc, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let calendar = app.appeals.reference(&app.db).await?.calendar.clone();
    let decide_by = calendar.add_working_days(a.applied_on, rules.decision_working_days);
    let substance = format!(
        "Заявление о перерасчёте платы за коммунальные услуги в связи с временным отсутствием \
         с {} по {} ({}). Приложены документы: {}",
        day(a.left_on),
        day(a.returned_on),
        f.reason.trim(),
        f.documents.trim().replace('\n', "; ")
    );
    let zone = app.zone().await?;
    let received_at = (a.applied_on < today)
        .then(|| {
            zone.from_local_datetime(&a.applied_on.and_hms_opt(12, 0, 0)?)
                .earliest()
                .map(|t| t.with_timezone(&chrono::Utc))
        })
        .flatten();
    let appeal = NewAppeal {
        kind: Some(AppealKind::Request),
        channel: Some(f.channel.unwrap_or(Channel::Visit)),
        priority: Some(Priority::Normal),
        account_id: Some(acc.id),
        person_id: persons.first().copied(),
        substance,
        received_at,
        ..Default::default()
    };
    let (prepared, pending) =
        crate::appeals::prepare(app, &appeal, classify(&appeal.substance), actor).await?;
    let new = NewAbsence {
        account_id: acc.id,
        persons,
        left_on: a.left_on,
        returned_on: a.returned_on,
        applied_on: a.applied_on,
        reason: f.reason.clone(),
        documents: f.documents.clone(),
        documents_received_on: documents_on,
        metered: f.metered.clone(),
        meter_acts: f.meter_acts.clone(),
        gas_for_heating: f.gas_for_heating,
        decide_by,
    };
    let id = absences::register(&app.db, &prepared, &new, actor).await?;
    let rec = absences::get(&app.db, id).await?;
    Ok(Registered {
        id,
        appeal_id: rec.appeal_id,
        number: rec.appeal_number,
        deadline_at: pending.deadline_at().map(str::to_string),
        decide_by,
    })
}

/// One line of the computed recalculation, for the card and the API.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub period: Period,
    pub service: String,
    pub service_title: String,
    pub charge_kopecks: i64,
    pub absent_days: u32,
    pub days_in_month: u32,
    /// Absent persons of those the charge is for; `None` — the whole charge.
    pub persons: Option<PersonShare>,
    pub kopecks: i64,
    /// Why the line is not recalculated.
    pub not_recalculated: Option<String>,
}

/// An application with its recalculation as the rules compute it today.
#[derive(Debug, Clone, Serialize)]
pub struct Computed {
    pub record: AbsenceRecord,
    pub full_days: u32,
    pub lines: Vec<LineView>,
    pub total_kopecks: i64,
    /// The reason to refuse from the rules, if there is one.
    pub refusal_reason: Option<String>,
}

fn absence_of(r: &AbsenceRecord) -> Absence {
    Absence {
        left_on: r.data.left_on,
        returned_on: r.data.returned_on,
        applied_on: r.data.applied_on,
    }
}

/// The application `id` and its recalculation from the account's charges for the months
/// away: each service by its rule, the absent persons' share where the charge is by a norm
/// per person.
pub async fn compute(app: &App, id: i64) -> Result<Computed, AppError> {
    let record = absences::get(&app.db, id).await?;
    let a = absence_of(&record);
    let first_away = a.left_on + Days::new(1);
    let last_away = a.returned_on.pred_opt().unwrap_or(a.returned_on);
    let acc = account::get(&app.db, record.data.account_id).await?;
    let prem = abonent_storage::registry::premises::get(&app.db, acc.data.premises_id).await?;
    let group = tariffs::group_of(&app.db, prem.data.building_id).await?;
    let norms: Vec<_> = tariffs::norms(&app.db)
        .await?
        .into_iter()
        .map(|r| r.norm)
        .collect();
    let titles = ledger::services(&app.db).await?;
    let charges = absences::month_charges(
        &app.db,
        record.data.account_id,
        Period::of(first_away),
        Period::of(last_away),
    )
    .await?;
    let mut lines = Vec::with_capacity(charges.len());
    for c in &charges {
        let first = c.period.first_day();
        let per_person = norm_on(&norms, &c.service, group.as_deref(), first)
            .is_some_and(|n| n.per == NormBasis::PerPerson);
        let persons = if per_person {
            let counted = link::registered_in_premises(&app.db, prem.id, first)
                .await?
                .len() as u32;
            Some(PersonShare {
                absent: record.data.persons.len() as u32,
                counted,
            })
        } else {
            None
        };
        lines.push(ChargeLine {
            service: Service::parse(&c.service),
            month: first,
            charge_kopecks: c.kopecks,
            metered: record.data.metered.contains(&c.service),
            meter_impossible_act: record.data.meter_acts.contains(&c.service),
            gas_for_heating: record.data.gas_for_heating,
            persons,
        });
    }
    let calendar = app.appeals.reference(&app.db).await?.calendar.clone();
    let assessment: Assessment = assess(&rules(), &calendar, &a, &lines)?;
    let views = assessment
        .lines
        .iter()
        .zip(&charges)
        .map(|((line, outcome), c)| {
            let (absent_days, days_in_month, kopecks, not) = match outcome {
                LineOutcome::Recalculated {
                    absent_days,
                    days_in_month,
                    kopecks,
                } => (*absent_days, *days_in_month, *kopecks, None),
                LineOutcome::NotRecalculated { reason } => (0, 0, 0, Some(reason.clone())),
            };
            LineView {
                period: c.period,
                service: c.service.clone(),
                service_title: ledger::service_title(&titles, Some(c.service.as_str())),
                charge_kopecks: c.kopecks,
                absent_days,
                days_in_month,
                persons: line.persons,
                kopecks,
                not_recalculated: not,
            }
        })
        .collect();
    Ok(Computed {
        full_days: assessment.full_days,
        total_kopecks: assessment.total_kopecks,
        refusal_reason: assessment.refusal_reason(),
        lines: views,
        record,
    })
}

fn about(r: &AbsenceRecord) -> String {
    format!(
        "Заявление № {} о перерасчёте в связи с временным отсутствием с {} по {}",
        r.appeal_number,
        day(r.data.left_on),
        day(r.data.returned_on)
    )
}

/// Approves the application with the recalculation the rules compute; refused when the
/// rules give a reason to refuse (the specialist refuses with it instead).
/// The appeal the application was registered as is marked done with the answer, its
/// executor being `actor` when nobody executes it; `role` is checked as for any status change.
pub async fn approve(app: &App, id: i64, role: Role, actor: &Actor) -> Result<Computed, AppError> {
    let c = compute(app, id).await?;
    if c.record.status != absences::REGISTERED {
        return Err(AppError::field("status", words::decided(&c.record.status)));
    }
    if let Some(reason) = &c.refusal_reason {
        return Err(AppError::field(
            "decision",
            format!("Одобрить нельзя — откажите по причине: {reason}"),
        ));
    }
    let lines: Vec<PostLine> = c
        .lines
        .iter()
        .filter(|l| l.kopecks > 0)
        .map(|l| PostLine {
            period: l.period.to_string(),
            service: l.service.clone(),
            kopecks: l.kopecks,
        })
        .collect();
    let body = format!(
        "{}: одобрено, перерасчёт {} будет проведён по лицевому счёту {}.",
        about(&c.record),
        format_rub(c.total_kopecks),
        c.record.account_number
    );
    let texts = Texts::load(&app.db).await?;
    absences::approve(
        &app.db,
        id,
        &lines,
        &Answer {
            texts: &texts,
            body: &body,
        },
        role,
        actor,
    )
    .await?;
    compute(app, id).await
}

/// Refuses the application with `reason`, or with the rules' own reason when none is given.
pub async fn refuse(
    app: &App,
    id: i64,
    reason: Option<&str>,
    role: Role,
    actor: &Actor,
) -> Result<Computed, AppError> {
    let c = compute(app, id).await?;
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None => c.refusal_reason.clone().ok_or_else(|| {
            AppError::field(
                "reason",
                "Укажите причину отказа: по правилам перерасчёт положен",
            )
        })?,
    };
    let body = format!("{}: отказано. Причина: {reason}.", about(&c.record));
    let texts = Texts::load(&app.db).await?;
    absences::refuse(
        &app.db,
        id,
        &reason,
        &Answer {
            texts: &texts,
            body: &body,
        },
        role,
        actor,
    )
    .await?;
    compute(app, id).await
}

/// Posts an approved application into the ledger; how many entries were written now (none
/// when it was posted before).
pub async fn post(app: &App, id: i64, actor: &Actor) -> Result<usize, AppError> {
    let r = absences::get(&app.db, id).await?;
    let note = format!(
        "Перерасчёт за временное отсутствие с {} по {}, заявление № {}",
        day(r.data.left_on),
        day(r.data.returned_on),
        r.appeal_number
    );
    let today = app.today().await?;
    Ok(absences::post(&app.db, id, &note, today, actor).await?)
}
