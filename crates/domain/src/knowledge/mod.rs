//! The knowledge base (issue 20 §4): articles the specialists answer from — frequent
//! questions, procedures, legal explanations — with their legal references and the
//! «новое в законодательстве» mark that puts an article into the feed staff confirm reading.
//!
//! Every edit is a new version; this module checks a version before it is saved and ranks
//! articles for a query ([`search`]).

pub mod search;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text;
use crate::ValidationErrors;

/// Who may read an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Staff only (internal procedures).
    #[default]
    Staff,
    /// May be given or sent to residents too.
    Residents,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Staff, Audience::Residents];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Staff => "staff",
            Audience::Residents => "residents",
        }
    }

    pub fn from_code(code: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Audience::Staff => "Только для сотрудников",
            Audience::Residents => "Можно давать жителям",
        }
    }
}

/// A reference to a legal act, with the day it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LegalReference {
    /// «ПП РФ № 354 от 06.05.2011, п. 86».
    pub title: String,
    pub effective_on: NaiveDate,
}

/// One version of an article as typed. A field left out reads as empty, so that the answer
/// names it (422) rather than refusing the whole request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ArticleDraft {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// A topic: «Начисления», «Перерасчёт», «Жалобы»… Matched against the appeal categories
    /// when articles are suggested for an appeal.
    pub category: String,
    pub audience: Audience,
    pub references: Vec<LegalReference>,
    /// «Новое в законодательстве»: the day the change takes effect. Such an article is in the
    /// feed and every specialist confirms reading it.
    pub legal_news_on: Option<NaiveDate>,
}

pub const TITLE_MAX: usize = 200;
pub const CATEGORY_MAX: usize = 100;
pub const BODY_MAX: usize = 100_000;
pub const REFERENCE_MAX: usize = 300;

/// Checks a version and returns it cleaned (title and category trimmed and collapsed, the
/// body trimmed with its lines kept), or every problem with the field it is in.
pub fn check(draft: &ArticleDraft) -> Result<ArticleDraft, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let title = text::required(&mut e, "title", "Заголовок", &draft.title, TITLE_MAX);
    let category = text::required(&mut e, "category", "Раздел", &draft.category, CATEGORY_MAX);
    let body = draft.body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        e.add("body", "Заполните поле «Текст статьи».");
    } else if body.chars().count() > BODY_MAX {
        e.add(
            "body",
            format!(
                "Поле «Текст статьи» слишком длинное, допустимо не более {} символов. \
                 Разделите статью на несколько.",
                crate::money::format_count(BODY_MAX as i64)
            ),
        );
    } else if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        e.add(
            "body",
            "Поле «Текст статьи» содержит управляющие символы. Уберите их.",
        );
    }
    let mut references = Vec::new();
    for (i, r) in draft.references.iter().enumerate() {
        let field = format!("references[{i}].title");
        let label = format!("Нормативный акт № {}", i + 1);
        let t = text::required(&mut e, &field, &label, &r.title, REFERENCE_MAX);
        references.push(LegalReference {
            title: t,
            effective_on: r.effective_on,
        });
    }
    if let Some(news) = draft.legal_news_on {
        if let Some(r) = references.iter().find(|r| r.effective_on > news) {
            e.add(
                "legal_news_on",
                format!(
                    "Дата вступления изменений в силу {} раньше даты вступления в силу акта «{}» ({}). \
                     Укажите дату, с которой действует новая норма.",
                    news.format("%d.%m.%Y"),
                    r.title,
                    r.effective_on.format("%d.%m.%Y")
                ),
            );
        }
    }
    e.into_result(ArticleDraft {
        title,
        body,
        category,
        audience: draft.audience,
        references,
        legal_news_on: draft.legal_news_on,
    })
}

/// Reads the references typed one per line as `title | dd.mm.yyyy` (the form's textarea).
/// A line without a date or with a wrong one is named by its number.
pub fn parse_references(lines: &str) -> Result<Vec<LegalReference>, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut out = Vec::new();
    for (i, line) in lines.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((title, date)) = line.rsplit_once('|') else {
            e.add(
                "references",
                format!(
                    "Строка {} нормативных актов: укажите дату вступления в силу после «|», \
                     например «ПП РФ № 354, п. 86 | 01.09.2012».",
                    i + 1
                ),
            );
            continue;
        };
        match NaiveDate::parse_from_str(date.trim(), "%d.%m.%Y") {
            Ok(d) => out.push(LegalReference {
                title: title.trim().to_string(),
                effective_on: d,
            }),
            Err(_) => e.add(
                "references",
                format!(
                    "Строка {} нормативных актов: дата «{}» не читается, нужна дд.мм.гггг.",
                    i + 1,
                    date.trim()
                ),
            ),
        }
    }
    e.into_result(out)
}

/// The references written back one per line, as [`parse_references`] reads them.
pub fn format_references(refs: &[LegalReference]) -> String {
    refs.iter()
        .map(|r| format!("{} | {}", r.title, r.effective_on.format("%d.%m.%Y")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown reduced to its words for search fragments: markup characters and link targets
/// dropped, lines joined.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `[text](target)`: keep the text, drop the target.
            ']' if chars.peek() == Some(&'(') => {
                for t in chars.by_ref() {
                    if t == ')' {
                        break;
                    }
                }
            }
            '#' | '*' | '_' | '`' | '>' | '[' | ']' => {}
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words storage and the app say about articles.
pub mod words {
    pub const NOUN: &str = "Статья базы знаний";

    pub fn version_missing(n: i64) -> String {
        format!("Версия {n} статьи не найдена")
    }

    /// A confirmation names a person: an API token names none.
    pub const NEEDS_PERSON: &str = "Прочтение подтверждает сотрудник под своим именем: \
        войдите в программу (API-токен не называет человека)";

    /// Confirming reading is for articles in the legal-changes feed.
    pub const NOT_NEWS: &str =
        "Статья не отмечена как «новое в законодательстве»: подтверждать прочтение не нужно";
}
