//! What the API answers, declared with the API (storage keeps plain rows): each type has the
//! serde shape and the OpenAPI schema name of the row it is made from, so the JSON and the
//! document stay what clients know. Shared here: lists, history, jobs, search.

use abonent_storage::{history, jobs, registry, search};
use serde::Serialize;
use utoipa::ToSchema;

/// A value the API shows as it is stored (`mirror` is identity) or as its API type (made by
/// [`mirror!`]). `Option` and `Vec` carry it through, so a row's nested rows convert too.
pub trait Mirror<T> {
    fn mirror(self) -> T;
}

impl<S: Mirror<T>, T> Mirror<Option<T>> for Option<S> {
    fn mirror(self) -> Option<T> {
        self.map(Mirror::mirror)
    }
}

impl<S: Mirror<T>, T> Mirror<Vec<T>> for Vec<S> {
    fn mirror(self) -> Vec<T> {
        self.into_iter().map(Mirror::mirror).collect()
    }
}

/// Values shown as they are: plain ones and domain types (which carry their own schema).
macro_rules! as_is {
    ($($t:ty),* $(,)?) => {
        $(impl Mirror<$t> for $t {
            fn mirror(self) -> $t {
                self
            }
        })*
    };
}

as_is!(
    i64,
    i32,
    u32,
    usize,
    u128,
    bool,
    String,
    chrono::NaiveDate,
    serde_json::Value,
    std::collections::BTreeMap<String, i64>,
    abonent_domain::registry::AccountData,
    abonent_domain::registry::BenefitData,
    abonent_domain::registry::BuildingData,
    abonent_domain::registry::LinkData,
    abonent_domain::registry::PersonData,
    abonent_domain::registry::PremisesData,
    abonent_domain::ledger::EntryKind,
    abonent_domain::ledger::Period,
    abonent_domain::ledger::Turnover,
    abonent_domain::debtor::InstallmentState,
    abonent_domain::debtor::Stage,
    abonent_domain::debtor::FeeBasis,
    abonent_domain::debtor::CourtRecord,
    abonent_domain::correspondence::IncomingData,
    abonent_domain::correspondence::IncomingStatus,
    abonent_domain::correspondence::OutgoingData,
    abonent_domain::outbox::OutboxChannel,
    abonent_domain::outbox::OutboxState,
    abonent_domain::appeal::AppealKind,
    abonent_domain::appeal::Channel,
    abonent_domain::appeal::Priority,
    abonent_domain::appeal::Status,
    abonent_domain::appeal::Target,
    abonent_domain::correspondence::SenderKind,
    chrono::DateTime<chrono::Utc>,
);

/// Declares an API type field by field (with its derives and docs, which make its schema)
/// next to its storage counterpart: `pub struct A from S { … }` is an answer made from the
/// row `S`; `into S`, a request body that becomes the storage input `S`; `both`, either way.
/// `pub enum A from S { … }` (or `into`) maps unit variants by name. Fields of a row the API never shows
/// (`#[serde(skip)]`) are simply left out.
macro_rules! mirror {
    ($(#[$m:meta])* pub struct $name:ident $dir:ident $other:ty {
        $($(#[$fm:meta])* pub $f:ident: $t:ty,)*
    }) => {
        $(#[$m])*
        pub struct $name {
            $($(#[$fm])* pub $f: $t,)*
        }
        $crate::api::types::mirror!(@$dir $name, $other, $($f)*);
    };
    (@from $a:ty, $s:ty, $($f:ident)*) => {
        $crate::api::types::mirror!(@impl $s => $a, $($f)*);
    };
    (@into $a:ty, $s:ty, $($f:ident)*) => {
        $crate::api::types::mirror!(@impl $a => $s, $($f)*);
    };
    (@both $a:ty, $s:ty, $($f:ident)*) => {
        $crate::api::types::mirror!(@impl $s => $a, $($f)*);
        $crate::api::types::mirror!(@impl $a => $s, $($f)*);
    };
    (@impl $from:ty => $to:ty, $($f:ident)*) => {
        impl $crate::api::types::Mirror<$to> for $from {
            fn mirror(self) -> $to {
                type To = $to;
                To { $($f: $crate::api::types::Mirror::mirror(self.$f),)* }
            }
        }

        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                $crate::api::types::Mirror::mirror(v)
            }
        }
    };
    ($(#[$m:meta])* pub enum $name:ident $dir:ident $other:ty {
        $($(#[$vm:meta])* $v:ident,)*
    }) => {
        $(#[$m])*
        pub enum $name {
            $($(#[$vm])* $v,)*
        }
        $crate::api::types::mirror!(@enum $dir $name, $other, $($v)*);
    };
    (@enum from $a:ty, $s:ty, $($v:ident)*) => {
        $crate::api::types::mirror!(@variants $s => $a, $($v)*);
    };
    (@enum into $a:ty, $s:ty, $($v:ident)*) => {
        $crate::api::types::mirror!(@variants $a => $s, $($v)*);
    };
    (@variants $from:ty => $to:ty, $($v:ident)*) => {
        impl $crate::api::types::Mirror<$to> for $from {
            fn mirror(self) -> $to {
                type F = $from;
                type T = $to;
                match self {
                    $(F::$v => T::$v,)*
                }
            }
        }

        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                $crate::api::types::Mirror::mirror(v)
            }
        }
    };
}
pub(crate) use mirror;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<S: Mirror<T>, T> From<registry::Page<S>> for Page<T> {
    fn from(p: registry::Page<S>) -> Self {
        Page {
            items: p.items.mirror(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct HistoryEntry from history::HistoryEntry {
        pub id: i64,
        pub entity: String,
        pub entity_id: i64,
        pub action: String,
        pub actor_name: String,
        pub at: String,
        pub before: Option<serde_json::Value>,
        pub after: Option<serde_json::Value>,
        pub note: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Job from jobs::Job {
        pub id: i64,
        pub kind: String,
        /// `running`, `done` or `failed`.
        pub status: String,
        pub done: i64,
        pub total: i64,
        pub message: Option<String>,
        pub result: Option<serde_json::Value>,
    }
}

mirror! {
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum HitKind from search::HitKind {
        Account,
        Person,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct SearchHit from search::SearchHit {
        pub kind: HitKind,
        pub id: i64,
        /// `ЛС 100234` or a person's full name.
        pub title: String,
        /// The address and holders of an account; the phones and accounts of a person.
        pub subtitle: String,
        pub closed: bool,
    }
}

/// A list of rows as the API answers it.
pub fn list<S: Mirror<T>, T>(rows: Vec<S>) -> Vec<T> {
    rows.mirror()
}
