//! Every page the demo renders reads as people write (issue 17 §6): no date as stored
//! (`2026-12-07`) in the text a person reads — dates are ДД.ММ.ГГГГ — and no pointer to the
//! program's own files (`docs/…`, `….md`, `data/….json`). The pages are found by following
//! the links of the administrator's pages, one page per kind of address.

mod common;

use std::collections::{BTreeSet, VecDeque};

use abonent_domain::Role;
use axum::http::StatusCode;

/// The text between tags, without scripts, styles and form values: what a person reads.
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
        match name.as_str() {
            "script" => skip = Some("/script"),
            "style" => skip = Some("/style"),
            "textarea" => skip = Some("/textarea"),
            // A list of the formats a bank file may use names them by example.
            "option" => skip = Some("/option"),
            _ => {
                out.push_str(text);
                out.push(' ');
            }
        }
    }
    out
}

fn iso_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let d = |r: std::ops::Range<usize>| r.into_iter().all(|j| w[j].is_ascii_digit());
        let alone = i == 0 || !b[i - 1].is_ascii_digit();
        (alone && d(0..4) && w[4] == b'-' && d(5..7) && w[7] == b'-' && d(8..10)).then(|| {
            let from = s.floor_char_boundary(i.saturating_sub(50));
            let to = s.ceil_char_boundary((i + 30).min(s.len()));
            s[from..to].to_string()
        })
    })
}

fn file_pointer(s: &str) -> Option<String> {
    ["docs/", ".md ", ".md)", ".md,", "data/", "regulations.md"]
        .iter()
        .find_map(|p| s.find(p))
        .map(|i| {
            let from = s.floor_char_boundary(i.saturating_sub(50));
            let to = s.ceil_char_boundary((i + 30).min(s.len()));
            s[from..to].to_string()
        })
}

/// The address with its numbers as `N`: one page of each kind is enough.
fn kind_of(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|p| {
            if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                "N"
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join("/")
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
                && ![".pdf", ".xlsx", ".csv", ".zip", "/download", "/file"]
                    .iter()
                    .any(|e| h.split('?').next().unwrap_or("").ends_with(e))
        })
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .collect()
}

async fn load_demo(app: &common::TestApp) {
    let cfg = abonent_demo::DemoConfig {
        accounts: 60,
        seed: 2026,
    };
    abonent_demo::load(&app.t.db, &cfg, &|_, _| {})
        .await
        .unwrap();
    common::set_org(&app.t.db).await;
}

both!(
    demo_pages_show_dates_as_people_write_them,
    |app: common::TestApp| async move {
        load_demo(&app).await;
        let mut seen_kinds = BTreeSet::new();
        let mut queue: VecDeque<String> =
            VecDeque::from(vec!["/".to_string(), "/admin".to_string()]);
        let mut problems = Vec::new();
        let mut pages = 0;
        while let Some(path) = queue.pop_front() {
            if !seen_kinds.insert(kind_of(&path)) || pages >= 250 {
                continue;
            }
            let r = app.get(Role::Administrator, &path).await;
            if r.status != StatusCode::OK
                || !r
                    .headers
                    .get("content-type")
                    .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"))
            {
                continue;
            }
            pages += 1;
            let main = r.body.split("<main").nth(1).unwrap_or(&r.body);
            let text = visible(main);
            if let Some(c) = iso_date(&text) {
                problems.push(format!("{path}: a stored date in «{c}»"));
            }
            if let Some(c) = file_pointer(&text) {
                problems.push(format!("{path}: a file of the program in «{c}»"));
            }
            queue.extend(links(&r.body));
        }
        assert!(pages > 40, "only {pages} pages were reached");
        assert!(
            problems.is_empty(),
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
);
