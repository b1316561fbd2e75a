//! A plain document of titled text tables — no organization, no number, no template to
//! edit: what the subject's export (152-ФЗ ст. 14) prints.

use serde::Serialize;

/// The document: a title, a line under it, sections.
#[derive(Debug, Clone, Serialize)]
pub struct TablesDoc {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<TableSection>,
}

/// One section: its title, the column titles and the rows (as many cells as columns).
#[derive(Debug, Clone, Serialize)]
pub struct TableSection {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub(crate) const SOURCE: &str = include_str!("../templates/tables.typ");
