//! What people call the records a history entry refers to by id: an account by its number,
//! a person by name, a document by its number. One query per kind of record, whatever the
//! number of entries, so a card's history costs a few reads.

use std::collections::{BTreeSet, HashMap};

use sqlx::Row;

use crate::{Db, Result};

/// A kind of record a history value may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    Account,
    Person,
    Premises,
    Building,
    Document,
    Appeal,
    IncomingLetter,
    OutgoingLetter,
    User,
    Department,
    Contractor,
    Category,
    Incident,
}

impl RecordRef {
    /// The query naming records of this kind: `id` and the name, `$n` placeholders appended.
    fn sql(self) -> &'static str {
        match self {
            RecordRef::Account => "SELECT id, number FROM accounts WHERE id IN",
            RecordRef::Person => {
                "SELECT id, last_name || ' ' || first_name || COALESCE(' ' || middle_name, '') \
                 FROM persons WHERE id IN"
            }
            // Addresses are read as columns; the words are the domain's (`name_of`).
            RecordRef::Premises => {
                "SELECT p.id, b.street, b.house, b.korpus, b.stroenie, p.number, p.residential \
                 FROM premises p JOIN buildings b ON b.id = p.building_id WHERE p.id IN"
            }
            RecordRef::Building => {
                "SELECT id, street, house, korpus, stroenie FROM buildings WHERE id IN"
            }
            RecordRef::Document => "SELECT id, number FROM documents WHERE id IN",
            RecordRef::Appeal => "SELECT id, number FROM appeals WHERE id IN",
            RecordRef::IncomingLetter => "SELECT id, number FROM incoming_letters WHERE id IN",
            RecordRef::OutgoingLetter => "SELECT id, number FROM outgoing_letters WHERE id IN",
            RecordRef::User => "SELECT id, full_name FROM users WHERE id IN",
            RecordRef::Department => "SELECT id, name FROM departments WHERE id IN",
            RecordRef::Contractor => "SELECT id, name FROM contractors WHERE id IN",
            RecordRef::Category => "SELECT id, title FROM appeal_categories WHERE id IN",
            RecordRef::Incident => "SELECT id, title FROM incidents WHERE id IN",
        }
    }
}

/// A row of `RecordRef::sql` as people name the record.
fn name_of(kind: RecordRef, r: &sqlx::any::AnyRow) -> String {
    use abonent_domain::registry::{building_label, premises_label};
    let text = |i: usize| r.get::<Option<String>, _>(i).unwrap_or_default();
    let opt = |i: usize| r.get::<Option<String>, _>(i).filter(|v| !v.is_empty());
    match kind {
        RecordRef::Building => {
            building_label(&text(1), &text(2), opt(3).as_deref(), opt(4).as_deref())
        }
        RecordRef::Premises => format!(
            "{}, {}",
            building_label(&text(1), &text(2), opt(3).as_deref(), opt(4).as_deref()),
            premises_label(&text(5), r.get::<i64, _>(6) != 0)
        ),
        _ => text(1),
    }
}

/// The names of `wanted`; a record that no longer exists is absent from the answer.
pub async fn names(
    db: &Db,
    wanted: &BTreeSet<(RecordRef, i64)>,
) -> Result<HashMap<(RecordRef, i64), String>> {
    let mut by_kind: std::collections::BTreeMap<RecordRef, Vec<i64>> = Default::default();
    for (kind, id) in wanted {
        by_kind.entry(*kind).or_default().push(*id);
    }
    let mut out = HashMap::new();
    let mut conn = db.read().acquire().await?;
    for (kind, ids) in by_kind {
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{} ({})", kind.sql(), marks.join(", "));
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&mut *conn).await? {
                out.insert((kind, r.get::<i64, _>(0)), name_of(kind, &r));
            }
        }
    }
    Ok(out)
}
