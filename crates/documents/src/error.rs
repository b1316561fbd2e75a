//! Render errors, with typst diagnostics turned into a Russian message and a template line.

use abonent_domain::ValidationErrors;
use typst::diag::SourceDiagnostic;
use typst::syntax::{FileId, Source};
use typst::WorldExt;

use crate::world::DocWorld;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The template is broken: show this to the administrator, never a broken document.
    /// `line`/`column` are 1-based in the rendered template (0 when unknown).
    #[error("Ошибка в шаблоне, строка {line}, позиция {column}: {message}")]
    Template {
        line: usize,
        column: usize,
        message: String,
    },
    /// The data or the organization's requisites are incomplete: nothing was rendered.
    #[error("{0}")]
    Data(ValidationErrors),
    /// The PDF writer failed (should not happen with valid templates).
    #[error("Не удалось сформировать PDF: {0}")]
    Pdf(String),
}

/// Russian for the typst messages an administrator meets most; the original stays in brackets.
fn translate(msg: &str) -> Option<String> {
    const PREFIXES: [(&str, &str); 14] = [
        ("unclosed delimiter", "не закрыта скобка или кавычка"),
        ("unclosed string", "не закрыта строка (кавычка)"),
        ("unexpected", "неожиданный символ или конструкция"),
        ("expected", "здесь ожидается другое"),
        ("unknown variable", "неизвестное имя"),
        (
            "dictionary does not contain key",
            "в данных нет такого поля",
        ),
        ("array index out of bounds", "нет элемента с таким номером"),
        (
            "file not found",
            "файл не найден (доступны только /common.typ, /data.json, /qr.svg)",
        ),
        ("cannot access fields on type", "у этого значения нет полей"),
        ("cannot add", "нельзя сложить значения разных типов"),
        ("cannot join", "нельзя соединить значения разных типов"),
        (
            "unknown font family",
            "такого шрифта нет (доступен Noto Serif)",
        ),
        (
            "package not found",
            "пакеты typst не поддерживаются: загрузка из сети отключена",
        ),
        ("maximum", "превышено ограничение"),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| msg.starts_with(p))
        .map(|(_, ru)| ru.to_string())
}

/// (line, column), 1-based, of a byte offset in a source.
fn line_col(source: &Source, byte: usize) -> Option<(usize, usize)> {
    let (l, c) = source.lines().byte_to_line_column(byte)?;
    Some((l + 1, c + 1))
}

/// The first error as [`RenderError::Template`]: located in the main template when the error
/// or a call leading to it is there; otherwise the shared file is named in the message.
pub(crate) fn template_error(world: &DocWorld<'_>, diags: &[SourceDiagnostic]) -> RenderError {
    let Some(d) = diags.first() else {
        return RenderError::Pdf("typst не сообщил причину ошибки".into());
    };
    let main = world.main_id();
    let locate = |id: Option<FileId>, range: Option<std::ops::Range<usize>>| {
        let id = id?;
        let source = world.source_of(id)?;
        line_col(&source, range?.start).map(|lc| (id, lc))
    };
    let here = locate(d.span.id(), world.range(d.span));
    let in_main = here.filter(|(id, _)| *id == main).or_else(|| {
        d.trace.iter().find_map(|t| {
            let span: typst::syntax::DiagSpan = t.span.into();
            locate(span.id(), world.range(span)).filter(|(id, _)| *id == main)
        })
    });
    let original = d.message.as_str();
    let mut message = match translate(original) {
        Some(ru) => format!("{ru} [{original}]"),
        None => original.to_string(),
    };
    if let Some((id, (l, _))) = here.filter(|(id, _)| *id != main) {
        message.push_str(&format!(
            " — в файле {}, строка {l}",
            id.vpath().get_without_slash()
        ));
    }
    for hint in d.hints.iter().take(2) {
        message.push_str(&format!("; подсказка: {}", hint.v));
    }
    let (line, column) = in_main.map_or((0, 0), |(_, lc)| lc);
    RenderError::Template {
        line,
        column,
        message,
    }
}
