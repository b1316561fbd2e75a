//! A charges file (начисления): checked line by line against the registry before anything
//! is stored, then committed all or nothing as a job.

use std::collections::HashSet;

use abonent_domain::ledger::EntryKind;
use abonent_domain::money::{format_amount, format_count};
use abonent_import::charges::{map_charges, ChargeKind, ChargeMapping, ServiceName};
use abonent_import::RowError;
use abonent_storage::ledger::charges::{self, ChargeLine, ChargesSummary, FileMeta};
use abonent_storage::ledger::reference;
use abonent_storage::registry::import::existing_account_numbers;
use abonent_storage::{uploads, Actor};
use serde::Serialize;

use super::{duplicate_of, file_error};
use crate::jobs::Report;
use crate::{App, AppError};

#[derive(Debug, Serialize)]
pub struct ChargesPreview {
    pub upload_id: i64,
    pub file_name: String,
    pub encoding: String,
    pub headers: Vec<String>,
    pub mapping: ChargeMapping,
    pub total_rows: usize,
    pub valid_rows: usize,
    pub errors: Vec<RowError>,
    pub sample: Vec<Vec<String>>,
    /// Set when this file was loaded before: it cannot be loaded again.
    pub duplicate: Option<String>,
    pub charged: i64,
    pub recalculated: i64,
    pub opening: i64,
    #[serde(skip)]
    pub lines: Vec<ChargeLine>,
    #[serde(skip)]
    pub sha256: String,
}

/// The mapping to use: given, saved from the last file, or guessed from the headers.
async fn charge_mapping(
    app: &App,
    given: Option<ChargeMapping>,
    headers: &[String],
) -> Result<ChargeMapping, AppError> {
    if let Some(m) = given {
        return Ok(m);
    }
    if let Some(v) = reference::charge_mapping(&app.db).await? {
        if let Ok(m) = serde_json::from_value::<ChargeMapping>(v) {
            if m.0.values().all(|c| *c < headers.len()) && !m.0.is_empty() {
                return Ok(m);
            }
        }
    }
    Ok(ChargeMapping::guess(headers))
}

/// The services a charges file may name, as the administrator keeps them.
async fn service_names(app: &App) -> Result<Vec<ServiceName>, AppError> {
    Ok(abonent_storage::ledger::services(&app.db)
        .await?
        .into_iter()
        .map(|s| ServiceName {
            code: s.code,
            title: s.title,
            names: s.names,
        })
        .collect())
}

pub async fn preview(
    app: &App,
    upload_id: i64,
    mapping: Option<ChargeMapping>,
) -> Result<ChargesPreview, AppError> {
    let (file_name, bytes) = uploads::load(&app.db, upload_id).await?;
    let duplicate = duplicate_of(app, &bytes).await?;
    let sha256 = charges::sha256_hex(&bytes);
    let table = crate::uploads::table(bytes).await?;
    let mapping = charge_mapping(app, mapping, &table.headers).await?;
    let mapped = map_charges(&table, &mapping, &service_names(app).await?);
    let mut errors = mapped.errors;
    let numbers: Vec<String> = mapped
        .rows
        .iter()
        .map(|r| r.account_number.clone())
        .collect();
    let known: HashSet<String> = existing_account_numbers(&app.db, &numbers)
        .await?
        .into_iter()
        .collect();
    let mut lines = Vec::with_capacity(mapped.rows.len());
    let (mut charged, mut recalculated, mut opening) = (0, 0, 0);
    for r in mapped.rows {
        if !known.contains(&r.account_number) {
            errors.push(RowError {
                line: r.line,
                field: "account_number".into(),
                message: format!(
                    "Строка {}: лицевого счёта № {} нет в реестре. Добавьте счёт или исправьте номер.",
                    r.line, r.account_number
                ),
            });
            continue;
        }
        let kind = match r.kind {
            ChargeKind::Charge => {
                charged += r.amount;
                EntryKind::Charge
            }
            ChargeKind::Recalculation => {
                recalculated += r.amount;
                EntryKind::Recalculation
            }
            ChargeKind::Opening => {
                opening += r.amount;
                EntryKind::Opening
            }
        };
        lines.push(ChargeLine {
            line: r.line,
            account_number: r.account_number,
            period: r.period,
            service: r.service,
            amount: r.amount,
            volume: r.volume,
            tariff: r.tariff,
            unit: r.unit,
            kind,
            reason: r.reason,
        });
    }
    errors.sort_by_key(|e| e.line);
    Ok(ChargesPreview {
        upload_id,
        file_name,
        encoding: table.encoding.title().to_string(),
        sample: crate::uploads::sample(&table),
        headers: table.headers,
        mapping,
        total_rows: mapped.total_rows,
        valid_rows: lines.len(),
        errors,
        duplicate,
        charged,
        recalculated,
        opening,
        lines,
        sha256,
    })
}

pub async fn commit(
    app: &App,
    p: ChargesPreview,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if let Some(d) = p.duplicate {
        return Err(file_error(d));
    }
    if !p.errors.is_empty() {
        return Err(crate::uploads::refused(p.errors.len()));
    }
    if p.lines.is_empty() {
        return Err(AppError::BadRequest(
            "В файле нет ни одной строки начислений. Ничего не сохранено.".into(),
        ));
    }
    let runner = app.clone();
    let (total, upload_id) = (p.lines.len(), p.upload_id);
    let job = app
        .jobs
        .clone()
        .spawn("ledger_charges", total, user_id, move |jp| async move {
            let app = runner;
            let meta = FileMeta {
                kind: "charges",
                file_name: p.file_name.clone(),
                sha256: p.sha256.clone(),
                profile_id: None,
            };
            let sum = charges::import_charges(&app.db, &meta, &p.lines, &actor, &|n| jp.set(n))
                .await
                .map_err(|e| format!("Загрузка отменена, ничего не сохранено: {e}"))?;
            let source = format!("файл «{}»", p.file_name);
            let saved = reference::save(
                &app.db,
                reference::CHARGE_MAPPING,
                &p.mapping,
                &source,
                &actor,
            );
            if let Err(e) = saved.await {
                tracing::warn!("the charges file's columns were not kept for the next file: {e}");
            }
            super::refresh_after(&app, Some(&sum.account_ids), "Начисления загружены").await?;
            Ok(sum)
        })
        .await?;
    crate::uploads::loaded_by(app, upload_id, job).await;
    Ok(job)
}

impl Report for ChargesSummary {
    fn message(&self) -> String {
        format!(
            "Загружено строк {}: начислено {} ₽, перерасчёты {} ₽, входящее сальдо {} ₽; счетов {}.",
            format_count(self.rows as i64),
            format_amount(self.charged),
            format_amount(self.recalculated),
            format_amount(self.opening),
            format_count(self.accounts as i64)
        )
    }
}
