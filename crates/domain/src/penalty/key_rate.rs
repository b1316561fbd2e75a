//! Bank of Russia key rate history as data: effective-from date → rate in basis points
//! (9,5 % = 950). The default is `data/key_rates.json` (regulations.md §2), embedded at build
//! time; an administrator can replace it with an imported file (`from_json`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;

/// The table shipped with the program.
pub const DEFAULT_KEY_RATES_JSON: &str = include_str!("../../data/key_rates.json");

/// How sure we are that a value matches the published source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Checked against a published source.
    Confirmed,
    /// Not checked yet: shown as such in the UI.
    Unverified,
}

/// One change of the rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRateEntry {
    /// The first day the rate is in force.
    pub from: NaiveDate,
    /// Rate in basis points: 9,5 % = 950.
    pub rate_bp: u32,
    /// Where the value comes from (decision of the Bank of Russia, a regulation, …).
    pub source: String,
    pub confidence: Confidence,
}

/// Rates ordered by date, validated: strictly increasing dates, rates in (0; 100 %].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRateTable {
    #[serde(default)]
    pub description: String,
    pub entries: Vec<KeyRateEntry>,
}

impl Default for KeyRateTable {
    /// The embedded table; it is checked by a test, so this cannot fail in a release.
    fn default() -> Self {
        Self::from_json(DEFAULT_KEY_RATES_JSON).expect("embedded data/key_rates.json is valid")
    }
}

impl KeyRateTable {
    /// Build from entries; entries are sorted by date first, then validated.
    pub fn new(
        description: impl Into<String>,
        mut entries: Vec<KeyRateEntry>,
    ) -> Result<Self, ValidationErrors> {
        entries.sort_by_key(|e| e.from);
        let table = Self {
            description: description.into(),
            entries,
        };
        table.validate().into_result(table)
    }

    /// Parse and validate a JSON file (`{"description": "...", "entries": [{"from":
    /// "2024-07-29", "rate_bp": 1800, "source": "...", "confidence": "confirmed"}]}`).
    pub fn from_json(json: &str) -> Result<Self, ValidationErrors> {
        let raw: KeyRateTable = serde_json::from_str(json).map_err(|e| {
            ValidationErrors::single(
                "key_rates",
                format!("Файл ключевых ставок не читается как JSON нужного вида: {e}"),
            )
        })?;
        Self::new(raw.description, raw.entries)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a table serialises")
    }

    /// Problems with the table; empty when it is usable.
    pub fn validate(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if self.entries.is_empty() {
            errors.add("entries", "В таблице ключевых ставок нет ни одной записи");
        }
        for (i, e) in self.entries.iter().enumerate() {
            let field = |f: &str| format!("entries[{i}].{f}");
            if e.rate_bp == 0 || e.rate_bp > 10_000 {
                errors.add(
                    &field("rate_bp"),
                    format!(
                        "Ставка с {} должна быть больше 0 и не больше 100 % (10000 б.п.), \
                         указано {} б.п.",
                        e.from.format("%d.%m.%Y"),
                        e.rate_bp
                    ),
                );
            }
            if e.source.trim().is_empty() {
                errors.add(
                    &field("source"),
                    format!("Укажите источник ставки с {}", e.from.format("%d.%m.%Y")),
                );
            }
            if i > 0 && self.entries[i - 1].from == e.from {
                errors.add(
                    &field("from"),
                    format!(
                        "Дата {} встречается в таблице дважды",
                        e.from.format("%d.%m.%Y")
                    ),
                );
            }
        }
        errors
    }

    /// The rate in force on `date`, or `None` before the first entry.
    pub fn rate_on(&self, date: NaiveDate) -> Option<u32> {
        self.entry_on(date).map(|e| e.rate_bp)
    }

    /// The entry in force on `date`.
    pub fn entry_on(&self, date: NaiveDate) -> Option<&KeyRateEntry> {
        let idx = self.entries.partition_point(|e| e.from <= date);
        idx.checked_sub(1).map(|i| &self.entries[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn embedded_table_is_valid_and_matches_regulations() {
        let t = KeyRateTable::default();
        assert_eq!(t.entries.len(), 55);
        assert_eq!(t.rate_on(d(2015, 8, 2)), None);
        assert_eq!(t.rate_on(d(2015, 8, 3)), Some(1100));
        assert_eq!(t.rate_on(d(2022, 2, 27)), Some(950));
        assert_eq!(t.rate_on(d(2022, 2, 28)), Some(2000));
        assert_eq!(t.rate_on(d(2022, 4, 10)), Some(2000));
        assert_eq!(t.rate_on(d(2022, 4, 11)), Some(1700));
        assert_eq!(t.rate_on(d(2024, 10, 28)), Some(2100));
        assert_eq!(t.rate_on(d(2025, 10, 27)), Some(1650));
        assert_eq!(t.rate_on(d(2026, 2, 16)), Some(1550));
        assert_eq!(t.rate_on(d(2030, 1, 1)), Some(1400));
        // Values after 16.02.2026 are not confirmed in regulations.md.
        let e = t.entry_on(d(2026, 3, 23)).unwrap();
        assert_eq!(e.confidence, Confidence::Unverified);
        assert_eq!(
            t.entry_on(d(2026, 3, 22)).unwrap().confidence,
            Confidence::Confirmed
        );
        assert!(t.entries.windows(2).all(|w| w[0].from < w[1].from));
    }

    #[test]
    fn json_round_trip() {
        let t = KeyRateTable::default();
        assert_eq!(KeyRateTable::from_json(&t.to_json()), Ok(t));
    }

    #[test]
    fn rejects_bad_tables_in_russian() {
        let err = KeyRateTable::from_json("{\"entries\": []}").unwrap_err();
        assert!(err.for_field("entries").unwrap().contains("нет ни одной"));

        let json = r#"{"entries": [
            {"from": "2024-01-01", "rate_bp": 0, "source": "x", "confidence": "confirmed"},
            {"from": "2023-01-01", "rate_bp": 1600, "source": " ", "confidence": "unverified"},
            {"from": "2024-01-01", "rate_bp": 1700, "source": "y", "confidence": "confirmed"}
        ]}"#;
        let err = KeyRateTable::from_json(json).unwrap_err();
        // Sorted first: 2023 entry is [0].
        assert!(err.for_field("entries[0].source").is_some());
        assert!(err
            .for_field("entries[1].rate_bp")
            .unwrap()
            .contains("больше 0"));
        assert!(err.for_field("entries[2].from").unwrap().contains("дважды"));

        let err = KeyRateTable::from_json("not json").unwrap_err();
        assert!(err.for_field("key_rates").unwrap().contains("JSON"));
        let err = KeyRateTable::from_json(
            r#"{"entries":[{"from":"2024-13-01","rate_bp":1,"source":"x","confidence":"confirmed"}]}"#,
        )
        .unwrap_err();
        assert!(err.for_field("key_rates").is_some());
    }

    #[test]
    fn new_sorts_entries() {
        let e = |y, bp| KeyRateEntry {
            from: d(y, 1, 1),
            rate_bp: bp,
            source: "тест".into(),
            confidence: Confidence::Confirmed,
        };
        let t = KeyRateTable::new("", vec![e(2021, 700), e(2020, 600)]).unwrap();
        assert_eq!(t.rate_on(d(2020, 6, 1)), Some(600));
        assert_eq!(t.rate_on(d(2021, 6, 1)), Some(700));
    }
}
