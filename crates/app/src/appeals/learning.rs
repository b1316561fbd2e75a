//! What the appeals classifier learns from at start, besides the set shipped in the binary:
//! the installation's own labelled file (`<data_dir>/appeals_labelled.tsv`, same format) and
//! the specialists' corrections of suggestions at intake (kept by storage).

use std::path::Path;

use abonent_domain::appeal::{self, labelled_set, parse_labelled, Model};
use abonent_storage::appeals::learning::corrections;
use abonent_storage::Db;

use crate::AppError;

/// The file an installation adds labelled texts to, in its data directory.
pub const FILE_NAME: &str = "appeals_labelled.tsv";

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
        let n = |x: usize| abonent_domain::money::format_count(x as i64);
        let mut s = format!(
            "Классификатор обращений: {} (в поставке {}, из файла {}, исправлений {})",
            abonent_domain::money::counted(
                (self.shipped + self.from_file + self.corrections) as i64,
                ["пример", "примера", "примеров"]
            ),
            n(self.shipped),
            n(self.from_file),
            n(self.corrections)
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
pub async fn install_model(db: &Db, data_dir: Option<&Path>) -> Result<Learned, AppError> {
    let (model, learned) = train(db, data_dir).await?;
    appeal::install(model);
    Ok(learned)
}

/// The model [`install_model`] installs, and where its examples came from.
pub async fn train(db: &Db, data_dir: Option<&Path>) -> Result<(Model, Learned), AppError> {
    let mut set = labelled_set();
    let shipped = set.len();
    let (from_file, bad_lines) = match data_dir.map(|d| d.join(FILE_NAME)) {
        Some(path) if path.is_file() => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                AppError::Internal(format!("не удалось прочитать {}: {e}", path.display()))
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
    let model = tokio::task::spawn_blocking(move || {
        let model = Model::train(&set);
        // Training read most of the 19 MB dictionary; a running server needs few of its pages.
        abonent_domain::words::release_dictionary_pages();
        model
    })
    .await
    .map_err(|e| AppError::Internal(format!("классификатор не обучен: {e}")))?;
    Ok((model, learned))
}
