//! Debtor work: bulk notices (one `DebtNotice` PDF per debtor, e-mail and SMS where
//! consented, all or none), installment agreements and the rules of debtor work. The data
//! is gathered by `abonent_storage::ledger::debt_cases`, checked by the engine before any
//! number is taken, then numbered, rendered and stored in one transaction.

use abonent_documents::data::{
    DebtNoticeData, DebtPeriodLine, InstallmentAgreementData, ScheduleLine,
};
use abonent_documents::{DocKind, RenderRequest};
use abonent_domain::debtor::DebtRules;
use abonent_domain::debtor::{self, installment_schedule};
use abonent_domain::ValidationErrors;
use abonent_storage::ledger::debt_cases::{
    self, DebtCase, DebtorFacts, DeliveryForm, DocToIssue, IssuedNotice, MoveRequest, NormFees,
    Notice, Plan, PlanForm,
};
use abonent_storage::ledger::reference;
use abonent_storage::{Actor, StoreError};

use crate::documents::{engine, organization, render_error, template_of};
use crate::{App, AppError};

fn notice_data(f: &DebtorFacts) -> serde_json::Value {
    let d = DebtNoticeData {
        account: f.number.clone(),
        address: f.address.clone(),
        debtor: f.debtor.clone(),
        as_of: f.as_of,
        lines: f
            .lines
            .iter()
            .map(|l| DebtPeriodLine {
                period: l.period_title.clone(),
                service: l.service.clone(),
                amount_kopecks: l.amount,
            })
            .collect(),
        total_kopecks: f.debt,
        penalties_kopecks: f.penalties,
        notice_days: f.rules.notice_days,
        services_to_limit: f.limitable.clone(),
        extra: Default::default(),
    };
    serde_json::to_value(d).unwrap_or_default()
}

/// Prefixes each message with the account, so a bulk refusal names it.
fn named(e: ValidationErrors, number: &str, into: &mut ValidationErrors) {
    for f in e.0 {
        into.add(&f.field, format!("Л/с {number}: {}", f.message));
    }
}

/// One notice per account, all or none. Every refusal names its account.
pub async fn issue_notices(
    app: &App,
    account_ids: &[i64],
    actor: &Actor,
) -> Result<Vec<IssuedNotice>, AppError> {
    let (db, today) = (&app.db, app.today().await?);
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<i64> = account_ids
        .iter()
        .copied()
        .filter(|i| seen.insert(*i))
        .collect();
    if ids.is_empty() {
        return Err(AppError::Invalid(ValidationErrors::single(
            "account_ids",
            "Отметьте хотя бы один лицевой счёт.",
        )));
    }
    let org = organization(db).await?;
    let template = template_of(db, DocKind::DebtNotice).await?;
    let over = template.as_ref().map(|(s, _)| s.as_str());
    let req = |data: serde_json::Value, number: &str| RenderRequest {
        kind: DocKind::DebtNotice,
        template_override: over,
        org: &org,
        data,
        reg_number: number.to_string(),
        issued_on: today,
    };
    let mut errors = ValidationErrors::new();
    let mut items = Vec::new();
    for id in ids {
        let f = match debt_cases::debtor_facts(db, id, today).await {
            Ok(f) => f,
            Err(StoreError::NotFound(_)) => {
                errors.add(
                    "account_ids",
                    format!(
                        "Один из отмеченных счетов не найден (внутренний № {id}): обновите \
                         список должников и отметьте счета снова."
                    ),
                );
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if f.debt <= 0 {
            errors.add(
                "account_ids",
                format!("Л/с {}: долга нет — уведомление не нужно.", f.number),
            );
            continue;
        }
        let data = notice_data(&f);
        match engine().validate(&req(data.clone(), "")) {
            Ok(()) => {}
            Err(e) => match render_error(e, DocKind::DebtNotice) {
                StoreError::Invalid(v) => {
                    named(v, &f.number, &mut errors);
                    continue;
                }
                other => return Err(other.into()),
            },
        }
        let doc = DocToIssue {
            data,
            org: serde_json::to_value(&org).unwrap_or_default(),
            template_version_id: template.as_ref().map(|(_, v)| *v),
        };
        items.push((f, doc));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(
        debt_cases::issue_notices(db, &items, today, actor, |doc, number| {
            engine()
                .render(&req(doc.data.clone(), number))
                .map_err(|e| render_error(e, DocKind::DebtNotice))
        })
        .await?,
    )
}

/// Agrees an installment plan and issues its agreement with the schedule.
pub async fn create_plan(
    app: &App,
    account_id: i64,
    form: &PlanForm,
    actor: &Actor,
) -> Result<Plan, AppError> {
    let (db, today) = (&app.db, app.today().await?);
    let facts = debt_cases::debtor_facts(db, account_id, today).await?;
    let (total, first) =
        debtor::check_plan(form.total, form.parts, &form.first_due, facts.debt, today)?;
    let Some(debtor) = facts.debtor.clone() else {
        return Err(AppError::Invalid(ValidationErrors::single(
            "account_id",
            "У счёта нет собственника или нанимателя: соглашение не с кем заключить.",
        )));
    };
    let data = InstallmentAgreementData {
        account: facts.number.clone(),
        address: facts.address.clone(),
        debtor,
        total_kopecks: total,
        schedule: installment_schedule(total, form.parts, first)
            .into_iter()
            .map(|i| ScheduleLine {
                due: i.due,
                amount_kopecks: i.amount,
            })
            .collect(),
        extra: Default::default(),
    };
    let data = serde_json::to_value(data).unwrap_or_default();
    let org = organization(db).await?;
    let template = template_of(db, DocKind::InstallmentAgreement).await?;
    let req = |number: &str| RenderRequest {
        kind: DocKind::InstallmentAgreement,
        template_override: template.as_ref().map(|(s, _)| s.as_str()),
        org: &org,
        data: data.clone(),
        reg_number: number.to_string(),
        issued_on: today,
    };
    engine()
        .validate(&req(""))
        .map_err(|e| AppError::from(render_error(e, DocKind::InstallmentAgreement)))?;
    let doc = DocToIssue {
        data: data.clone(),
        org: serde_json::to_value(&org).unwrap_or_default(),
        template_version_id: template.as_ref().map(|(_, v)| *v),
    };
    Ok(debt_cases::create_plan(
        db,
        &facts,
        &PlanForm {
            total: Some(total),
            ..form.clone()
        },
        &doc,
        today,
        actor,
        |number| {
            engine()
                .render(&req(number))
                .map_err(|e| render_error(e, DocKind::InstallmentAgreement))
        },
    )
    .await?)
}

/// Store new versions of the debt rules and/or the norm fees, with their source. Both are
/// checked before either is stored: nothing half-saved.
pub async fn save_rules(
    app: &App,
    rules: Option<&DebtRules>,
    norm_fees: Option<&NormFees>,
    source: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    if rules.is_none() && norm_fees.is_none() {
        return Err(AppError::field("rules", "Передайте rules и/или norm_fees."));
    }
    if let Some(f) = norm_fees {
        debtor::check_norm_fees(&f.fees)?;
    }
    if source.trim().is_empty() {
        return Err(AppError::field(
            "source",
            "Укажите основание изменения: документ, постановление или приказ.",
        ));
    }
    if let Some(rules) = rules {
        reference::save_debt_rules(&app.db, rules, source, actor).await?;
    }
    if let Some(f) = norm_fees {
        debt_cases::save_norm_fees(&app.db, f, source, actor).await?;
    }
    Ok(())
}

/// Move an account's case to a stage (the storage checks the stage order as of today).
pub async fn move_stage(
    app: &App,
    account_id: i64,
    req: &MoveRequest,
    actor: &Actor,
) -> Result<DebtCase, AppError> {
    let today = app.today().await?;
    Ok(debt_cases::move_stage(&app.db, account_id, req, today, actor).await?)
}

/// Move many cases to one stage, all or none; returns how many moved.
pub async fn move_many(
    app: &App,
    account_ids: &[i64],
    req: &MoveRequest,
    actor: &Actor,
) -> Result<usize, AppError> {
    let today = app.today().await?;
    Ok(debt_cases::move_many(&app.db, account_ids, req, today, actor).await?)
}

/// Record how and when a notice reached the debtor.
pub async fn record_delivery(
    app: &App,
    notice_id: i64,
    f: &DeliveryForm,
    actor: &Actor,
) -> Result<Notice, AppError> {
    let today = app.today().await?;
    Ok(debt_cases::record_delivery(&app.db, notice_id, f, today, actor).await?)
}

/// End an account's installment plan early, with the reason.
pub async fn break_plan(
    app: &App,
    account_id: i64,
    reason: &str,
    actor: &Actor,
) -> Result<DebtCase, AppError> {
    let today = app.today().await?;
    Ok(debt_cases::break_plan(&app.db, account_id, reason, today, actor).await?)
}

/// Save what the court decided on the account's current case: the court's case number, the
/// decision date, the sums awarded, the writ and its submission to the bailiffs (ФССП).
pub async fn save_court_record(
    app: &App,
    account_id: i64,
    f: &debtor::CourtRecordForm,
    actor: &Actor,
) -> Result<DebtCase, AppError> {
    let today = app.today().await?;
    let r = f.validate(today)?;
    Ok(debt_cases::save_court_record(&app.db, account_id, &r, today, actor).await?)
}

/// Record a sum collected under the decision of the account's current case.
pub async fn record_collection(
    app: &App,
    account_id: i64,
    f: &debtor::CollectionForm,
    actor: &Actor,
) -> Result<DebtCase, AppError> {
    let today = app.today().await?;
    let c = debtor::check_collection(f, today)?;
    Ok(debt_cases::record_collection(&app.db, account_id, c, today, actor).await?)
}
