//! Page models for the askama templates in `templates/`, and the pieces every page shares:
//! the layout, pagination, sortable headers and the history timeline.

use std::collections::BTreeMap;

use abonent_storage::history::HistoryEntry;
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
    pub flash: String,
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
            flash: String::new(),
        }
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

/// One history entry as shown on a card.
pub struct HistoryView {
    pub at: String,
    pub who: String,
    pub what: String,
    pub note: String,
    pub rows: Vec<(String, String, String)>,
}

fn field_title(f: &str) -> &str {
    match f {
        "region" => "Регион",
        "city" => "Населённый пункт",
        "street" => "Улица",
        "house" => "Дом",
        "korpus" => "Корпус",
        "stroenie" => "Строение",
        "fias_id" => "ФИАС/ГАР",
        "year_built" => "Год постройки",
        "floors" => "Этажей",
        "entrances" => "Подъездов",
        "managed_since" => "В управлении с",
        "number" => "Номер",
        "residential" => "Жилое",
        "area_centi" => "Площадь, 0,01 м²",
        "rooms" => "Комнат",
        "entrance" => "Подъезд",
        "floor" => "Этаж",
        "building_id" => "Дом (код)",
        "premises_id" => "Помещение (код)",
        "opened_on" => "Открыт",
        "closed_on" => "Закрыт",
        "share" => "Доля",
        "last_name" => "Фамилия",
        "first_name" => "Имя",
        "middle_name" => "Отчество",
        "birth_date" => "Дата рождения",
        "phones" => "Телефоны",
        "email" => "Эл. почта",
        "id_document" => "Документ",
        "consent_sms" => "Согласие на SMS",
        "consent_email" => "Согласие на письма",
        "account_id" => "Лицевой счёт (код)",
        "person_id" => "Человек (код)",
        "role" => "Роль",
        "from_date" => "С",
        "to_date" => "По",
        "category" => "Категория",
        "document" => "Документ",
        "closed_at" => "Закрыто",
        "state" => "Состояние",
        "attempts" => "Попыток",
        // Correspondence
        "received_on" => "Дата поступления",
        "sender_kind" => "Отправитель (вид)",
        "sender_name" => "Отправитель",
        "sender_ref_number" => "Номер отправителя",
        "sender_ref_date" => "Дата письма",
        "subject" => "Содержание",
        "pages" => "Листов",
        "executor_user_id" => "Исполнитель (код)",
        "letter_term" => "Срок из письма",
        "deadline_on" => "Срок ответа",
        "status" => "Состояние",
        "answered_by_outgoing_id" => "Ответ (код исходящего)",
        "sent_on" => "Дата отправки",
        "addressee" => "Адресат",
        "method" => "Способ отправки",
        "tracking_number" => "Трек-номер",
        "document_id" => "Документ (код)",
        "answers_incoming_id" => "Ответ на входящее (код)",
        "note" => "Примечание",
        "file_name" => "Файл",
        "mime" => "Тип файла",
        "size_bytes" => "Размер, байт",
        "sha256" => "SHA-256",
        "non_working" => "Нерабочие будни",
        "working_weekends" => "Рабочие выходные",
        "working_days" => "Рабочих дней",
        "source" => "Источник",
        "amount" => "Срок",
        "unit" => "Единица",
        "title" => "Название",
        other => other,
    }
}

fn show_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::Bool(b) => if *b { "да" } else { "нет" }.into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(show_value).collect::<Vec<_>>().join(", "),
        serde_json::Value::Object(o) if o.contains_key("num") && o.contains_key("den") => {
            format!("{}/{}", o["num"], o["den"])
        }
        other => other.to_string(),
    }
}

/// What a history entry shows in place of values erased under 152-ФЗ.
pub const ERASED: &str = "данные удалены (152-ФЗ)";

pub fn history_views(entries: &[HistoryEntry], tz: chrono_tz::Tz) -> Vec<HistoryView> {
    entries
        .iter()
        .map(|e| {
            let entity = match e.entity.as_str() {
                "building" => "дом",
                "premises" => "помещение",
                "account" => "лицевой счёт",
                "person" => "человек",
                "account_person" => "связь человека со счётом",
                "benefit" => "льгота",
                "outbox" => "уведомление",
                "incoming_letter" => "входящее письмо",
                "outgoing_letter" => "исходящее письмо",
                "letter_attachment" => "вложение",
                "settings" => "настройки",
                "work_calendar" => "производственный календарь",
                "answer_rule" => "правило срока ответа",
                "debt_case" => "дело должника",
                other => other,
            };
            let action = match e.action.as_str() {
                "create" => "Создание",
                "update" => "Изменение",
                "close" => "Закрытие",
                "view" => "Просмотр персональных данных",
                "retry" => "Повторная отправка",
                "cancel" => "Отмена отправки",
                "give_up" => "Не доставлено",
                "status" => "Смена состояния",
                "answer" => "Ответ",
                "remove" => "Удаление",
                "reset" => "Возврат к исходному",
                "erase" => "Удаление персональных данных (152-ФЗ)",
                "stage_move" => "Смена этапа",
                "court_record" => "Решение суда и исполнительный лист",
                "collection" => "Взысканная сумма",
                other => other,
            };
            let mut rows = Vec::new();
            let empty = serde_json::Map::new();
            let after = e
                .after
                .as_ref()
                .and_then(|v| v.as_object())
                .unwrap_or(&empty);
            let before = e
                .before
                .as_ref()
                .and_then(|v| v.as_object())
                .unwrap_or(&empty);
            // Values sealed with a person's key that erasure deleted (storage::personal).
            let erased = [e.before.as_ref(), e.after.as_ref()]
                .into_iter()
                .flatten()
                .any(abonent_storage::personal::is_erased);
            if !erased {
                for (k, v) in after {
                    let b = before.get(k).map(show_value).unwrap_or_else(|| "—".into());
                    rows.push((field_title(k).to_string(), b, show_value(v)));
                }
            }
            let note = match (erased, e.note.clone()) {
                (true, None) => ERASED.to_string(),
                (_, n) => n.unwrap_or_default(),
            };
            HistoryView {
                at: local_time(&e.at, tz),
                who: e.actor_name.clone(),
                what: format!("{action}: {entity}"),
                note,
                rows,
            }
        })
        .collect()
}

/// An instant stored in UTC, shown in the organization's time zone.
pub fn local_time(utc: &str, tz: chrono_tz::Tz) -> String {
    abonent_storage::time::parse(utc)
        .map(|t| t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|| utc.to_string())
}

pub fn date_ru(d: &chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub fn opt_date_ru(d: &Option<chrono::NaiveDate>) -> String {
    d.as_ref().map(date_ru).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
