//! The subscriber registry in the browser: buildings, premises, accounts, people, the links
//! between people and accounts (with benefits), the search box and the registry import;
//! `account_card`: the account card that answers a call on one screen.

pub mod account_card;
pub mod accounts;
pub mod buildings;
pub mod import;
pub mod links;
pub mod persons;
pub mod premises;
pub mod search;

/// The date of a closing form (an account, a link, a person's archiving): empty = today
/// (`None`); one that cannot be read is refused with the message shown at the field.
pub(crate) fn close_date(
    f: &crate::forms::FormView,
    field: &str,
    label: &str,
) -> Result<Option<chrono::NaiveDate>, String> {
    abonent_domain::registry::closing_date(Some(f.v(field)), field, label).map_err(|e| {
        e.0.into_iter()
            .map(|x| x.message)
            .collect::<Vec<_>>()
            .join(" ")
    })
}
