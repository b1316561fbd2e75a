//! Storage keeps repositories: SQL, transactions, history rows. The words a person reads
//! (refusals, notes, titles) and the rules about Russian text belong to the domain or the
//! use-case layer (issue 13), so no Cyrillic may appear in storage's code outside comments
//! and test modules. The files listed in `NOT_YET_MOVED` still hold some; the list only
//! shrinks: a listed file that no longer holds any fails the test too, so that it is removed.

use std::path::{Path, PathBuf};

/// Files (relative to crates/storage/src) whose words have not moved yet.
const NOT_YET_MOVED: &[&str] = &[];

/// Lines of code (not comments, not `#[cfg(test)]` modules) that hold Cyrillic.
fn cyrillic_lines(source: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in source.lines().enumerate() {
        // Test modules sit at the end of a file in this workspace.
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = strip_comment(line);
        if code.chars().any(is_cyrillic) {
            out.push((n + 1, line.trim().to_string()));
        }
    }
    out
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// The line without a trailing `//` comment (a `//` inside a string literal is kept).
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let mut prev = '\0';
    for (i, c) in line.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '/' && prev == '/' {
            return &line[..i - 1];
        }
        prev = c;
    }
    line
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn storage_code_holds_no_user_words() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut offending = Vec::new();
    let mut cleaned = Vec::new();
    for path in &files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let lines = cyrillic_lines(&std::fs::read_to_string(path).unwrap());
        let listed = NOT_YET_MOVED.contains(&rel.as_str());
        if listed && lines.is_empty() {
            cleaned.push(rel);
        } else if !listed {
            offending.extend(lines.into_iter().map(|(n, l)| format!("{rel}:{n}: {l}")));
        }
    }
    for listed in NOT_YET_MOVED {
        assert!(
            files.iter().any(|f| f.ends_with(listed)),
            "{listed} is listed in NOT_YET_MOVED but does not exist"
        );
    }
    assert!(
        offending.is_empty(),
        "user words in storage (move them to abonent_domain or abonent_app):\n{}",
        offending.join("\n")
    );
    assert!(
        cleaned.is_empty(),
        "these files hold no user words any more; remove them from NOT_YET_MOVED: {cleaned:?}"
    );
}

#[test]
fn the_scanner_sees_code_and_skips_comments_and_tests() {
    let src = "let a = \"да\"; // коммент\n// только комментарий\nlet url = \"http://x\"; // нет\n#[cfg(test)]\nmod tests { const X: &str = \"тест\"; }\n";
    let found = cyrillic_lines(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 1);
}
