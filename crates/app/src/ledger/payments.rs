//! Payment files: a bank register read through its profile, or a 1С statement. The whole
//! file is read once for a preview (counts, matched accounts, the first lines), then
//! stored all or nothing.

use std::sync::Arc;

use abonent_domain::ledger::Period;
use abonent_domain::ValidationErrors;
use abonent_import::payments::{
    parse_client_bank, parse_register, RegisterPayment, RegisterProfile,
};
use abonent_storage::ledger::charges::{self, FileMeta};
use abonent_storage::ledger::payments::{self, IncomingPayment, PaymentsSummary, Producer};
use abonent_storage::ledger::profiles;
use abonent_storage::{uploads, Actor};
use serde::Serialize;

use super::{duplicate_of, file_error};
use crate::jobs::Report;
use crate::{settings, App, AppError};

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

    /// How the load of a file in this format is recorded.
    fn meta(&self, file_name: String, sha256: String) -> FileMeta {
        let (kind, profile_id) = match self {
            PaymentFormat::Register { profile_id, .. } => ("register", Some(*profile_id)),
            PaymentFormat::ClientBank => ("client_bank", None),
        };
        FileMeta {
            kind,
            file_name,
            sha256,
            profile_id,
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
pub async fn profiles_list(app: &App) -> Result<Vec<profiles::StoredProfile>, AppError> {
    let common = serde_json::to_value(RegisterProfile::common()).unwrap_or_default();
    profiles::ensure(&app.db, COMMON_PROFILE, &common).await?;
    Ok(profiles::list(&app.db).await?)
}

/// Store a bank's register profile (a new one when `id` is `None`) once its layout is
/// read and checked; returns its id.
pub async fn save_profile(
    app: &App,
    id: Option<i64>,
    name: &str,
    json: &str,
    actor: &Actor,
) -> Result<i64, AppError> {
    let p: RegisterProfile = serde_json::from_str(json).map_err(|e| {
        AppError::field(
            "profile",
            format!("Профиль не читается как JSON нужного вида: {e}."),
        )
    })?;
    let problems = p.problems();
    if !problems.is_empty() {
        return Err(AppError::field("profile", problems.join(" ")));
    }
    let value = serde_json::to_value(p).unwrap_or_default();
    Ok(match id {
        None => profiles::create(&app.db, name, &value, actor).await?,
        Some(id) => {
            profiles::update(&app.db, id, name, &value, actor).await?;
            id
        }
    })
}

pub async fn profile(app: &App, id: i64) -> Result<RegisterProfile, AppError> {
    let p = profiles::get(&app.db, id).await?;
    serde_json::from_value(p.profile).map_err(|e| {
        AppError::Invalid(ValidationErrors::single(
            "profile_id",
            format!("Профиль «{}» не читается: {e}. Исправьте его.", p.name),
        ))
    })
}

/// The organization's bank account (setting `ledger.bank_account`), if set: the credits of a
/// 1С statement to it are payments.
async fn our_account(app: &App) -> Result<Option<String>, AppError> {
    Ok(Some(settings::get(app, "ledger.bank_account").await?)
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty()))
}

pub async fn producer_for(
    app: &App,
    format: &PaymentFormat,
    bytes: Vec<u8>,
) -> Result<Producer, AppError> {
    Ok(match format {
        PaymentFormat::Register { profile_id, .. } => {
            register_producer(bytes, profile(app, *profile_id).await?)
        }
        PaymentFormat::ClientBank => client_bank_producer(bytes, our_account(app).await?),
    })
}

pub async fn payment_format(
    app: &App,
    profile_id: Option<i64>,
    client_bank: bool,
) -> Result<PaymentFormat, AppError> {
    if client_bank {
        return Ok(PaymentFormat::ClientBank);
    }
    let id = match profile_id {
        Some(id) => id,
        None => profiles_list(app)
            .await?
            .into_iter()
            .find(|p| p.name == COMMON_PROFILE)
            .map(|p| p.id)
            .unwrap_or(0),
    };
    let p = profiles::get(&app.db, id).await?;
    Ok(PaymentFormat::Register {
        profile_id: id,
        name: p.name,
    })
}

pub async fn preview(
    app: &App,
    upload_id: i64,
    format: PaymentFormat,
) -> Result<PaymentsPreview, AppError> {
    let (file_name, bytes) = uploads::load(&app.db, upload_id).await?;
    let duplicate = duplicate_of(app, &bytes).await?;
    let sha256 = charges::sha256_hex(&bytes);
    let produce = producer_for(app, &format, bytes).await?;
    let known = Arc::new(charges::account_numbers(&app.db).await?);
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

pub async fn commit(
    app: &App,
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
    let (_, bytes) = uploads::load(&app.db, p.upload_id).await?;
    let produce = producer_for(app, &p.format, bytes).await?;
    let meta = p.format.meta(p.file_name, p.sha256);
    let runner = app.clone();
    let job = app
        .jobs
        .clone()
        .spawn(JOB, p.count, user_id, move |jp| async move {
            post(&runner, &meta, &actor, produce, &|n| jp.set(n)).await
        })
        .await?;
    crate::uploads::loaded_by(app, p.upload_id, job).await;
    Ok(job)
}

/// The job a payments file is loaded in.
const JOB: &str = "ledger_payments";

/// Store the payments of a file all or nothing, then refresh the debts of the accounts
/// they went to. The pages and the API run it as a job ([`commit`]); the command line
/// ([`load_file`]) in the foreground.
async fn post(
    app: &App,
    meta: &FileMeta,
    actor: &Actor,
    produce: Producer,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary, String> {
    let sum = payments::import_payments(&app.db, meta, actor, produce, progress)
        .await
        .map_err(|e| format!("Загрузка отменена, ничего не сохранено: {e}"))?;
    super::refresh_after(app, Some(&sum.account_ids), "Платежи загружены").await?;
    Ok(sum)
}

impl Report for PaymentsSummary {
    fn message(&self) -> String {
        self.text()
    }
}

/// The format of a register by its profile's name (the common one when `None`), or a 1С
/// statement.
pub async fn format_named(
    app: &App,
    profile: Option<&str>,
    client_bank: bool,
) -> Result<PaymentFormat, AppError> {
    if client_bank {
        return Ok(PaymentFormat::ClientBank);
    }
    let name = profile.unwrap_or(COMMON_PROFILE);
    let Some(p) = profiles_list(app)
        .await?
        .into_iter()
        .find(|p| p.name == name)
    else {
        return Err(AppError::field(
            "profile",
            format!(
                "Нет профиля реестра «{name}»: создайте его на странице «Профили реестров банков»."
            ),
        ));
    };
    Ok(PaymentFormat::Register {
        profile_id: p.id,
        name: p.name,
    })
}

/// Load a payments file in the foreground (the command line), as a job like [`commit`]:
/// refused when empty or loaded before, otherwise [`post`]ed; `progress` gets the count
/// written.
pub async fn load_file(
    app: &App,
    file_name: &str,
    bytes: Vec<u8>,
    format: &PaymentFormat,
    actor: &Actor,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<PaymentsSummary, AppError> {
    if bytes.is_empty() {
        return Err(file_error(format!("Файл {file_name} пуст.")));
    }
    if let Some(d) = duplicate_of(app, &bytes).await? {
        return Err(file_error(d));
    }
    let meta = format.meta(file_name.to_string(), charges::sha256_hex(&bytes));
    let produce = producer_for(app, format, bytes).await?;
    let user_id = actor.user_id;
    app.jobs
        .run(JOB, 0, user_id, |jp| async move {
            let both = |n: usize| {
                jp.set(n);
                progress(n);
            };
            post(app, &meta, actor, produce, &both).await
        })
        .await
}
