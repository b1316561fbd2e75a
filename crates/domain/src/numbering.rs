//! Registration number patterns (схемы нумерации): `Вх-{n}/{yy}`, `{year}-{n:6}`. The counter
//! itself lives in storage; this module only checks a pattern and renders a number with it.

use std::fmt;

/// The longest pattern an administrator may enter; numbers are printed on documents.
pub const MAX_PATTERN_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// The sequence number, zero-padded to `width` digits (0 — no padding).
    Seq {
        width: usize,
    },
    /// Four-digit year.
    Year,
    /// Last two digits of the year.
    ShortYear,
}

/// A checked pattern. Exactly one `{n}`, so distinct numbers of one year always render
/// differently (the registers rely on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberScheme {
    pattern: String,
    parts: Vec<Part>,
}

const HELP: &str = "Допустимы: {n} — порядковый номер, {n:6} — номер с ведущими нулями до 6 цифр, \
    {year} — год (2026), {yy} — две последние цифры года (26)";

impl NumberScheme {
    /// Parses a pattern; the error is a Russian sentence saying what to fix.
    pub fn parse(pattern: &str) -> Result<Self, String> {
        let pattern = pattern.trim();
        if pattern.is_empty() {
            return Err(format!(
                "Укажите шаблон номера, например «Вх-{{n}}/{{yy}}». {HELP}."
            ));
        }
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(format!(
                "Шаблон номера длиннее {MAX_PATTERN_CHARS} символов: сократите его."
            ));
        }
        if pattern.chars().any(char::is_control) {
            return Err("Шаблон номера содержит управляющие символы: уберите их.".into());
        }
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            match c {
                '{' => {
                    let Some(end) = rest.find('}') else {
                        return Err(format!(
                            "В шаблоне «{pattern}» не закрыта фигурная скобка «{{». {HELP}."
                        ));
                    };
                    let token = &rest[1..end];
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(token_part(token, pattern)?);
                    rest = &rest[end + 1..];
                }
                '}' => {
                    return Err(format!(
                        "В шаблоне «{pattern}» лишняя закрывающая скобка «}}». {HELP}."
                    ))
                }
                _ => {
                    text.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        match parts
            .iter()
            .filter(|p| matches!(p, Part::Seq { .. }))
            .count()
        {
            0 => Err(format!(
                "В шаблоне «{pattern}» нет порядкового номера {{n}}: без него номера повторятся. Добавьте {{n}} или {{n:6}}."
            )),
            1 => Ok(Self {
                pattern: pattern.to_string(),
                parts,
            }),
            _ => Err(format!(
                "В шаблоне «{pattern}» порядковый номер {{n}} указан несколько раз: оставьте один."
            )),
        }
    }

    /// The number `n` of `year` rendered by the pattern.
    pub fn format(&self, year: i32, n: i64) -> String {
        let mut out = String::with_capacity(self.pattern.len() + 8);
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Seq { width } => out.push_str(&format!("{n:0width$}")),
                Part::Year => out.push_str(&year.to_string()),
                Part::ShortYear => out.push_str(&format!("{:02}", year.rem_euclid(100))),
            }
        }
        out
    }

    /// The pattern as entered (trimmed).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
}

impl fmt::Display for NumberScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

fn token_part(token: &str, pattern: &str) -> Result<Part, String> {
    match token {
        "n" => Ok(Part::Seq { width: 0 }),
        "year" => Ok(Part::Year),
        "yy" => Ok(Part::ShortYear),
        _ => match token.strip_prefix("n:").map(str::parse::<usize>) {
            Some(Ok(width @ 1..=12)) => Ok(Part::Seq { width }),
            Some(_) => Err(format!(
                "В шаблоне «{pattern}» ширина номера «{{{token}}}» должна быть числом от 1 до 12, например {{n:6}}."
            )),
            None => Err(format!(
                "В шаблоне «{pattern}» неизвестная подстановка «{{{token}}}». {HELP}."
            )),
        },
    }
}

/// The refusal of a stored numbering pattern (`key` is the setting, `why` what
/// [`NumberScheme::parse`] found), shown at that setting.
pub fn bad_scheme(key: &str, why: &str) -> crate::ValidationErrors {
    crate::ValidationErrors::single(
        key,
        format!("Схема нумерации «{key}» неверна: {why} Исправьте её на странице «Нумерация»."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn renders_tokens() {
        let s = NumberScheme::parse(" Вх-{n}/{yy} ").unwrap();
        assert_eq!(s.format(2026, 7), "Вх-7/26");
        assert_eq!(s.pattern(), "Вх-{n}/{yy}");
        let s = NumberScheme::parse("{year}-{n:6}").unwrap();
        assert_eq!(s.format(2026, 42), "2026-000042");
        assert_eq!(s.format(2026, 1_234_567), "2026-1234567");
        assert_eq!(NumberScheme::parse("{n}").unwrap().format(2009, 1), "1");
        assert_eq!(
            NumberScheme::parse("{n}/{yy}").unwrap().format(2009, 3),
            "3/09"
        );
    }

    #[test]
    fn a_bad_stored_scheme_is_shown_at_its_setting() {
        let e = bad_scheme("numbering.incoming", "Нет {n}.");
        assert_eq!(
            e.for_field("numbering.incoming"),
            Some("Схема нумерации «numbering.incoming» неверна: Нет {n}. Исправьте её на странице «Нумерация».")
        );
    }

    #[test]
    fn bad_patterns_are_explained_in_russian() {
        let err = |p: &str| NumberScheme::parse(p).unwrap_err();
        assert!(err("Вх-{yy}").contains("нет порядкового номера {n}"));
        assert!(err("").contains("Укажите шаблон"));
        assert!(err("{n}-{n}").contains("несколько раз"));
        assert!(err("{n}-{month}").contains("неизвестная подстановка «{month}»"));
        assert!(err("{n:0}").contains("от 1 до 12"));
        assert!(err("{n:x}").contains("от 1 до 12"));
        assert!(err("{n").contains("не закрыта"));
        assert!(err("n}").contains("лишняя закрывающая"));
        assert!(err(&"Я".repeat(61)).contains("длиннее 60"));
        assert!(err("{n}\u{7}x").contains("управляющие"));
        // Surrounding whitespace is trimmed, not an error.
        assert_eq!(NumberScheme::parse("{n}\t").unwrap().pattern(), "{n}");
    }

    /// Patterns made of the tokens and arbitrary literal text around one `{n}`.
    fn pattern() -> impl Strategy<Value = String> {
        let lit = "[А-Яа-яA-Za-z0-9/№ .-]{0,6}";
        let tok = prop_oneof![
            Just("{year}".to_string()),
            Just("{yy}".to_string()),
            lit.prop_map(|s| s.to_string()),
        ];
        let seq = prop_oneof![
            Just("{n}".to_string()),
            (1usize..=12).prop_map(|w| format!("{{n:{w}}}"))
        ];
        (
            proptest::collection::vec(tok.clone(), 0..3),
            seq,
            proptest::collection::vec(tok, 0..3),
        )
            .prop_map(|(a, s, b)| format!("{}{s}{}", a.concat(), b.concat()))
    }

    proptest! {
        #[test]
        fn format_is_injective_in_n(p in pattern(), year in 1990i32..2100, a in 1i64..10_000_000, b in 1i64..10_000_000) {
            let s = NumberScheme::parse(&p);
            prop_assume!(s.is_ok());
            let s = s.unwrap();
            prop_assert_eq!(s.format(year, a) == s.format(year, b), a == b, "{} {} {}", p, a, b);
        }

        #[test]
        fn parse_never_panics(p in ".{0,80}") {
            let _ = NumberScheme::parse(&p);
        }
    }
}
