//! The account card's reads (issue 17 §1): everything a specialist needs while the phone
//! rings — the premises, the people and their contacts, the benefits, the history, the money
//! and debtor work, the account's appeals and the open ones of its building, the letters and
//! the documents issued. Each section is read only when the caller may see it, the reads run
//! at once (one query per section, never one per row), and what was shown of personal data
//! is recorded (152-ФЗ). The front ends only word what this answers.

use abonent_storage::appeals::{self as store_appeals, AppealFilter, AppealListItem, View};
use abonent_storage::correspondence::by_account::{self, AccountLetter};
use abonent_storage::correspondence::Register;
use abonent_storage::documents::{self as store_docs, Document, DocumentFilter};
use abonent_storage::history::{self, HistoryEntry};
use abonent_storage::ledger::debt_cases as dc;
use abonent_storage::registry::link::{self, Contact};
use abonent_storage::registry::{
    account, premises, Account, Benefit, LinkView, Page, PageReq, Premises,
};
use abonent_storage::{Actor, Db};
use chrono::NaiveDate;

use crate::ledger::position::{self, Standing};
use crate::privacy::{self, RecordKind, Shown};
use crate::{App, AppError};

/// The sections of the card the caller may see.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardSections {
    pub ledger: bool,
    pub appeals: bool,
    pub letters: bool,
    pub documents: bool,
}

/// The money and debtor work of the account on `today`.
pub struct CardLedger {
    pub standing: Standing,
    /// The debtor work's stage and the day it was reached.
    pub stage: Option<(abonent_domain::debtor::Stage, String)>,
    pub plan: Option<dc::Plan>,
    /// The due date a payment document issued today gets.
    pub due: NaiveDate,
}

/// The account's open appeals (up to 10), its other recent ones (of the last 5), and the open
/// ones of its building that are not its own (up to 10).
pub struct CardAppeals {
    pub open: Vec<AppealListItem>,
    pub recent: Vec<AppealListItem>,
    pub building_open: Vec<AppealListItem>,
}

/// What the account card shows, read at once.
pub struct AccountCard {
    pub account: Account,
    pub premises: Premises,
    pub links: Vec<LinkView>,
    pub contacts: Vec<Contact>,
    pub benefits: Vec<(String, Benefit)>,
    /// The last 100 entries of the account's history.
    pub history: Vec<HistoryEntry>,
    pub today: NaiveDate,
    pub ledger: Option<CardLedger>,
    pub appeals: Option<CardAppeals>,
    /// The last 10 letters and how many there are.
    pub letters: Option<(Vec<AccountLetter>, i64)>,
    /// The last 10 documents and how many there are.
    pub documents: Option<Page<Document>>,
}

async fn appeals_of(db: &Db, f: AppealFilter, n: i64) -> Result<Vec<AppealListItem>, AppError> {
    Ok(
        store_appeals::list(db, &f, PageReq::new(None, Some(n)), None)
            .await?
            .items,
    )
}

async fn ledger_part(db: &Db, id: i64, today: NaiveDate) -> Result<CardLedger, AppError> {
    let (standing, stage, plan, due) = tokio::try_join!(
        position::standing(db, id, today),
        async { Ok::<_, AppError>(dc::stage(db, id).await?) },
        async { Ok::<_, AppError>(dc::plan(db, id, today).await?) },
        crate::documents::issue::payment::default_due(db, today),
    )?;
    Ok(CardLedger {
        standing,
        stage,
        plan,
        due,
    })
}

async fn appeals_part(db: &Db, id: i64, building_id: i64) -> Result<CardAppeals, AppError> {
    let of = |view: View, account_id: Option<i64>, building_id: Option<i64>| AppealFilter {
        view,
        account_id,
        building_id,
        ..Default::default()
    };
    let (open, recent, mut building_open) = tokio::try_join!(
        appeals_of(db, of(View::Open, Some(id), None), 10),
        appeals_of(db, of(View::All, Some(id), None), 5),
        appeals_of(db, of(View::Open, None, Some(building_id)), 11),
    )?;
    building_open.retain(|b| !open.iter().any(|o| o.id == b.id));
    building_open.truncate(10);
    Ok(CardAppeals {
        recent: recent
            .into_iter()
            .filter(|r| !open.iter().any(|o| o.id == r.id))
            .collect(),
        open,
        building_open,
    })
}

/// Reads the card of account `id` with the sections `may` allows, and records the personal
/// data it shows (the people, the appeals' applicants and free text, the letters) as viewed
/// by `actor` through `via`.
pub async fn account_card(
    app: &App,
    id: i64,
    may: CardSections,
    actor: &Actor,
    via: &str,
) -> Result<AccountCard, AppError> {
    let db = &app.db;
    let account = account::get(db, id).await?;
    let today = app.today().await?;
    let (premises, links, contacts, benefits, history) = tokio::try_join!(
        async { Ok::<_, AppError>(premises::get(db, account.data.premises_id).await?) },
        async { Ok::<_, AppError>(link::links_of_account(db, id).await?) },
        async { Ok::<_, AppError>(link::contacts_of_account(db, id).await?) },
        async { Ok::<_, AppError>(link::benefits_of_account(db, id).await?) },
        async { Ok::<_, AppError>(history::for_card(db, "account", id, 100).await?) },
    )?;
    let (ledger, appeals, letters, documents) = tokio::try_join!(
        async {
            if may.ledger {
                ledger_part(db, id, today).await.map(Some)
            } else {
                Ok(None)
            }
        },
        async {
            if may.appeals {
                appeals_part(db, id, account.building_id).await.map(Some)
            } else {
                Ok(None)
            }
        },
        async {
            if may.letters {
                Ok::<_, AppError>(Some(by_account::of_account(db, id, 10).await?))
            } else {
                Ok(None)
            }
        },
        async {
            if may.documents {
                let f = DocumentFilter {
                    account_id: Some(id),
                    ..Default::default()
                };
                Ok::<_, AppError>(Some(
                    store_docs::list(db, &f, PageReq::new(None, Some(10))).await?,
                ))
            } else {
                Ok(None)
            }
        },
    )?;
    let card = AccountCard {
        account,
        premises,
        links,
        contacts,
        benefits,
        history,
        today,
        ledger,
        appeals,
        letters,
        documents,
    };
    privacy::record_views_of(app, actor, shown_on(&card), via).await?;
    Ok(card)
}

/// 152-ФЗ: the people, the appeals (applicants, free text) and the letters the card shows.
fn shown_on(card: &AccountCard) -> Shown {
    let mut ids: Vec<i64> = card.links.iter().map(|l| l.link.data.person_id).collect();
    ids.extend(privacy::people_in_history(&card.history));
    let mut shown = Shown::people(&ids);
    if let Some(ap) = &card.appeals {
        let all = ap.open.iter().chain(&ap.recent).chain(&ap.building_open);
        shown = shown.with(RecordKind::Appeal, all.map(|x| x.id));
    }
    if let Some((items, _)) = &card.letters {
        let of = |r: Register| {
            items
                .iter()
                .filter(move |x| x.register == r)
                .map(|x| x.id)
                .collect::<Vec<_>>()
        };
        shown = shown
            .with(RecordKind::IncomingLetter, of(Register::Incoming))
            .with(RecordKind::OutgoingLetter, of(Register::Outgoing));
    }
    shown
}
