//! Every staff page reads as people write (issue 17 §6). The pages are found by following the
//! links of each staff role's pages on the demo company (a thousand accounts, their ledger,
//! an appeal, a letter and a document, so that counts and sums run into thousands), and the
//! text a person reads on each is checked:
//! - dates are ДД.ММ.ГГГГ — never as stored (`2026-12-07`), American (`12/07/2026`) or a UTC
//!   instant (`…T10:00Z`);
//! - counts and sums of four digits and more are grouped (`12 500`, `1 234,56 ₽`);
//! - a counted noun agrees with its number («2 платежа», «5 платежей»);
//! - no English word outside a short list of abbreviations;
//! - no pointer to the program's own files (`docs/…`, `….md`, `data/….json`).
//!
//! Every problem is reported with its page and the text around it.

mod common;

use std::collections::{BTreeMap, VecDeque};

use abonent_domain::money::plural;
use abonent_domain::Role;
use axum::http::{Method, StatusCode};
use serde_json::json;

/// Pages of one kind of address (numbers as `N`) that are read: a few, not every account.
const PER_KIND: usize = 3;
/// Pages read per role at most.
const MAX_PAGES: usize = 400;

/// The entities askama and the templates write, as a person reads them.
const ENTITIES: [(&str, &str); 13] = [
    ("&nbsp;", "\u{a0}"),
    ("&#8239;", "\u{202f}"),
    ("&quot;", "\""),
    ("&#34;", "\""),
    ("&#x27;", "'"),
    ("&#39;", "'"),
    ("&laquo;", "«"),
    ("&raquo;", "»"),
    ("&mdash;", "—"),
    ("&ndash;", "–"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&amp;", "&"),
];

fn decode(s: &str) -> String {
    ENTITIES
        .iter()
        .fold(s.to_string(), |acc, (entity, ch)| acc.replace(entity, ch))
}

/// The value of attribute `name` in the inside of a tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// Where a block, a cell or a field ends: a number before it does not count the word after.
const BOUNDARY: char = '¦';

/// Elements whose end ends a phrase.
const BLOCKS: &[&str] = &[
    "p", "div", "td", "th", "tr", "li", "dt", "dd", "h1", "h2", "h3", "h4", "label", "button",
    "section", "summary", "br", "legend", "caption", "option", "nav", "header", "footer",
];

/// The text between tags and the hints a person reads (`title`, `placeholder`), without
/// scripts, styles, what was typed into a form, the choices of a list (examples of file formats
/// and time zones) and code shown as code (`<pre>`, `<code>`: a template's text, a category's
/// code): what a person reads.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut skip: Option<&str> = None;
    for part in html.split('<').skip(1) {
        let Some((tag, text)) = part.split_once('>') else {
            continue;
        };
        let name = tag.split_whitespace().next().unwrap_or("").to_lowercase();
        if let Some(end) = skip {
            if name == end {
                skip = None;
            }
            continue;
        }
        // A figure shown alone (a card's number, a count badge) is a count, as after «всего».
        let figure = |c: &str| c == "stat" || c == "count" || c.ends_with("-count");
        if attr(tag, "class").is_some_and(|c| c.split_whitespace().any(figure)) {
            out.push_str("всего ");
        }
        for hint in ["title", "placeholder"] {
            if let Some(v) = attr(tag, hint) {
                out.push_str(&decode(v));
                out.push_str(" | ");
            }
        }
        match name.as_str() {
            "script" => skip = Some("/script"),
            "style" => skip = Some("/style"),
            "textarea" => skip = Some("/textarea"),
            "option" => skip = Some("/option"),
            "pre" => skip = Some("/pre"),
            "code" => skip = Some("/code"),
            _ => {
                let bare = name.trim_start_matches('/').trim_end_matches('/');
                if BLOCKS.contains(&bare) {
                    out.push(BOUNDARY);
                }
                out.push_str(&decode(text));
                out.push(' ');
            }
        }
    }
    out
}

/// The text around char `i` of `c`, for a report.
fn around(c: &[char], i: usize) -> String {
    let from = i.saturating_sub(50);
    let to = (i + 40).min(c.len());
    c[from..to]
        .iter()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn digits_at(c: &[char], i: usize, n: usize) -> bool {
    i + n <= c.len() && c[i..i + n].iter().all(char::is_ascii_digit)
}

fn digit_at(c: &[char], i: usize) -> bool {
    c.get(i).is_some_and(char::is_ascii_digit)
}

/// Dates as stored, American dates and UTC instants.
fn bad_dates(c: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..c.len() {
        if i > 0 && (digit_at(c, i - 1) || c[i - 1] == ':' || c[i - 1] == '/') {
            continue;
        }
        let iso = digits_at(c, i, 4)
            && c.get(i + 4) == Some(&'-')
            && digits_at(c, i + 5, 2)
            && c.get(i + 7) == Some(&'-')
            && digits_at(c, i + 8, 2);
        let us = (1..=2).any(|m| {
            digits_at(c, i, m)
                && c.get(i + m) == Some(&'/')
                && (1..=2).any(|d| {
                    digits_at(c, i + m + 1, d)
                        && c.get(i + m + 1 + d) == Some(&'/')
                        && digits_at(c, i + m + d + 2, 4)
                })
        });
        let utc = digits_at(c, i, 2) && c.get(i + 2) == Some(&':') && digits_at(c, i + 3, 2) && {
            let mut j = i + 5;
            while j < c.len() && (c[j].is_ascii_digit() || c[j] == ':' || c[j] == '.') {
                j += 1;
            }
            c.get(j) == Some(&'Z') && !c.get(j + 1).is_some_and(|x| x.is_alphanumeric())
        };
        if iso || us || utc {
            out.push(around(c, i));
        }
    }
    out
}

const SEPARATORS: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// A number in the text: digits, maybe grouped by threes, maybe with kopecks.
struct Number {
    start: usize,
    end: usize,
    value: u64,
    /// Four digits or more in a row: not grouped as people read it.
    ungrouped: bool,
    fraction: bool,
}

fn numbers(c: &[char]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let glued = i > 0 && {
            let p = c[i - 1];
            p.is_alphanumeric() || ".,-–/:+№_#".contains(p)
        };
        if !c[i].is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let start = i;
        while digit_at(c, i) {
            i += 1;
        }
        let first = i - start;
        let mut text: String = c[start..i].iter().collect();
        let mut groups = 0;
        while first <= 3
            && SEPARATORS.contains(c.get(i).unwrap_or(&'x'))
            && digits_at(c, i + 1, 3)
            && !digit_at(c, i + 4)
        {
            text.extend(&c[i + 1..i + 4]);
            groups += 1;
            i += 4;
        }
        let fraction = c.get(i) == Some(&',') && digits_at(c, i + 1, 2) && !digit_at(c, i + 3);
        if fraction {
            i += 3;
        }
        // A part of a date, a time, a range of digits or a code: not a count.
        let glued_after = c
            .get(i)
            .is_some_and(|x| x.is_alphanumeric() || ".:-/_".contains(*x) && digit_at(c, i + 1));
        if !glued_after {
            out.push(Number {
                start,
                end: i,
                value: text.parse().unwrap_or(0),
                ungrouped: first >= 4 && groups == 0,
                fraction,
            });
        }
    }
    out
}

/// The word starting at char `i` after spaces, lowercased, `ё` as `е`.
fn word_after(c: &[char], mut i: usize) -> String {
    while c.get(i).is_some_and(|x| SEPARATORS.contains(x)) {
        i += 1;
    }
    c[i..]
        .iter()
        .take_while(|x| x.is_alphabetic() || **x == '₽')
        .collect::<String>()
        .to_lowercase()
        .replace('ё', "е")
}

/// The word before char `i`, lowercased, without punctuation.
fn word_before(c: &[char], i: usize) -> String {
    let head: String = c[..i].iter().collect();
    head.split_whitespace()
        .last()
        .unwrap_or("")
        .trim_matches(|x: char| !x.is_alphanumeric())
        .to_lowercase()
}

/// The counted nouns the pages use: [one, few, many], `ё` written as `е`.
const NOUNS: &[[&str; 3]] = &[
    ["запись", "записи", "записей"],
    ["счет", "счета", "счетов"],
    ["обращение", "обращения", "обращений"],
    ["платеж", "платежа", "платежей"],
    ["документ", "документа", "документов"],
    ["письмо", "письма", "писем"],
    ["человек", "человека", "человек"],
    ["дом", "дома", "домов"],
    ["файл", "файла", "файлов"],
    ["строка", "строки", "строк"],
    ["день", "дня", "дней"],
    ["месяц", "месяца", "месяцев"],
    ["раз", "раза", "раз"],
    ["квитанция", "квитанции", "квитанций"],
    ["помещение", "помещения", "помещений"],
    ["сообщение", "сообщения", "сообщений"],
    ["уведомление", "уведомления", "уведомлений"],
    ["начисление", "начисления", "начислений"],
    ["льгота", "льготы", "льгот"],
    ["должник", "должника", "должников"],
    ["сотрудник", "сотрудника", "сотрудников"],
    ["получатель", "получателя", "получателей"],
    ["ошибка", "ошибки", "ошибок"],
    ["задача", "задачи", "задач"],
    ["авария", "аварии", "аварий"],
    ["рубль", "рубля", "рублей"],
    ["час", "часа", "часов"],
    ["минута", "минуты", "минут"],
    ["неделя", "недели", "недель"],
    ["просмотр", "просмотра", "просмотров"],
    ["изменение", "изменения", "изменений"],
    ["житель", "жителя", "жителей"],
    ["лицевой", "лицевых", "лицевых"],
];

/// Words before a number that put the noun into another case («из 2 обращений»).
const CASE_WORDS: &[&str] = &[
    "из",
    "от",
    "до",
    "у",
    "без",
    "для",
    "около",
    "после",
    "кроме",
    "более",
    "менее",
    "больше",
    "меньше",
    "свыше",
    "с",
    "со",
    "к",
    "о",
    "об",
    "при",
    "№",
];

/// Words before a number that count it («Всего: 1234», «Загружено платежей 1234»).
const COUNT_WORDS: &[&str] = &[
    "всего",
    "итого",
    "найдено",
    "из",
    "загружено",
    "выпущено",
    "пропущено",
    "отправлено",
    "разнесено",
    "записей",
    "строк",
    "счетов",
    "платежей",
    "обращений",
    "документов",
];

/// Counts and sums not grouped, counted nouns in the wrong form, and whether a count or a sum
/// of four digits or more was seen at all (the data is big enough to tell).
fn bad_numbers(c: &[char]) -> (Vec<String>, Vec<String>, bool) {
    let (mut grouping, mut plurals, mut big) = (Vec::new(), Vec::new(), false);
    for n in numbers(c) {
        let next = word_after(c, n.end);
        let before = word_before(c, n.start);
        // A title after a count badge («3 Обращения под угрозой срока») is not a counted noun.
        let title = c[n.end..]
            .iter()
            .find(|x| !SEPARATORS.contains(x))
            .is_some_and(|x| x.is_uppercase());
        let noun = NOUNS.iter().find(|f| !title && f.contains(&next.as_str()));
        let money = next.starts_with('₽') || next.starts_with("руб");
        big |= n.value >= 1000 && (money || noun.is_some());
        if n.ungrouped && (money || n.fraction || noun.is_some() || COUNT_WORDS.contains(&&*before))
        {
            grouping.push(around(c, n.start));
        }
        if let Some(forms) = noun {
            let wanted = plural(n.value, *forms);
            if !n.fraction && next != wanted && !CASE_WORDS.contains(&&*before) {
                plurals.push(format!(
                    "«{next}» after {}, wanted «{wanted}»: {}",
                    n.value,
                    around(c, n.start)
                ));
            }
        }
    }
    (grouping, plurals, big)
}

/// Abbreviations, formats and keys a Russian page may write in Latin letters.
const LATIN_ALLOWED: &[&str] = &[
    "pdf",
    "xlsx",
    "xls",
    "csv",
    "zip",
    "jpeg",
    "png",
    "heic",
    "tiff",
    "typ",
    "typst",
    "excel",
    "json",
    "api",
    "qr",
    "sms",
    "mail",
    "email",
    "url",
    "http",
    "https",
    "smtp",
    "tls",
    "ssl",
    "starttls",
    "ctrl",
    "cmd",
    "mac",
    "authorization",
    "bearer",
    "ii",
    "iii",
    "iv",
    "vi",
    "vii",
    "viii",
    "ix",
    "xi",
    "xii",
];

/// Words in Latin letters outside the list above; addresses of pages, e-mail addresses and the
/// logins of the test's staff are data, not words.
fn english(text: &str) -> Vec<String> {
    let logins: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        // Names with digits (`windows-1251`, `SHA-256`) and a numbering pattern's `{year}`.
        if token.contains('@')
            || token.contains("://")
            || token.starts_with('/')
            || token.contains(|x: char| x.is_ascii_digit() || x == '{')
        {
            continue;
        }
        for w in token.split(|x: char| !x.is_ascii_alphabetic()) {
            let lower = w.to_lowercase();
            if w.len() >= 2 && !LATIN_ALLOWED.contains(&&*lower) && !logins.contains(&&*lower) {
                out.push(format!("«{w}» in «{token}»"));
            }
        }
    }
    out
}

fn file_pointers(s: &str) -> Vec<String> {
    ["docs/", ".md ", ".md)", ".md,", "data/", "regulations.md"]
        .iter()
        .filter_map(|p| s.find(p))
        .map(|i| {
            let from = s.floor_char_boundary(i.saturating_sub(50));
            let to = s.ceil_char_boundary((i + 30).min(s.len()));
            s[from..to].to_string()
        })
        .collect()
}

/// The address with its numbers as `N` and its query's names: a few pages of each kind.
fn kind_of(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut kind = path
        .split('/')
        .map(|p| {
            if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) {
                "N"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    if !names.is_empty() {
        kind.push('?');
        kind.push_str(&names.join("&"));
    }
    kind
}

fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .filter(|h| {
            !["/api", "/assets", "/logout", "/rate/"]
                .iter()
                .any(|p| h.starts_with(p))
                && ![
                    ".pdf",
                    ".xlsx",
                    ".csv",
                    ".zip",
                    "/download",
                    "/file",
                    "/pdf",
                    "/xlsx",
                ]
                .iter()
                .any(|e| h.split('?').next().unwrap_or("").ends_with(e))
        })
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .collect()
}

/// The demo company with an appeal, a letter and a document of its first account.
async fn load_demo(app: &common::TestApp) {
    let cfg = abonent_demo::DemoConfig {
        accounts: 1_000,
        seed: 2026,
    };
    abonent_demo::load(&app.t.db, &cfg, &|_, _| {})
        .await
        .unwrap();
    common::set_org(&app.t.db).await;
    let aid = abonent_storage::registry::account::by_number(&app.t.db, "100001")
        .await
        .unwrap()
        .expect("the demo's first account")
        .id;
    for (path, body) in [
        (
            "/api/v1/appeals",
            json!({"kind": "request", "channel": "phone", "priority": "normal",
                "account_id": aid, "applicant_phone": "+7 912 345-67-01",
                "substance": "Не работает домофон в подъезде"}),
        ),
        (
            "/api/v1/correspondence/incoming",
            json!({"received_on": "2026-10-01", "sender_kind": "person",
                "sender_name": "Орлова А. С.", "subject": "Просьба о перерасчёте", "pages": 1,
                "account_id": aid}),
        ),
        (
            "/api/v1/documents",
            json!({"kind": "account_statement", "account_id": aid}),
        ),
    ] {
        let r = app.api(Method::POST, path, Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.body);
    }
}

/// What is wrong on the pages `role` reaches from its home page: (kind of problem, page,
/// text) and the number of pages read.
async fn crawl(
    app: &common::TestApp,
    role: Role,
) -> (Vec<(&'static str, String, String)>, usize, bool) {
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(vec!["/".to_string(), "/admin".to_string()]);
    let mut problems = Vec::new();
    let (mut pages, mut big) = (0, false);
    while let Some(path) = queue.pop_front() {
        if pages >= MAX_PAGES || !seen.insert(path.clone()) {
            continue;
        }
        let n = per_kind.entry(kind_of(&path)).or_default();
        if *n >= PER_KIND {
            continue;
        }
        *n += 1;
        let r = app.get(role, &path).await;
        if r.status != StatusCode::OK
            || !r
                .headers
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"))
        {
            continue;
        }
        pages += 1;
        let text = visible(&r.body);
        let chars: Vec<char> = text.chars().collect();
        let (grouping, plurals, big_here) = bad_numbers(&chars);
        big |= big_here;
        for (kind, found) in [
            ("date", bad_dates(&chars)),
            ("grouping", grouping),
            ("plural", plurals),
            ("english", english(&text)),
            ("file", file_pointers(&text)),
        ] {
            problems.extend(found.into_iter().map(|f| (kind, path.clone(), f)));
        }
        queue.extend(links(&r.body));
    }
    (problems, pages, big)
}

both!(
    staff_pages_read_as_people_write,
    |app: common::TestApp| async move {
        load_demo(&app).await;
        let mut report = BTreeMap::<(&str, String), (String, usize)>::new();
        let mut big = false;
        for role in [
            Role::Administrator,
            Role::Manager,
            Role::Specialist,
            Role::Accountant,
        ] {
            let (problems, pages, big_here) = crawl(&app, role).await;
            big |= big_here;
            assert!(pages > 40, "{role:?}: only {pages} pages were reached");
            for (kind, page, text) in problems {
                // One line per kind of problem and text; the first page it was seen on.
                report.entry((kind, text)).or_insert_with(|| (page, 0)).1 += 1;
            }
        }
        assert!(
            big,
            "no count or sum of four digits was shown: the data is too small"
        );
        let mut per_kind = BTreeMap::<&str, usize>::new();
        for (kind, _) in report.keys() {
            *per_kind.entry(kind).or_default() += 1;
        }
        let lines: Vec<String> = report
            .iter()
            .map(|((kind, text), (page, n))| format!("[{kind}] {page} (×{n}): {text}"))
            .collect();
        assert!(
            lines.is_empty(),
            "{} problems {per_kind:?}:\n{}",
            lines.len(),
            lines.join("\n")
        );
    }
);

#[test]
fn the_checks_catch_what_they_are_for() {
    // (text, (dates, grouping, plurals, English words) found)
    let cases = [
        ("с 2026-12-07 по 12/07/2026 в 10:00:00Z", (3, 0, 0, 0)),
        ("07.12.2026 14:05, ЛС 100001, ИНН 6671000000", (0, 0, 0, 0)),
        ("долг 12345,67 ₽, выпущено 1500 квитанций", (0, 2, 0, 0)),
        ("долг 12 345,67 ₽, выпущено 1 500 квитанций", (0, 0, 0, 0)),
        ("2 платежей, 5 платежа, 21 запись, 3 дня", (0, 0, 2, 0)),
        ("всего 1500 ¦ 0 Обращения под угрозой", (0, 1, 0, 0)),
        ("из 2 обращений, 1,5 дня", (0, 0, 0, 0)),
        ("Invalid URL: PDF и XLSX", (0, 0, 0, 1)),
        ("e-mail, windows-1251, {year}", (0, 0, 0, 0)),
    ];
    for (s, want) in cases {
        let c: Vec<char> = s.chars().collect();
        let (g, p, _) = bad_numbers(&c);
        let found = (bad_dates(&c).len(), g.len(), p.len(), english(s).len());
        assert_eq!(found, want, "{s}");
    }
}
