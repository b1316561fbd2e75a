//! Reference data of the ledger kept as versions: the key-rate table, penalty settings,
//! due-date rules, the allocation rule and the saved charge-file mapping. The newest version
//! of a kind is in force; older ones are its history (the table is append-only). With no
//! version stored, the shipped defaults apply (regulations.md §1, §2).

use abonent_domain::debtor::DebtRules;
use abonent_domain::due_date::{default_due_date_rules, validate_due_date_rules, DueDateRule};
use abonent_domain::ledger::checks::{check_due_rules_given, check_reference_source};
use abonent_domain::ledger::words::internal;
use abonent_domain::ledger::{AllocationRule, PenaltyCredit};
use abonent_domain::penalty::{KeyRateTable, PenaltySettings};
use abonent_domain::state_duty::CourtOrderDutySchedule;
use abonent_domain::ValidationErrors;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::history::Actor;
use crate::{Db, Result, StoreError};

pub const KEY_RATES: &str = "key_rates";
pub const PENALTY_SETTINGS: &str = "penalty_settings";
pub const DUE_DATE_RULES: &str = "due_date_rules";
pub const ALLOCATION_RULE: &str = "allocation_rule";
pub const CHARGE_MAPPING: &str = "charge_mapping";
/// Debtor work numbers (notice days, limitation threshold, never-suspended services, 3-year
/// limitation): [`DebtRules`].
pub const DEBT_RULES: &str = "debt_rules";
/// The state duty scale of a court order application (regulations.md §7).
pub const COURT_DUTY: &str = "court_duty";

/// One stored version.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub id: i64,
    pub kind: String,
    pub value: serde_json::Value,
    /// Why it changed: a decree, a file name.
    pub source: String,
    pub created_by_name: String,
    pub created_at: String,
}

fn version(r: &sqlx::any::AnyRow) -> Version {
    Version {
        id: r.get(0),
        kind: r.get(1),
        value: serde_json::from_str(&r.get::<String, _>(2)).unwrap_or_default(),
        source: r.get(3),
        created_by_name: r.get(4),
        created_at: r.get(5),
    }
}

/// The version in force, if any was stored.
pub async fn current_version(db: &Db, kind: &str) -> Result<Option<Version>> {
    Ok(sqlx::query(
        "SELECT id, kind, value_json, source, created_by_name, created_at FROM ledger_reference \
         WHERE kind = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(kind)
    .fetch_optional(db.read())
    .await?
    .as_ref()
    .map(version))
}

/// Every version of a kind, newest first.
pub async fn history(db: &Db, kind: &str) -> Result<Vec<Version>> {
    Ok(sqlx::query(
        "SELECT id, kind, value_json, source, created_by_name, created_at FROM ledger_reference \
         WHERE kind = $1 ORDER BY id DESC",
    )
    .bind(kind)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(version)
    .collect())
}

async fn current<T: DeserializeOwned>(db: &Db, kind: &str) -> Result<Option<T>> {
    match current_version(db, kind).await? {
        None => Ok(None),
        Some(v) => serde_json::from_value(v.value).map(Some).map_err(|e| {
            StoreError::Other(internal::unreadable_reference(kind, v.id, &e.to_string()))
        }),
    }
}

/// Store a new version. `source` is required: every number needs its basis.
pub async fn save<T: Serialize>(
    db: &Db,
    kind: &str,
    value: &T,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    check_reference_source(source)?;
    let json = serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))?;
    Ok(sqlx::query_scalar(
        "INSERT INTO ledger_reference (kind, value_json, source, created_by, created_by_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(json)
    .bind(source.trim())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(db.now_text())
    .fetch_one(db.write())
    .await?)
}

pub async fn key_rates(db: &Db) -> Result<KeyRateTable> {
    Ok(current(db, KEY_RATES).await?.unwrap_or_default())
}

pub async fn save_key_rates(db: &Db, t: &KeyRateTable, source: &str, actor: &Actor) -> Result<i64> {
    let t = KeyRateTable::new(t.description.clone(), t.entries.clone())?;
    save(db, KEY_RATES, &t, source, actor).await
}

pub async fn penalty_settings(db: &Db) -> Result<PenaltySettings> {
    Ok(current(db, PENALTY_SETTINGS).await?.unwrap_or_default())
}

pub async fn save_penalty_settings(
    db: &Db,
    s: &PenaltySettings,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    let e = s.validate();
    if !e.is_empty() {
        return Err(e.into());
    }
    save(db, PENALTY_SETTINGS, s, source, actor).await
}

pub async fn due_date_rules(db: &Db) -> Result<Vec<DueDateRule>> {
    Ok(current(db, DUE_DATE_RULES)
        .await?
        .unwrap_or_else(default_due_date_rules))
}

pub async fn save_due_date_rules(
    db: &Db,
    rules: &[DueDateRule],
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    check_due_rules_given(rules.len())?;
    validate_due_date_rules(rules).map_err(|e: ValidationErrors| e.prefixed("rules"))?;
    save(db, DUE_DATE_RULES, &rules, source, actor).await
}

/// The allocation rule and what pays penalties, one version of `allocation_rule`. Versions
/// stored before the penalty rule existed read as its default.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct RuleValue {
    rule: AllocationRule,
    #[serde(default)]
    penalties: PenaltyCredit,
}

async fn rule_value(db: &Db) -> Result<RuleValue> {
    Ok(current::<RuleValue>(db, ALLOCATION_RULE)
        .await?
        .unwrap_or_default())
}

pub async fn allocation_rule(db: &Db) -> Result<AllocationRule> {
    Ok(rule_value(db).await?.rule)
}

/// What pays the penalties posted (issue 14 §4).
pub async fn penalty_credit(db: &Db) -> Result<PenaltyCredit> {
    Ok(rule_value(db).await?.penalties)
}

pub async fn save_allocation_rule(
    db: &Db,
    rule: AllocationRule,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    save_rule_value(db, |v| v.rule = rule, source, actor).await
}

pub async fn save_penalty_credit(
    db: &Db,
    penalties: PenaltyCredit,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    save_rule_value(db, |v| v.penalties = penalties, source, actor).await
}

/// Both parts at once (the settings page saves them in one form).
pub async fn save_allocation_rules(
    db: &Db,
    rule: AllocationRule,
    penalties: PenaltyCredit,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    let v = RuleValue { rule, penalties };
    save(db, ALLOCATION_RULE, &v, source, actor).await
}

/// A new version of `allocation_rule` with one of its parts changed.
async fn save_rule_value(
    db: &Db,
    change: impl FnOnce(&mut RuleValue),
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    let mut v = rule_value(db).await?;
    change(&mut v);
    save(db, ALLOCATION_RULE, &v, source, actor).await
}

/// The charge-file mapping saved last (JSON object field → column), if any.
pub async fn charge_mapping(db: &Db) -> Result<Option<serde_json::Value>> {
    Ok(current_version(db, CHARGE_MAPPING).await?.map(|v| v.value))
}

pub async fn debt_rules(db: &Db) -> Result<DebtRules> {
    Ok(current(db, DEBT_RULES).await?.unwrap_or_default())
}

pub async fn save_debt_rules(db: &Db, r: &DebtRules, source: &str, actor: &Actor) -> Result<i64> {
    r.check()?;
    save(db, DEBT_RULES, r, source, actor).await
}

pub async fn court_duty(db: &Db) -> Result<CourtOrderDutySchedule> {
    Ok(current(db, COURT_DUTY).await?.unwrap_or_default())
}

pub async fn save_court_duty(
    db: &Db,
    s: &CourtOrderDutySchedule,
    source: &str,
    actor: &Actor,
) -> Result<i64> {
    let e = s.validate();
    if !e.is_empty() {
        return Err(e.into());
    }
    save(db, COURT_DUTY, s, source, actor).await
}

/// Everything the penalty calculation needs, read once.
#[derive(Debug, Clone)]
pub struct PenaltyReference {
    pub settings: PenaltySettings,
    pub rates: KeyRateTable,
    pub due_rules: Vec<DueDateRule>,
}

pub async fn penalty_reference(db: &Db) -> Result<PenaltyReference> {
    Ok(PenaltyReference {
        settings: penalty_settings(db).await?,
        rates: key_rates(db).await?,
        due_rules: due_date_rules(db).await?,
    })
}
