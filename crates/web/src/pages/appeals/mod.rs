//! The appeals register in the browser. `journal`: the views and filters; `bulk`: the
//! journal's bulk actions; `intake`: registering an appeal while the phone rings; `card`: one
//! appeal's workflow, comments and history; `incidents`: building-wide incidents and
//! recurring problems; `orders`: the contractor's own orders; `files`: an appeal's
//! attachments; `routing`: departments, contractors, assignment rules, alerts and ratings;
//! `reference`: categories and deadline rules. Here: the option lists and titles they share.

use abonent_domain::appeal::{AppealKind, Channel, Priority, Status};
use abonent_domain::ValidationErrors;

/// What list and card templates show: local times and Russian titles of codes. Defined
/// before the modules below so that they can use it.
macro_rules! shows {
    ($t:ty) => {
        #[allow(dead_code)]
        impl $t {
            fn when(&self, utc: &str) -> String {
                $crate::views::local_time(utc, self.tz)
            }
            fn when_opt(&self, utc: &Option<String>) -> String {
                utc.as_deref()
                    .map_or_else(|| "—".into(), |t| $crate::views::local_time(t, self.tz))
            }
            fn status(&self, code: &str) -> &'static str {
                $crate::pages::appeals::status_title(code)
            }
            fn kind(&self, code: &str) -> &'static str {
                $crate::pages::appeals::kind_title(code)
            }
            fn priority(&self, code: &str) -> &'static str {
                $crate::pages::appeals::priority_title(code)
            }
        }
    };
}

pub mod bulk;
pub mod card;
pub mod files;
pub mod incidents;
pub mod intake;
pub mod journal;
pub mod orders;
pub mod reference;
pub mod report_filter;
pub mod routing;

/// A code and its Russian title, for selects and badges.
pub struct Opt {
    pub code: &'static str,
    pub title: &'static str,
}

pub(crate) fn kinds() -> Vec<Opt> {
    AppealKind::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn channels() -> Vec<Opt> {
    Channel::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn statuses() -> Vec<Opt> {
    Status::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}
pub(crate) fn priorities() -> Vec<Opt> {
    Priority::ALL
        .iter()
        .map(|k| Opt {
            code: k.code(),
            title: k.title(),
        })
        .collect()
}

pub fn status_title(code: &str) -> &'static str {
    Status::from_code(code).map_or("—", Status::title)
}
pub fn kind_title(code: &str) -> &'static str {
    AppealKind::from_code(code).map_or("—", AppealKind::title)
}
pub fn priority_title(code: &str) -> &'static str {
    Priority::from_code(code).map_or("—", Priority::title)
}

/// An id chosen in a select; anything else is named as a bad choice.
pub(crate) fn id_field(e: &mut ValidationErrors, field: &str, v: &str) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse() {
        Ok(id) => Some(id),
        Err(_) => {
            e.add(field, "Выберите значение из списка.");
            None
        }
    }
}
