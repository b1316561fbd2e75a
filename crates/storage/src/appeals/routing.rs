//! Who works on appeals: departments (with the emergency dispatch service), contractors with
//! the buildings they serve, staff contacts and the duty flag, and assignment rules applied
//! at registration. Every change is written to the history.

use abonent_domain::appeal::forms::{self, check_contacts, check_contractor_inn};
use abonent_domain::appeal::{words, AppealRefusal, AssignmentRule, RuleReference, Target};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::history::{self, Change};
use crate::{Actor, Db, Result, StoreError};

fn trimmed(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut AnyConnection,
    now: &str,
    actor: &Actor,
    entity: &str,
    id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    history::record(
        conn,
        now,
        actor,
        Change {
            entity,
            entity_id: id,
            parent: None,
            action,
            before,
            after,
            note: None,
        },
    )
    .await
}

// ---------------------------------------------------------------- departments

#[derive(Debug, Clone, Serialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    /// The emergency dispatch service: emergencies no rule covers go here.
    pub is_dispatch: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DepartmentForm {
    pub name: String,
    pub is_dispatch: bool,
    pub phone: String,
    pub email: String,
    /// Inactive departments keep their appeals but get no new ones.
    pub active: Option<bool>,
}

pub async fn departments(db: &Db) -> Result<Vec<Department>> {
    Ok(sqlx::query(
        "SELECT id, name, is_dispatch, phone, email, active FROM departments ORDER BY is_dispatch DESC, name",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Department {
        id: r.get(0),
        name: r.get(1),
        is_dispatch: r.get::<i64, _>(2) != 0,
        phone: r.get(3),
        email: r.get(4),
        active: r.get::<i64, _>(5) != 0,
    })
    .collect())
}

pub async fn department(db: &Db, id: i64) -> Result<Department> {
    departments(db)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| StoreError::NotFound(words::noun::department(id)))
}

/// Creates (`id` empty) or updates a department.
pub async fn save_department(
    db: &Db,
    id: Option<i64>,
    f: &DepartmentForm,
    actor: &Actor,
) -> Result<i64> {
    let mut e = abonent_domain::ValidationErrors::new();
    let name =
        abonent_domain::text::required(&mut e, "name", forms::DEPARTMENT_LABEL, &f.name, 200);
    let (phone, email) = check_contacts(&mut e, &f.phone, &f.email);
    e.into_result(())?;
    let before = match id {
        Some(id) => Some(serde_json::to_value(department(db, id).await?).unwrap_or_default()),
        None => None,
    };
    let now = db.now_text();
    let mut tx = db.write().begin().await?;
    let active = i64::from(f.active.unwrap_or(true));
    let res = match id {
        None => sqlx::query(
            "INSERT INTO departments (name, is_dispatch, phone, email, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(&name)
        .bind(i64::from(f.is_dispatch))
        .bind(&phone)
        .bind(&email)
        .bind(active)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .map(|r| r.get::<i64, _>(0)),
        Some(id) => sqlx::query(
            "UPDATE departments SET name = $1, is_dispatch = $2, phone = $3, email = $4, active = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&name)
        .bind(i64::from(f.is_dispatch))
        .bind(&phone)
        .bind(&email)
        .bind(active)
        .bind(&now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map(|_| id),
    };
    let id = match res.map_err(StoreError::from) {
        Ok(id) => id,
        Err(e) if e.is_unique_violation() => return Err(AppealRefusal::DepartmentExists.into()),
        Err(e) => return Err(e),
    };
    let after = serde_json::json!({"name": name, "is_dispatch": f.is_dispatch, "phone": phone, "email": email, "active": active != 0});
    let action = if before.is_some() { "update" } else { "create" };
    record(
        &mut tx,
        &db.now_text(),
        actor,
        "department",
        id,
        action,
        before,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---------------------------------------------------------------- contractors

#[derive(Debug, Clone, Serialize)]
pub struct Contractor {
    pub id: i64,
    pub name: String,
    pub inn: Option<String>,
    pub contact_person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Services it performs, comma-separated words (сантехника, лифты…).
    pub services: String,
    pub active: bool,
    /// Buildings it serves.
    pub building_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContractorForm {
    pub name: String,
    pub inn: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    pub services: String,
    pub active: Option<bool>,
    pub building_ids: Vec<i64>,
}

pub async fn contractors(db: &Db) -> Result<Vec<Contractor>> {
    let links: Vec<(i64, i64)> = sqlx::query(
        "SELECT contractor_id, building_id FROM contractor_buildings ORDER BY building_id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    Ok(sqlx::query(
        "SELECT id, name, inn, contact_person, phone, email, services, active FROM contractors ORDER BY name, id",
    )
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| {
        let id: i64 = r.get(0);
        Contractor {
            id,
            name: r.get(1),
            inn: r.get(2),
            contact_person: r.get(3),
            phone: r.get(4),
            email: r.get(5),
            services: r.get(6),
            active: r.get::<i64, _>(7) != 0,
            building_ids: links.iter().filter(|l| l.0 == id).map(|l| l.1).collect(),
        }
    })
    .collect())
}

pub async fn contractor(db: &Db, id: i64) -> Result<Contractor> {
    contractors(db)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| StoreError::NotFound(words::noun::contractor(id)))
}

/// Creates (`id` empty) or updates a contractor with the buildings it serves.
pub async fn save_contractor(
    db: &Db,
    id: Option<i64>,
    f: &ContractorForm,
    actor: &Actor,
) -> Result<i64> {
    let mut e = abonent_domain::ValidationErrors::new();
    let name =
        abonent_domain::text::required(&mut e, "name", forms::CONTRACTOR_LABEL, &f.name, 300);
    let inn = f.inn.trim().to_string();
    check_contractor_inn(&mut e, &inn);
    let (phone, email) = check_contacts(&mut e, &f.phone, &f.email);
    let mut buildings = f.building_ids.clone();
    buildings.sort_unstable();
    buildings.dedup();
    for b in &buildings {
        if sqlx::query("SELECT 1 FROM buildings WHERE id = $1")
            .bind(b)
            .fetch_optional(db.read())
            .await?
            .is_none()
        {
            AppealRefusal::UnknownContractorBuilding { id: *b }.add_to(&mut e);
        }
    }
    e.into_result(())?;
    let before = match id {
        Some(id) => Some(serde_json::to_value(contractor(db, id).await?).unwrap_or_default()),
        None => None,
    };
    let services = f
        .services
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let now = db.now_text();
    let active = i64::from(f.active.unwrap_or(true));
    let (person, inn) = (trimmed(&f.contact_person), Some(inn));
    let mut tx = db.write().begin().await?;
    let id = match id {
        None => sqlx::query(
            "INSERT INTO contractors (name, inn, contact_person, phone, email, services, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(&name)
        .bind(&inn)
        .bind(&person)
        .bind(&phone)
        .bind(&email)
        .bind(&services)
        .bind(active)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?
        .get::<i64, _>(0),
        Some(id) => {
            sqlx::query(
                "UPDATE contractors SET name = $1, inn = $2, contact_person = $3, phone = $4, email = $5, \
                 services = $6, active = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(&name)
            .bind(&inn)
            .bind(&person)
            .bind(&phone)
            .bind(&email)
            .bind(&services)
            .bind(active)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM contractor_buildings WHERE contractor_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    for b in &buildings {
        sqlx::query(
            "INSERT INTO contractor_buildings (contractor_id, building_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(b)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let after = serde_json::json!({"id": id, "name": name, "inn": inn, "contact_person": person, "phone": phone,
        "email": email, "services": services, "active": active != 0, "building_ids": buildings});
    let action = if before.is_some() { "update" } else { "create" };
    record(
        &mut tx,
        &db.now_text(),
        actor,
        "contractor",
        id,
        action,
        before,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

// ---------------------------------------------------------------- staff

/// A staff member as an executor: contacts and whether on duty for emergencies.
#[derive(Debug, Clone, Serialize)]
pub struct Staff {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub active: bool,
    /// Marked on duty by an administrator (dispatchers are always on duty).
    pub on_duty: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub on_duty: bool,
    pub email: String,
    pub phone: String,
}

const STAFF: &str = "SELECT id, login, full_name, role, active, on_duty, email, phone FROM users";

fn staff_row(r: &sqlx::any::AnyRow) -> Staff {
    Staff {
        id: r.get(0),
        login: r.get(1),
        full_name: r.get(2),
        role: r.get(3),
        active: r.get::<i64, _>(4) != 0,
        on_duty: r.get::<i64, _>(5) != 0,
        email: r.get(6),
        phone: r.get(7),
    }
}

pub async fn staff(db: &Db) -> Result<Vec<Staff>> {
    Ok(sqlx::query(&format!("{STAFF} ORDER BY full_name, id"))
        .fetch_all(db.read())
        .await?
        .iter()
        .map(staff_row)
        .collect())
}

/// Active staff who get emergency alerts: dispatchers and those marked on duty.
pub(crate) async fn on_duty(conn: &mut AnyConnection) -> Result<Vec<Staff>> {
    Ok(sqlx::query(&format!(
        "{STAFF} WHERE active = 1 AND (on_duty = 1 OR role = 'dispatcher') ORDER BY id"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(staff_row)
    .collect())
}

/// Active managers: unacknowledged emergencies escalate to them.
pub(crate) async fn managers(conn: &mut AnyConnection) -> Result<Vec<Staff>> {
    Ok(sqlx::query(&format!(
        "{STAFF} WHERE active = 1 AND role = 'manager' ORDER BY id"
    ))
    .fetch_all(conn)
    .await?
    .iter()
    .map(staff_row)
    .collect())
}

pub async fn save_staff(db: &Db, user_id: i64, f: &StaffForm, actor: &Actor) -> Result<()> {
    let mut e = abonent_domain::ValidationErrors::new();
    let (phone, email) = check_contacts(&mut e, &f.phone, &f.email);
    e.into_result(())?;
    let before = staff(db)
        .await?
        .into_iter()
        .find(|s| s.id == user_id)
        .ok_or_else(|| StoreError::NotFound(words::noun::staff(user_id)))?;
    let mut tx = db.write().begin().await?;
    sqlx::query(
        "UPDATE users SET on_duty = $1, email = $2, phone = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(i64::from(f.on_duty))
    .bind(&email)
    .bind(&phone)
    .bind(db.now_text())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let b = serde_json::json!({"on_duty": before.on_duty, "email": before.email, "phone": before.phone});
    let a = serde_json::json!({"on_duty": f.on_duty, "email": email, "phone": phone});
    record(
        &mut tx,
        &db.now_text(),
        actor,
        "user",
        user_id,
        "duty",
        Some(b),
        Some(a),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------- assignment rules

#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub id: i64,
    pub category_id: Option<i64>,
    pub category_title: Option<String>,
    pub building_id: Option<i64>,
    pub building_address: Option<String>,
    pub target: Target,
    pub target_title: String,
    pub note: Option<String>,
}

/// A new rule: empty category or building mean «any»; exactly one of the targets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    pub category_id: Option<i64>,
    pub building_id: Option<i64>,
    pub department_id: Option<i64>,
    pub contractor_id: Option<i64>,
    pub user_id: Option<i64>,
    pub note: String,
}

const RULES: &str = "SELECT r.id, r.category_id, c.title, c.code, r.building_id, b.street, b.house, \
    r.department_id, d.name, r.contractor_id, k.name, r.user_id, u.full_name, r.note \
    FROM assignment_rules r LEFT JOIN appeal_categories c ON c.id = r.category_id \
    LEFT JOIN buildings b ON b.id = r.building_id LEFT JOIN departments d ON d.id = r.department_id \
    LEFT JOIN contractors k ON k.id = r.contractor_id LEFT JOIN users u ON u.id = r.user_id";

fn rule_row(r: &sqlx::any::AnyRow) -> Option<(RuleRow, Option<String>)> {
    let (target, title): (Target, Option<String>) = match (
        r.get::<Option<i64>, _>(7),
        r.get::<Option<i64>, _>(9),
        r.get::<Option<i64>, _>(11),
    ) {
        (Some(d), _, _) => (Target::Department(d), r.get(8)),
        (_, Some(c), _) => (Target::Contractor(c), r.get(10)),
        (_, _, Some(u)) => (Target::Staff(u), r.get(12)),
        _ => return None,
    };
    let street: Option<String> = r.get(5);
    let house: Option<String> = r.get(6);
    Some((
        RuleRow {
            id: r.get(0),
            category_id: r.get(1),
            category_title: r.get(2),
            building_id: r.get(4),
            building_address: street.map(|s| words::house_address(&s, &house.unwrap_or_default())),
            target,
            target_title: title.unwrap_or_default(),
            note: r.get(13),
        },
        r.get(3),
    ))
}

pub async fn rules(db: &Db) -> Result<Vec<RuleRow>> {
    Ok(sqlx::query(&format!("{RULES} ORDER BY r.id"))
        .fetch_all(db.read())
        .await?
        .iter()
        .filter_map(rule_row)
        .map(|(r, _)| r)
        .collect())
}

async fn exists(conn: &mut AnyConnection, table: &str, id: i64) -> Result<bool> {
    Ok(sqlx::query(&format!("SELECT 1 FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .is_some())
}

pub async fn add_rule(db: &Db, f: &RuleForm, actor: &Actor) -> Result<i64> {
    let targets = [f.department_id, f.contractor_id, f.user_id];
    if targets.iter().filter(|t| t.is_some()).count() != 1 {
        return Err(AppealRefusal::OneRuleTarget.into());
    }
    let mut tx = db.write().begin().await?;
    let mut e = abonent_domain::ValidationErrors::new();
    for (what, table, id) in [
        (RuleReference::Category, "appeal_categories", f.category_id),
        (RuleReference::Building, "buildings", f.building_id),
        (RuleReference::Department, "departments", f.department_id),
        (RuleReference::Contractor, "contractors", f.contractor_id),
        (RuleReference::Staff, "users", f.user_id),
    ] {
        if let Some(id) = id {
            if !exists(&mut tx, table, id).await? {
                AppealRefusal::UnknownRuleReference(what).add_to(&mut e);
            }
        }
    }
    e.into_result(())?;
    let note = trimmed(&f.note);
    let id: i64 = sqlx::query(
        "INSERT INTO assignment_rules (category_id, building_id, department_id, contractor_id, user_id, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(f.category_id)
    .bind(f.building_id)
    .bind(f.department_id)
    .bind(f.contractor_id)
    .bind(f.user_id)
    .bind(&note)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?
    .get(0);
    let after = serde_json::json!({"category_id": f.category_id, "building_id": f.building_id,
        "department_id": f.department_id, "contractor_id": f.contractor_id, "user_id": f.user_id, "note": note});
    record(
        &mut tx,
        &db.now_text(),
        actor,
        "assignment_rule",
        id,
        "create",
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes a rule; the history keeps what it was.
pub async fn delete_rule(db: &Db, id: i64, actor: &Actor) -> Result<()> {
    let row = rules(db)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| StoreError::NotFound(words::noun::assignment_rule(id)))?;
    let mut tx = db.write().begin().await?;
    sqlx::query("DELETE FROM assignment_rules WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = serde_json::to_value(&row).unwrap_or_default();
    record(
        &mut tx,
        &db.now_text(),
        actor,
        "assignment_rule",
        id,
        "delete",
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whom the registration assigns: the most specific rule for the category and building;
/// with none, an emergency goes to the dispatch service.
#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub target: Target,
    /// The rule that decided; `None` — the dispatch service by default.
    pub rule_id: Option<i64>,
}

/// The assignment rules as registration matches them, in the order they were added.
pub(crate) async fn assignment_rules(conn: &mut AnyConnection) -> Result<Vec<AssignmentRule>> {
    Ok(sqlx::query(&format!("{RULES} ORDER BY r.id"))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(rule_row)
        .map(|(r, code)| AssignmentRule {
            id: r.id,
            category: code,
            building_id: r.building_id,
            target: r.target,
        })
        .collect())
}

/// The active emergency dispatch service (the first one, when several are marked).
pub(crate) async fn dispatch_department(conn: &mut AnyConnection) -> Result<Option<i64>> {
    Ok(sqlx::query(
        "SELECT id FROM departments WHERE is_dispatch = 1 AND active = 1 ORDER BY id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.get(0)))
}
