//! The reference data registration reads — the work calendar, categories, deadline rules
//! and their bindings, assignment rules, the dispatch service — in one go, so that the use
//! case (`abonent_app::appeals`) can keep it for a few seconds: at a thousand appeals a
//! second those eight queries were a third of the work of registering.

use abonent_domain::appeal::{choose_assignment, AppealRefusal, AssignmentRule, Priority};
use abonent_domain::appeal::{RuleBinding, Target};
use abonent_domain::calendar::WorkCalendar;
use abonent_domain::deadline::DeadlineRule;
use sqlx::Row;

use super::routing::Assignment;
use crate::{Db, Result};

#[derive(Debug, Clone)]
struct CategoryNode {
    id: i64,
    code: String,
    parent_id: Option<i64>,
    active: bool,
}

#[derive(Debug)]
pub struct Snapshot {
    pub calendar: WorkCalendar,
    categories: Vec<CategoryNode>,
    pub bindings: Vec<RuleBinding>,
    pub rules: Vec<DeadlineRule>,
    assignment: Vec<AssignmentRule>,
    dispatch: Option<i64>,
}

/// Reads the whole snapshot anew.
pub async fn read(db: &Db) -> Result<Snapshot> {
    let calendar = crate::calendar::load(db).await?;
    let mut conn = db.read().acquire().await?;
    let categories = sqlx::query("SELECT id, code, parent_id, active FROM appeal_categories")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| CategoryNode {
            id: r.get(0),
            code: r.get(1),
            parent_id: r.get(2),
            active: r.get::<i64, _>(3) != 0,
        })
        .collect();
    let bindings = super::reference::bindings(&mut conn).await?;
    let rules = super::reference::rules(&mut conn).await?;
    let assignment = super::routing::assignment_rules(&mut conn).await?;
    let dispatch = super::routing::dispatch_department(&mut conn).await?;
    Ok(Snapshot {
        calendar,
        categories,
        bindings,
        rules,
        assignment,
        dispatch,
    })
}

impl Snapshot {
    /// The active category with this code (the classifier's suggestion).
    pub fn category_by_code(&self, code: &str) -> Option<i64> {
        self.categories
            .iter()
            .find(|c| c.active && c.code == code)
            .map(|c| c.id)
    }

    /// The deadline rule with this code.
    pub fn rule(&self, code: &str) -> Option<&DeadlineRule> {
        self.rules.iter().find(|r| r.code == code)
    }

    pub fn has_category(&self, id: i64) -> bool {
        self.categories.iter().any(|c| c.id == id)
    }

    /// The category's code and its ancestors' codes, nearest first.
    pub fn category_path(&self, id: i64) -> Result<Vec<String>> {
        let mut path = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next.take() {
            let c = self
                .categories
                .iter()
                .find(|c| c.id == id)
                .ok_or(AppealRefusal::UnknownCategory)?;
            path.push(c.code.clone());
            // A cycle cannot be entered through the UI; the bound keeps a damaged tree finite.
            if path.len() < 16 {
                next = c.parent_id;
            }
        }
        Ok(path)
    }

    /// Who gets a new appeal: the first matching assignment rule, else the dispatch service
    /// for an emergency, else nobody yet.
    pub fn assignment(
        &self,
        path: &[&str],
        building_id: Option<i64>,
        priority: Priority,
    ) -> Option<Assignment> {
        match choose_assignment(&self.assignment, path, building_id) {
            Some(r) => Some(Assignment {
                target: r.target,
                rule_id: Some(r.id),
            }),
            None if priority == Priority::Emergency => self.dispatch.map(|d| Assignment {
                target: Target::Department(d),
                rule_id: None,
            }),
            None => None,
        }
    }
}
