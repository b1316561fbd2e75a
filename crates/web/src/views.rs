//! Page models for the askama templates in `templates/`, and the pieces every page shares:
//! the layout, pagination, sortable headers and the history timeline.

use std::collections::BTreeMap;

use askama::Template;

use crate::auth::Principal;

pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!("template error: {e}");
        "<!doctype html><meta charset=utf-8><h1>Ошибка отображения страницы</h1>".to_string()
    })
}

/// What the frame of every page needs.
pub struct Layout {
    pub title: String,
    pub nav: &'static str,
    pub user_name: String,
    pub role_title: &'static str,
    pub csrf: String,
    pub org_name: String,
    pub q: String,
    pub can_edit: bool,
    pub can_import: bool,
    pub can_admin: bool,
    pub can_people: bool,
    pub can_ledger: bool,
    pub can_edit_ledger: bool,
    pub can_ledger_settings: bool,
    /// Correspondence registers: see / register letters.
    pub can_correspondence: bool,
    pub can_edit_correspondence: bool,
    /// Organization details, numbering, work calendar, answer rules.
    pub can_reference: bool,
    /// Document archive: see / issue documents; edit templates.
    pub can_documents: bool,
    pub can_issue_documents: bool,
    pub can_templates: bool,
    /// Erase a person's personal data (152-ФЗ): administrators.
    pub can_erase: bool,
    /// The personal-data access log (the auditor, the administrator).
    pub can_access_log: bool,
    /// The knowledge base (its section in the navigation).
    pub can_knowledge: bool,
    pub flash: String,
    /// The organization's time zone: instants are shown in it.
    pub tz: chrono_tz::Tz,
    /// What the first-run setup still lacks, on the pages that need it (empty: nothing).
    pub setup_missing: Vec<&'static str>,
}

impl Layout {
    pub fn new(p: &Principal, title: impl Into<String>, nav: &'static str) -> Layout {
        use abonent_domain::Permission as P;
        Layout {
            title: title.into(),
            nav,
            user_name: p.name.clone(),
            role_title: p.role.title(),
            csrf: p.csrf.clone().unwrap_or_default(),
            org_name: String::new(),
            q: String::new(),
            can_edit: p.can(P::EditRegistry),
            can_import: p.can(P::ImportRegistry),
            can_admin: p.can(P::ManageUsers),
            can_people: p.can(P::ViewPersonalData),
            can_ledger: p.can(P::ViewLedger),
            can_edit_ledger: p.can(P::EditLedger),
            can_ledger_settings: p.can(P::ManageLedgerSettings),
            can_correspondence: p.can(P::ViewCorrespondence),
            can_edit_correspondence: p.can(P::EditCorrespondence),
            can_reference: p.can(P::ManageReferenceData),
            can_documents: p.can(P::ViewDocuments),
            can_issue_documents: p.can(P::IssueDocuments),
            can_templates: p.can(P::ManageTemplates),
            can_erase: p.can(P::ErasePersonalData),
            can_access_log: p.can(P::ReadAccessLog),
            can_knowledge: p.can(P::ReadKnowledge),
            flash: String::new(),
            tz: chrono_tz::Asia::Yekaterinburg,
            setup_missing: Vec::new(),
        }
    }

    /// A stored date (`2026-12-07`) or instant as people read it — `07.12.2026`,
    /// `07.12.2026 14:05` in the organization's zone; any other text as it is. For templates
    /// that show a stored value.
    pub fn when(&self, stored: impl std::fmt::Display) -> String {
        let s = stored.to_string();
        crate::format::date_or_instant(&s, self.tz).unwrap_or(s)
    }

    pub fn flash(mut self, msg: impl Into<String>) -> Self {
        self.flash = msg.into();
        self
    }

    pub fn active(&self, nav: &str) -> &'static str {
        if self.nav == nav {
            "active"
        } else {
            ""
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: &'static str,
    pub detail: String,
    pub status: u16,
}

/// The query string of a list page, to build pagination and sort links that keep filters.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub base: String,
    pub params: BTreeMap<String, String>,
}

impl ListQuery {
    pub fn new(base: &str, params: &BTreeMap<String, String>) -> Self {
        ListQuery {
            base: base.to_string(),
            params: params
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    pub fn get(&self, k: &str) -> &str {
        self.params.get(k).map(String::as_str).unwrap_or("")
    }

    pub fn href_with(&self, k: &str, v: &str) -> String {
        let mut p = self.params.clone();
        p.insert(k.to_string(), v.to_string());
        if k != "page" {
            p.remove("page");
        }
        let qs = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(p.iter())
            .finish();
        format!("{}?{qs}", self.base)
    }

    /// Link for a sortable column: ascending first, then descending.
    pub fn sort_href(&self, field: &str) -> String {
        let next = if self.get("sort") == field {
            format!("-{field}")
        } else {
            field.to_string()
        };
        self.href_with("sort", &next)
    }

    pub fn sort_class(&self, field: &str) -> &'static str {
        let s = self.get("sort");
        if s == field {
            "sort asc"
        } else if s.strip_prefix('-') == Some(field) {
            "sort desc"
        } else {
            "sort"
        }
    }
}

pub struct PagerItem {
    pub label: String,
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

/// Page links: first, last, and two around the current one.
pub fn pager(q: &ListQuery, page: i64, pages: i64) -> Vec<PagerItem> {
    let mut out = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || (n - page).abs() <= 2 {
            if n - last_shown > 1 {
                out.push(PagerItem {
                    label: "…".into(),
                    href: String::new(),
                    current: false,
                    gap: true,
                });
            }
            out.push(PagerItem {
                label: n.to_string(),
                href: q.href_with("page", &n.to_string()),
                current: n == page,
                gap: false,
            });
            last_shown = n;
        }
    }
    out
}

/// A card's history: `crate::timeline::show` makes it.
pub use crate::timeline::HistoryView;

/// An instant stored in UTC, shown in the organization's time zone.
pub fn local_time(utc: &str, tz: chrono_tz::Tz) -> String {
    crate::format::instant(utc, tz).unwrap_or_else(|| utc.to_string())
}

pub fn date_ru(d: &chrono::NaiveDate) -> String {
    crate::format::date(d)
}

pub fn opt_date_ru(d: &Option<chrono::NaiveDate>) -> String {
    d.as_ref().map(date_ru).unwrap_or_default()
}

/// A source as a legal reference for people: parenthesised notes and words that name a file
/// of the program («(regulations.md §2)», `docs/…`, `data/….json`) are left out.
pub fn legal_reference(source: &str) -> String {
    let names_file = |t: &str| {
        t.contains(".md") || t.contains(".json") || t.contains("docs/") || t.contains("data/")
    };
    let mut out = String::new();
    let mut rest = source;
    while let Some(a) = rest.find('(') {
        let Some(len) = rest[a..].find(')') else {
            break;
        };
        out.push_str(&rest[..a]);
        let group = &rest[a..=a + len];
        if !names_file(group) {
            out.push_str(group);
        }
        rest = &rest[a + len + 1..];
    }
    out.push_str(rest);
    out.split_whitespace()
        .filter(|w| !names_file(w))
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
        .replace(" .", ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_do_not_name_files() {
        assert_eq!(
            legal_reference("Не подтверждено: значение из регламента (shared/domain/regulations.md §2), сверить"),
            "Не подтверждено: значение из регламента, сверить"
        );
        assert_eq!(
            legal_reference("ПП РФ № 474 от 26.03.2022 (ред. ПП 1681)"),
            "ПП РФ № 474 от 26.03.2022 (ред. ПП 1681)"
        );
        assert_eq!(legal_reference("см. docs/PAYMENTS.md"), "см.");
    }

    #[test]
    fn pager_shows_ends_and_neighbours() {
        let q = ListQuery::new(
            "/accounts",
            &BTreeMap::from([("sort".into(), "number".into())]),
        );
        let items = pager(&q, 10, 20);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["1", "…", "8", "9", "10", "11", "12", "…", "20"]);
        assert!(items[4].current);
        assert_eq!(items[4].href, "/accounts?page=10&sort=number");
    }

    #[test]
    fn sort_toggles() {
        let q = ListQuery::new(
            "/accounts",
            &BTreeMap::from([
                ("sort".into(), "number".into()),
                ("page".into(), "3".into()),
            ]),
        );
        assert_eq!(q.sort_href("number"), "/accounts?sort=-number");
        assert_eq!(q.sort_class("number"), "sort asc");
        assert_eq!(q.sort_href("address"), "/accounts?sort=address");
    }

    #[test]
    fn local_time_in_org_zone() {
        let tz: chrono_tz::Tz = "Asia/Yekaterinburg".parse().unwrap();
        assert_eq!(
            local_time("2026-11-27T10:00:00.000000Z", tz),
            "27.11.2026 15:00"
        );
    }
}
