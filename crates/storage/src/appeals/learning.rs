//! What the appeals classifier learns from at start, besides the set shipped in the binary:
//! the installation's own labelled file (`<data_dir>/appeals_labelled.tsv`, same format) and
//! the specialists' corrections of suggestions at intake (table `classifier_examples`).

use std::path::Path;

use abonent_domain::appeal::{self, labelled_set, parse_labelled, Labelled, Model};
use sqlx::{AnyConnection, Row};

use crate::{Db, Result, StoreError};

/// The file an installation adds labelled texts to, in its data directory.
pub const FILE_NAME: &str = "appeals_labelled.tsv";

/// A correction to keep: the text with what the specialist chose instead of the suggestion.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Correction {
    pub text: String,
    pub category: String,
    pub emergency: bool,
    pub suggested_category: String,
    pub suggested_emergency: bool,
}

/// The correction a registration implies, if the specialist changed the suggestion: a
/// category chosen other than the suggested one, or a priority chosen that disagrees with
/// the emergency flag. What was left to the suggestion teaches nothing.
pub(crate) fn correction(
    text: &str,
    suggested: &appeal::Suggestion,
    chosen_category: Option<&str>,
    chosen_emergency: Option<bool>,
) -> Option<Correction> {
    let category = chosen_category.unwrap_or(&suggested.category);
    let emergency = chosen_emergency.unwrap_or(suggested.emergency);
    let changed = category != suggested.category || emergency != suggested.emergency;
    changed.then(|| Correction {
        text: text.trim().to_string(),
        category: category.to_string(),
        emergency,
        suggested_category: suggested.category.clone(),
        suggested_emergency: suggested.emergency,
    })
}

/// Writes a correction inside the registration's transaction.
pub(crate) async fn record_in(
    conn: &mut AnyConnection,
    c: &Correction,
    appeal_id: i64,
    at: &str,
    by: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO classifier_examples (text, category, emergency, suggested_category, \
         suggested_emergency, appeal_id, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.text)
    .bind(&c.category)
    .bind(i64::from(c.emergency))
    .bind(&c.suggested_category)
    .bind(i64::from(c.suggested_emergency))
    .bind(appeal_id)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The corrections kept so far, oldest first.
pub async fn corrections(db: &Db) -> Result<Vec<Labelled>> {
    let rows = sqlx::query("SELECT text, category, emergency FROM classifier_examples ORDER BY id")
        .fetch_all(db.read())
        .await?;
    Ok(rows
        .iter()
        .map(|r| Labelled {
            text: r.get(0),
            category: r.get(1),
            emergency: r.get::<i64, _>(2) != 0,
        })
        .collect())
}

/// Where the model's examples came from, for the start-up message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learned {
    pub shipped: usize,
    pub from_file: usize,
    /// Lines of the installation's file that do not fit the format (1-based).
    pub bad_lines: Vec<usize>,
    pub corrections: usize,
}

impl Learned {
    /// «Классификатор обращений: 812 примеров (в поставке 780, из файла 20, исправлений 12)».
    pub fn summary(&self) -> String {
        let mut s = format!(
            "Классификатор обращений: {} примеров (в поставке {}, из файла {}, исправлений {})",
            self.shipped + self.from_file + self.corrections,
            self.shipped,
            self.from_file,
            self.corrections
        );
        if !self.bad_lines.is_empty() {
            let lines: Vec<String> = self.bad_lines.iter().map(usize::to_string).collect();
            s.push_str(&format!(
                "; в файле {FILE_NAME} пропущены строки {} (нужно: текст, код категории, 0 или 1 через табуляцию)",
                lines.join(", ")
            ));
        }
        s
    }
}

/// Trains the classifier on the shipped set, the installation's file in `data_dir` (if
/// there) and the corrections, and makes it the one [`appeal::classify`] uses.
pub async fn install_model(db: &Db, data_dir: Option<&Path>) -> Result<Learned> {
    let (model, learned) = train(db, data_dir).await?;
    appeal::install(model);
    Ok(learned)
}

/// The model [`install_model`] installs, and where its examples came from.
pub async fn train(db: &Db, data_dir: Option<&Path>) -> Result<(Model, Learned)> {
    let mut set = labelled_set();
    let shipped = set.len();
    let (from_file, bad_lines) = match data_dir.map(|d| d.join(FILE_NAME)) {
        Some(path) if path.is_file() => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                StoreError::Other(format!("не удалось прочитать {}: {e}", path.display()))
            })?;
            parse_labelled(&text)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let corrections = corrections(db).await?;
    let learned = Learned {
        shipped,
        from_file: from_file.len(),
        bad_lines,
        corrections: corrections.len(),
    };
    set.extend(from_file);
    set.extend(corrections);
    // Training reads every text through the dictionary: off the async threads.
    let model = tokio::task::spawn_blocking(move || Model::train(&set))
        .await
        .map_err(|e| StoreError::Other(format!("классификатор не обучен: {e}")))?;
    Ok((model, learned))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(category: &str, emergency: bool) -> appeal::Suggestion {
        appeal::Suggestion {
            category: category.into(),
            emergency,
            reasons: Vec::new(),
            matched: Vec::new(),
        }
    }

    #[test]
    fn only_a_change_of_the_suggestion_is_a_correction() {
        let s = suggested("water.leak", true);
        assert_eq!(correction("т", &s, None, None), None);
        assert_eq!(correction("т", &s, Some("water.leak"), Some(true)), None);
        let c = correction(" т ", &s, Some("heating.leak"), None).unwrap();
        assert_eq!(
            (c.text.as_str(), c.category.as_str(), c.emergency),
            ("т", "heating.leak", true)
        );
        let c = correction("т", &s, None, Some(false)).unwrap();
        assert_eq!((c.category.as_str(), c.emergency), ("water.leak", false));
        assert_eq!(
            (c.suggested_category.as_str(), c.suggested_emergency),
            ("water.leak", true)
        );
    }
}
