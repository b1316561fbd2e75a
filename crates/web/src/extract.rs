//! Extractors whose refusals are Russian and name the part at fault: a malformed path
//! parameter, query string, JSON or multipart body is answered as problem+json on the API and
//! as an error page elsewhere, never with axum's English plain text. Handlers import `Path`,
//! `Query` and `Multipart` from here (a test in `tests` below keeps it so).

use std::ops::{Deref, DerefMut};

use axum::extract::multipart::MultipartError;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Refusal;
use crate::AppError;

/// Path parameters, like `axum::extract::Path`.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => {
                let raw = RawPathParams::from_request_parts(parts, state).await.ok();
                let names: Vec<(String, String)> = raw
                    .iter()
                    .flat_map(|r| r.iter())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                let (field, detail) = path_message(&e, &names);
                Err(Refusal::field(parts.uri.path(), &field, detail))
            }
        }
    }
}

fn path_message(e: &PathRejection, names: &[(String, String)]) -> (String, String) {
    let named = |key: &str, value: &str, expected: &str| {
        (
            key.to_string(),
            format!(
                "Часть адреса «{key}» — «{value}», а нужно {}: исправьте адрес.",
                kind_of(expected)
            ),
        )
    };
    let key_of = |value: &str| {
        names
            .iter()
            .find(|(_, v)| v == value)
            .map_or("id".to_string(), |(k, _)| k.clone())
    };
    match e {
        PathRejection::FailedToDeserializePathParams(f) => match f.kind() {
            ErrorKind::ParseErrorAtKey {
                key,
                value,
                expected_type,
            } => named(key, value, expected_type),
            ErrorKind::ParseErrorAtIndex {
                index,
                value,
                expected_type,
            } => {
                let key = names
                    .get(*index)
                    .map_or_else(|| key_of(value), |n| n.0.clone());
                named(&key, value, expected_type)
            }
            ErrorKind::ParseError {
                value,
                expected_type,
            } => named(&key_of(value), value, expected_type),
            ErrorKind::DeserializeError { key, value, .. } => named(key, value, "value"),
            ErrorKind::InvalidUtf8InPathParam { key } => (
                key.clone(),
                format!("Часть адреса «{key}» — не текст в UTF-8: исправьте адрес."),
            ),
            _ => (
                "path".into(),
                "Адрес запроса не разобран: сверьтесь со справочником /api/docs.".into(),
            ),
        },
        _ => (
            "path".into(),
            "Адрес запроса не разобран: сверьтесь со справочником /api/docs.".into(),
        ),
    }
}

/// The Russian name of what a Rust type expects.
fn kind_of(expected: &str) -> &'static str {
    let t = expected.rsplit("::").next().unwrap_or(expected);
    match t {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "целое число"
        }
        "f32" | "f64" => "число",
        "bool" => "true или false",
        _ => "другое значение",
    }
}

/// The query string, like `axum::extract::Query`; a missing or wrong parameter is named.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Refusal> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let value_of = |k: &str| {
                    url::form_urlencoded::parse(query.as_bytes())
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.into_owned())
                };
                let (field, detail) = serde_message(
                    &e.path().to_string(),
                    &e.inner().to_string(),
                    "параметр адреса",
                    value_of,
                );
                Refusal::field(parts.uri.path(), &field, detail)
            })
    }
}

/// A serde error of a field as a Russian message naming it: (field, message). `place` is
/// where the field is («параметр адреса», «поле JSON»); `value_of` finds what was sent.
pub fn serde_message(
    path: &str,
    message: &str,
    place: &str,
    value_of: impl Fn(&str) -> Option<String>,
) -> (String, String) {
    if let Some(name) = between(message, "missing field `", "`") {
        let field = join(path, name);
        return (
            field.clone(),
            format!("В запросе нет обязательного значения «{field}» ({place}): добавьте его."),
        );
    }
    // The whole body or query at fault (an array instead of an object) has no field name.
    let field = if path.is_empty() || path == "." {
        "body".to_string()
    } else {
        path.to_string()
    };
    let sent = value_of(&field).map_or(String::new(), |v| format!(" — «{v}»"));
    // serde says «invalid type: integer `5`, expected a string»: what is expected decides.
    let expected = message.rsplit("expected ").next().unwrap_or(message);
    let need = if let Some(list) = message.split("expected one of ").nth(1) {
        let values: Vec<String> = list
            .split(", ")
            .map(|v| format!("«{}»", v.trim_matches('`')))
            .collect();
        format!("допустимые значения: {}", values.join(", "))
    } else if expected.contains("digit") || expected.contains("integer") || expected.contains("i64")
    {
        "нужно целое число".into()
    } else if expected.contains("float") || expected.contains("number") {
        "нужно число".into()
    } else if expected.contains("true") || expected.contains("bool") {
        "нужно true или false".into()
    } else if expected.contains("a string") {
        "нужна строка".into()
    } else {
        "значение не подходит — сверьтесь со справочником /api/docs".into()
    };
    (
        field.clone(),
        format!("Значение «{field}» ({place}){sent}: {need}."),
    )
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A multipart body, like `axum::extract::Multipart`.
pub struct Multipart(pub axum::extract::Multipart);

impl Deref for Multipart {
    type Target = axum::extract::Multipart;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Multipart {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refusal> {
        let path = req.uri().path().to_string();
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|_| {
                Refusal::field(
                    &path,
                    "file",
                    "Тело запроса должно быть multipart/form-data с границей (boundary) и файлом в поле file: проверьте заголовок Content-Type.".into(),
                )
            })
    }
}

/// A multipart body broken while it is read, in Russian (axum's text is English).
pub fn multipart_error(e: MultipartError) -> AppError {
    AppError::BadRequest(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        "Файл в поле file слишком большой: не более 50 МБ.".into()
    } else {
        "Тело multipart/form-data повреждено или оборвано: отправьте файл в поле file ещё раз."
            .into()
    })
}

/// A form or file a page could not read whole (a broken or oversized body), in Russian:
/// axum's own text is English and is only logged.
pub fn unreadable(e: impl std::fmt::Display) -> AppError {
    let text = e.to_string();
    tracing::debug!("unreadable request body: {text}");
    AppError::BadRequest(if text.contains("limit") || text.contains("too large") {
        "Файл слишком большой: не более 50 МБ.".into()
    } else {
        "Форма или файл получены не целиком: выберите файл и отправьте форму ещё раз.".into()
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path as FsPath;

    /// The lines of the sources under `dirs` (of this crate) for which `wrong` holds, named by
    /// file.
    fn lines_where(dirs: &[&str], wrong: &dyn Fn(&str) -> bool) -> Vec<String> {
        fn walk(dir: &FsPath, wrong: &dyn Fn(&str) -> bool, bad: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, wrong, bad);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| wrong(l)) {
                    bad.push(format!("{}: {line}", path.display()));
                }
            }
        }
        let mut bad = Vec::new();
        for dir in dirs {
            walk(
                &FsPath::new(env!("CARGO_MANIFEST_DIR")).join(dir),
                wrong,
                &mut bad,
            );
        }
        bad
    }

    /// A page never shows a library's English error text: a body it cannot read is worded by
    /// `unreadable` or `multipart_error`.
    #[test]
    fn pages_never_pass_library_errors_through() {
        let bad = lines_where(&["src/pages", "src/api"], &|line| {
            let passes = line.contains("BadRequest(")
                && (line.contains("{e}") || line.contains("e.to_string()"));
            passes || line.contains("bad(e.to_string())")
        });
        assert!(
            bad.is_empty(),
            "English passed through:\n{}",
            bad.join("\n")
        );
    }

    /// Every API handler refuses in Russian problem+json only if it takes these extractors
    /// from here: axum's own would answer in English plain text.
    #[test]
    fn api_handlers_use_these_extractors() {
        let bad = lines_where(&["src/api"], &|line| {
            line.contains("axum::extract")
                && ["Path", "Query", "Multipart", "Json"].iter().any(|t| {
                    line.contains(&format!("axum::extract::{t}"))
                        || line.contains("axum::extract::{")
                            && line.split(['{', ',', '}']).any(|i| i.trim() == *t)
                })
        });
        assert!(
            bad.is_empty(),
            "use crate::extract instead:\n{}",
            bad.join("\n")
        );
    }
}
