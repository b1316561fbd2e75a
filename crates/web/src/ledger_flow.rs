//! Ledger imports and runs shared by the pages and the API: check a charges file or a payment
//! register before anything is stored, then commit it (or run the penalty accrual) as a
//! background job whose progress every instance can show.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use abonent_domain::ledger::{EntryKind, Period};
use abonent_domain::ValidationErrors;
use abonent_import::charges::{map_charges, ChargeKind, ChargeMapping};
use abonent_import::payments::{
    parse_client_bank, parse_register, RegisterPayment, RegisterProfile,
};
use abonent_import::{read_table, RowError};
use abonent_storage::ledger::charges::{self, ChargeLine, FileMeta};
use abonent_storage::ledger::payments::{self, IncomingPayment, Producer};
use abonent_storage::ledger::{debts, penalties, profiles, reference};
use abonent_storage::registry::import::existing_account_numbers;
use abonent_storage::{jobs, settings, uploads, Actor, Backend, Db};
use serde::Serialize;

use crate::{AppError, AppState, Progress};

/// Progress of a running job: kept in memory here, written to the database every half
/// second on PostgreSQL (on SQLite the one writer is busy with the job itself).
#[derive(Clone)]
pub struct JobProgress {
    map: Progress,
    job: i64,
    total: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
}

impl JobProgress {
    pub fn set(&self, n: usize) {
        self.done.store(n, Ordering::Relaxed);
        self.map
            .set(self.job, n, self.total.load(Ordering::Relaxed));
    }

    pub fn set_total(&self, n: usize) {
        self.total.store(n, Ordering::Relaxed);
        self.map.set(self.job, self.done.load(Ordering::Relaxed), n);
    }
}

/// Run `work` in the background as job `kind`; returns the job id. `work` answers the
/// message and result of a success, or the message of a failure (nothing was stored).
pub async fn spawn_job<F, Fut>(
    s: &AppState,
    kind: &str,
    total: usize,
    user_id: Option<i64>,
    work: F,
) -> Result<i64, AppError>
where
    F: FnOnce(JobProgress) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(String, serde_json::Value), String>> + Send + 'static,
{
    let job = jobs::start(&s.db, kind, total as i64, user_id).await?;
    let state = s.clone();
    tokio::spawn(async move {
        let p = JobProgress {
            map: state.progress.clone(),
            job,
            total: Arc::new(AtomicUsize::new(total)),
            done: Arc::new(AtomicUsize::new(0)),
        };
        p.set(0);
        let reporter = (state.db.backend() == Backend::Postgres).then(|| {
            let (db, done, total) = (state.db.clone(), p.done.clone(), p.total.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                    let _ = sqlx_progress(&db, job, &done, &total).await;
                }
            })
        });
        let result = work(p.clone()).await;
        if let Some(r) = reporter {
            r.abort();
        }
        let _ = match result {
            Ok((msg, value)) => jobs::finish(&state.db, job, true, &msg, Some(value)).await,
            Err(msg) => jobs::finish(&state.db, job, false, &msg, None).await,
        };
        state.progress.remove(job);
    });
    Ok(job)
}

async fn sqlx_progress(
    db: &abonent_storage::Db,
    job: i64,
    done: &AtomicUsize,
    _total: &AtomicUsize,
) -> abonent_storage::Result<()> {
    jobs::progress(db, job, done.load(Ordering::Relaxed) as i64).await
}

/// Job state, with in-memory progress when this instance runs it.
pub async fn job(s: &AppState, id: i64) -> Result<jobs::Job, AppError> {
    let mut j = jobs::get(&s.db, id).await?;
    if !j.kind.starts_with("ledger_") {
        return Err(AppError::NotFound("задача расчётов".into()));
    }
    if let Some((done, total)) = s.progress.get(id) {
        if j.status == "running" {
            j.done = done as i64;
            j.total = total as i64;
        }
    }
    Ok(j)
}

fn file_error(msg: impl Into<String>) -> AppError {
    AppError::Invalid(ValidationErrors::single("file", msg))
}

pub async fn save_upload(
    s: &AppState,
    name: &str,
    bytes: &[u8],
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if bytes.is_empty() {
        return Err(file_error("Выберите файл."));
    }
    Ok(uploads::save(&s.db, name, bytes, user_id).await?)
}

/// The message for a file loaded before, if it was.
async fn duplicate_of(s: &AppState, bytes: &[u8]) -> Result<Option<String>, AppError> {
    Ok(charges::find_by_hash(&s.db, &charges::sha256_hex(bytes))
        .await?
        .map(|p| charges::duplicate_message(&p)))
}

// ---------------------------------------------------------------- charges

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
    s: &AppState,
    given: Option<ChargeMapping>,
    headers: &[String],
) -> Result<ChargeMapping, AppError> {
    if let Some(m) = given {
        return Ok(m);
    }
    if let Some(v) = reference::charge_mapping(&s.db).await? {
        if let Ok(m) = serde_json::from_value::<ChargeMapping>(v) {
            if m.0.values().all(|c| *c < headers.len()) && !m.0.is_empty() {
                return Ok(m);
            }
        }
    }
    Ok(ChargeMapping::guess(headers))
}

pub async fn charges_preview(
    s: &AppState,
    upload_id: i64,
    mapping: Option<ChargeMapping>,
) -> Result<ChargesPreview, AppError> {
    let (file_name, bytes) = uploads::load(&s.db, upload_id).await?;
    let duplicate = duplicate_of(s, &bytes).await?;
    let sha256 = charges::sha256_hex(&bytes);
    let table = tokio::task::spawn_blocking(move || read_table(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| file_error(e.to_string()))?;
    let mapping = charge_mapping(s, mapping, &table.headers).await?;
    let mapped = map_charges(&table, &mapping);
    let mut errors = mapped.errors;
    let numbers: Vec<String> = mapped
        .rows
        .iter()
        .map(|r| r.account_number.clone())
        .collect();
    let known: std::collections::HashSet<String> = existing_account_numbers(&s.db, &numbers)
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
        sample: table
            .rows
            .iter()
            .take(10)
            .map(|r| r.cells.clone())
            .collect(),
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

pub async fn charges_commit(
    s: &AppState,
    p: ChargesPreview,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if let Some(d) = p.duplicate {
        return Err(file_error(d));
    }
    if !p.errors.is_empty() || p.lines.is_empty() {
        return Err(AppError::BadRequest(format!(
            "В файле {} ошибок: исправьте их и загрузите файл снова. Ничего не сохранено.",
            p.errors.len()
        )));
    }
    let today = crate::pages::today(&s.db).await;
    let db = s.db.clone();
    spawn_job(s, "ledger_charges", p.lines.len(), user_id, move |jp| async move {
        let meta = FileMeta {
            kind: "charges",
            file_name: p.file_name.clone(),
            sha256: p.sha256.clone(),
            profile_id: None,
        };
        let progress = |n: usize| jp.set(n);
        let sum = charges::import_charges(&db, &meta, &p.lines, &actor, &progress)
            .await
            .map_err(|e| format!("Загрузка отменена, ничего не сохранено: {e}"))?;
        let _ = reference::save(
            &db,
            reference::CHARGE_MAPPING,
            &p.mapping,
            &format!("файл «{}»", p.file_name),
            &actor,
        )
        .await;
        let _ = debts::refresh(&db, Some(&sum.account_ids), today).await;
        Ok((
            format!(
                "Загружено строк {}: начислено {} ₽, перерасчёты {} ₽, входящее сальдо {} ₽; счетов {}.",
                sum.rows,
                abonent_domain::money::format_amount(sum.charged),
                abonent_domain::money::format_amount(sum.recalculated),
                abonent_domain::money::format_amount(sum.opening),
                sum.accounts
            ),
            serde_json::to_value(&sum).unwrap_or_default(),
        ))
    })
    .await
}

// ---------------------------------------------------------------- payments

/// A register line as storage takes it.
pub fn incoming(p: RegisterPayment) -> IncomingPayment {
    IncomingPayment {
        line: p.line,
        operation_id: Some(p.operation_id).filter(|s| !s.trim().is_empty()),
        paid_on: p.paid_on,
        account_number: p.account,
        payer: p.full_name,
        address: p.address,
        purpose: String::new(),
        period: p.period.and_then(|(y, m)| Period::new(y, m)),
        amount: p.amount,
    }
}

/// Streams a bank register through `profile`.
pub fn register_producer(bytes: Vec<u8>, profile: RegisterProfile) -> Producer {
    Box::new(move |emit: &mut dyn FnMut(IncomingPayment)| {
        parse_register(&bytes, &profile, |p| emit(incoming(p)))
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
}

/// The credits of a 1С statement to `our_account`; the account number comes from the
/// payment's purpose.
pub fn client_bank_producer(bytes: Vec<u8>, our_account: Option<String>) -> Producer {
    Box::new(move |emit: &mut dyn FnMut(IncomingPayment)| {
        let st = parse_client_bank(&bytes, our_account.as_deref()).map_err(|e| e.to_string())?;
        for d in st.documents {
            emit(IncomingPayment {
                line: d.line,
                operation_id: Some(format!("ПП {} {}", d.number, d.payer_account)),
                paid_on: d.received_on.unwrap_or(d.date),
                account_number: d.account.unwrap_or_default(),
                payer: d.payer,
                address: String::new(),
                purpose: d.purpose,
                period: d.period.and_then(|(y, m)| Period::new(y, m)),
                amount: d.amount,
            });
        }
        Ok(())
    })
}

/// Which reader a payments file needs.
#[derive(Debug, Clone, Serialize)]
pub enum PaymentFormat {
    Register { profile_id: i64, name: String },
    ClientBank,
}

impl PaymentFormat {
    pub fn title(&self) -> String {
        match self {
            PaymentFormat::Register { name, .. } => format!("реестр банка: {name}"),
            PaymentFormat::ClientBank => "выписка 1С (ClientBankExchange)".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentLine {
    pub line: usize,
    pub paid_on: String,
    pub account_number: String,
    pub payer: String,
    pub amount: i64,
    pub matched: bool,
}

#[derive(Debug, Serialize)]
pub struct PaymentsPreview {
    pub upload_id: i64,
    pub file_name: String,
    pub format: PaymentFormat,
    pub count: usize,
    pub amount: i64,
    pub matched: usize,
    pub unmatched: usize,
    pub unmatched_amount: i64,
    /// The whole file is refused for this (bad lines, totals, encoding).
    pub error: Option<String>,
    pub duplicate: Option<String>,
    /// First lines, to look at.
    pub sample: Vec<PaymentLine>,
    #[serde(skip)]
    pub sha256: String,
}

pub const COMMON_PROFILE: &str = "Типовой реестр (Сбербанк)";

/// The stored profiles, with the common layout (regulations §9) always present.
pub async fn profiles_list(s: &AppState) -> Result<Vec<profiles::StoredProfile>, AppError> {
    let common = serde_json::to_value(RegisterProfile::common()).unwrap_or_default();
    profiles::ensure(&s.db, COMMON_PROFILE, &common).await?;
    Ok(profiles::list(&s.db).await?)
}

pub async fn profile(s: &AppState, id: i64) -> Result<RegisterProfile, AppError> {
    let p = profiles::get(&s.db, id).await?;
    serde_json::from_value(p.profile).map_err(|e| {
        AppError::Invalid(ValidationErrors::single(
            "profile_id",
            format!("Профиль «{}» не читается: {e}. Исправьте его.", p.name),
        ))
    })
}

pub async fn our_account(s: &AppState) -> Result<Option<String>, AppError> {
    Ok(our_account_in(&s.db).await?)
}

/// The organization's bank account (setting `ledger.bank_account`), if set: the credits of a
/// 1С statement to it are payments.
pub async fn our_account_in(db: &Db) -> abonent_storage::Result<Option<String>> {
    Ok(Some(settings::get(db, "ledger.bank_account").await?)
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty()))
}

/// Today in the organization's time zone.
pub async fn today(db: &Db) -> chrono::NaiveDate {
    crate::pages::today(db).await
}

async fn producer_for(
    s: &AppState,
    format: &PaymentFormat,
    bytes: Vec<u8>,
) -> Result<Producer, AppError> {
    Ok(match format {
        PaymentFormat::Register { profile_id, .. } => {
            register_producer(bytes, profile(s, *profile_id).await?)
        }
        PaymentFormat::ClientBank => client_bank_producer(bytes, our_account(s).await?),
    })
}

pub async fn payment_format(
    s: &AppState,
    profile_id: Option<i64>,
    client_bank: bool,
) -> Result<PaymentFormat, AppError> {
    if client_bank {
        return Ok(PaymentFormat::ClientBank);
    }
    let id = match profile_id {
        Some(id) => id,
        None => profiles_list(s)
            .await?
            .into_iter()
            .find(|p| p.name == COMMON_PROFILE)
            .map(|p| p.id)
            .unwrap_or(0),
    };
    let p = profiles::get(&s.db, id).await?;
    Ok(PaymentFormat::Register {
        profile_id: id,
        name: p.name,
    })
}

pub async fn payments_preview(
    s: &AppState,
    upload_id: i64,
    format: PaymentFormat,
) -> Result<PaymentsPreview, AppError> {
    let (file_name, bytes) = uploads::load(&s.db, upload_id).await?;
    let duplicate = duplicate_of(s, &bytes).await?;
    let sha256 = charges::sha256_hex(&bytes);
    let produce = producer_for(s, &format, bytes).await?;
    let known = Arc::new(charges::account_numbers(&s.db).await?);
    let mut prev = PaymentsPreview {
        upload_id,
        file_name,
        format,
        count: 0,
        amount: 0,
        matched: 0,
        unmatched: 0,
        unmatched_amount: 0,
        error: None,
        duplicate,
        sample: Vec::new(),
        sha256,
    };
    // Read the whole file once, keeping only the counts and the first lines.
    let (result, prev) = tokio::task::spawn_blocking(move || {
        let r = produce(&mut |p| {
            let matched = known.contains(&p.account_number.trim().to_uppercase());
            prev.count += 1;
            prev.amount += p.amount;
            if matched {
                prev.matched += 1;
            } else {
                prev.unmatched += 1;
                prev.unmatched_amount += p.amount;
            }
            if prev.sample.len() < 20 {
                prev.sample.push(PaymentLine {
                    line: p.line,
                    paid_on: p.paid_on.format("%d.%m.%Y").to_string(),
                    account_number: p.account_number,
                    payer: p.payer,
                    amount: p.amount,
                    matched,
                });
            }
        });
        (r, prev)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut prev = prev;
    prev.error = result.err();
    Ok(prev)
}

pub async fn payments_commit(
    s: &AppState,
    p: PaymentsPreview,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    if let Some(d) = p.duplicate {
        return Err(file_error(d));
    }
    if let Some(e) = p.error {
        return Err(file_error(e));
    }
    let (_, bytes) = uploads::load(&s.db, p.upload_id).await?;
    let produce = producer_for(s, &p.format, bytes).await?;
    let today = crate::pages::today(&s.db).await;
    let db = s.db.clone();
    let kind = match p.format {
        PaymentFormat::Register { .. } => "register",
        PaymentFormat::ClientBank => "client_bank",
    };
    let profile_id = match p.format {
        PaymentFormat::Register { profile_id, .. } => Some(profile_id),
        PaymentFormat::ClientBank => None,
    };
    spawn_job(
        s,
        "ledger_payments",
        p.count,
        user_id,
        move |jp| async move {
            let meta = FileMeta {
                kind,
                file_name: p.file_name.clone(),
                sha256: p.sha256.clone(),
                profile_id,
            };
            let progress = |n: usize| jp.set(n);
            let sum = payments::import_payments(&db, &meta, &actor, produce, &progress)
                .await
                .map_err(|e| format!("Загрузка отменена, ничего не сохранено: {e}"))?;
            let _ = debts::refresh(&db, Some(&sum.account_ids), today).await;
            Ok((sum.text(), serde_json::to_value(&sum).unwrap_or_default()))
        },
    )
    .await
}

// ---------------------------------------------------------------- penalties

pub async fn penalty_run(
    s: &AppState,
    period: Period,
    actor: Actor,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    let total = abonent_storage::ledger::load::account_ids(&s.db)
        .await?
        .len();
    let today = crate::pages::today(&s.db).await;
    let db = s.db.clone();
    spawn_job(
        s,
        "ledger_penalties",
        total,
        user_id,
        move |jp| async move {
            let progress = |n: usize, _t: usize| jp.set(n);
            let sum = penalties::run_month(&db, period, &actor, &progress)
                .await
                .map_err(|e| format!("Начисление пени отменено, ничего не сохранено: {e}"))?;
            let _ = debts::refresh(&db, None, today).await;
            Ok((sum.text(), serde_json::to_value(&sum).unwrap_or_default()))
        },
    )
    .await
}
