//! The search box over accounts and people, on a token index (`search_tokens`) that works
//! the same on both backends: exact tokens for house and flat, byte-order range scans for
//! word and number prefixes. Tokens come from `abonent_domain::search`.

use abonent_domain::search::{self as rules, prefix_upper_bound, SearchQuery};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::{Db, Result};

/// Address of a building from a row with city, street, house, korpus, stroenie columns.
pub fn address_of(r: &AnyRow) -> String {
    abonent_domain::registry::address_line(
        &r.get::<String, _>("city"),
        &r.get::<String, _>("street"),
        &r.get::<String, _>("house"),
        r.get::<Option<String>, _>("korpus").as_deref(),
        r.get::<Option<String>, _>("stroenie").as_deref(),
    )
}

pub(crate) async fn write_tokens(
    conn: &mut AnyConnection,
    kind: &str,
    id: i64,
    tokens: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM search_tokens WHERE kind = $1 AND ref_id = $2")
        .bind(kind)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for t in tokens {
        sqlx::query("INSERT INTO search_tokens (kind, token, ref_id) VALUES ($1, $2, $3)")
            .bind(kind)
            .bind(t)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn reindex_account(conn: &mut AnyConnection, id: i64) -> Result<()> {
    let r = sqlx::query(
        "SELECT a.number, b.street, b.house, p.number FROM accounts a JOIN premises p ON p.id = a.premises_id \
         JOIN buildings b ON b.id = p.building_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let tokens = rules::account_tokens(
        &r.get::<String, _>(0),
        &r.get::<String, _>(1),
        &r.get::<String, _>(2),
        &r.get::<String, _>(3),
    );
    write_tokens(conn, "a", id, &tokens).await
}

pub async fn reindex_building_accounts(conn: &mut AnyConnection, building_id: i64) -> Result<()> {
    let ids: Vec<i64> = sqlx::query("SELECT a.id FROM accounts a JOIN premises p ON p.id = a.premises_id WHERE p.building_id = $1")
        .bind(building_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for id in ids {
        reindex_account(conn, id).await?;
    }
    Ok(())
}

pub async fn reindex_person(conn: &mut AnyConnection, id: i64) -> Result<()> {
    let r =
        sqlx::query("SELECT last_name, first_name, middle_name, phones FROM persons WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let name = format!(
        "{} {} {}",
        r.get::<String, _>(0),
        r.get::<String, _>(1),
        r.get::<Option<String>, _>(2).unwrap_or_default()
    );
    let phones: Vec<String> = r
        .get::<String, _>(3)
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    write_tokens(conn, "p", id, &rules::person_tokens(&name, &phones)).await
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Account,
    Person,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: i64,
    /// `ЛС 100234` or a person's full name.
    pub title: String,
    /// The address and holder of an account; the masked phones and accounts of a person.
    pub subtitle: String,
    pub closed: bool,
    /// The registry people whose data the hit shows (the person; an account's holder), for
    /// the personal-data access log.
    #[serde(skip)]
    pub people: Vec<i64>,
}

/// Conditions `id IN (...)` for every token of the query, with their arguments.
fn token_conditions(
    kind: &str,
    exact: &[String],
    prefixes: &[String],
    args: &mut Vec<String>,
) -> Vec<String> {
    let mut conds = Vec::new();
    for t in exact {
        args.push(t.clone());
        conds.push(format!(
            "id IN (SELECT ref_id FROM search_tokens WHERE kind = '{kind}' AND token = ${})",
            args.len()
        ));
    }
    for p in prefixes {
        args.push(p.clone());
        args.push(prefix_upper_bound(p));
        conds.push(format!(
            "id IN (SELECT ref_id FROM search_tokens WHERE kind = '{kind}' AND token >= ${} AND token < ${})",
            args.len() - 1,
            args.len()
        ));
    }
    conds
}

async fn ids(
    db: &Db,
    table: &str,
    conds: &[String],
    args: &[String],
    limit: i64,
) -> Result<Vec<i64>> {
    if conds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id FROM {table} WHERE {} ORDER BY id LIMIT {limit}",
        conds.join(" AND ")
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for a in args {
        q = q.bind(a.clone());
    }
    Ok(q.fetch_all(db.read()).await?)
}

/// Accounts for a parsed query: by number prefix, by address (the house also read whole:
/// `9/12`), and, when the words name no address, by a surname with a street (`Иванов
/// Ленина`: each word in the account's address or in the name of one of its people).
pub async fn account_ids(db: &Db, q: &SearchQuery, limit: i64) -> Result<Vec<i64>> {
    let mut found: Vec<i64> = Vec::new();
    if let Some(n) = &q.number {
        let mut args = Vec::new();
        let c = token_conditions("a", &[], &[format!("n:{n}")], &mut args);
        push_new(&mut found, ids(db, "accounts", &c, &args, limit).await?);
    }
    if q.words.is_empty() {
        return Ok(found);
    }
    let before = found.len();
    for query in std::iter::once(q.clone()).chain(q.with_whole_house()) {
        let (exact, prefixes) = query.address_tokens();
        let mut args = Vec::new();
        let c = token_conditions("a", &exact, &prefixes, &mut args);
        push_new(&mut found, ids(db, "accounts", &c, &args, limit).await?);
    }
    if found.len() == before && q.words.len() >= 2 {
        for query in std::iter::once(q.clone()).chain(q.with_whole_house()) {
            let (exact, prefixes) = query.address_tokens();
            let mut args = Vec::new();
            let mut c = token_conditions("a", &exact, &[], &mut args);
            for p in &prefixes {
                args.push(p.clone());
                args.push(prefix_upper_bound(p));
                args.push(p.clone());
                args.push(prefix_upper_bound(p));
                let n = args.len();
                c.push(format!(
                    "(id IN (SELECT ref_id FROM search_tokens WHERE kind = 'a' AND token >= ${} AND token < ${}) \
                     OR id IN (SELECT ap.account_id FROM account_persons ap JOIN search_tokens st ON st.ref_id = ap.person_id \
                     WHERE st.kind = 'p' AND ap.closed_at IS NULL AND st.token >= ${} AND st.token < ${}))",
                    n - 3,
                    n - 2,
                    n - 1,
                    n
                ));
            }
            push_new(&mut found, ids(db, "accounts", &c, &args, limit).await?);
        }
    }
    Ok(found)
}

/// People for a parsed query: by a whole phone, the last digits of one, or name prefixes.
pub async fn person_ids(db: &Db, q: &SearchQuery, limit: i64) -> Result<Vec<i64>> {
    let mut found: Vec<i64> = Vec::new();
    if let Some(p) = &q.phone {
        let mut args = Vec::new();
        let c = token_conditions("p", &[format!("t:{p}")], &[], &mut args);
        push_new(&mut found, ids(db, "persons", &c, &args, limit).await?);
    }
    if let Some(tail) = &q.phone_tail {
        // Phones are kept as `+79123456789,+7…`: a tail ends one of them.
        let c = vec!["(',' || phones || ',') LIKE $1".to_string()];
        push_new(
            &mut found,
            ids(db, "persons", &c, &[format!("%{tail},%")], limit).await?,
        );
    }
    let (exact, prefixes) = q.address_tokens();
    if !q.words.is_empty() && exact.is_empty() {
        let mut args = Vec::new();
        let c = token_conditions("p", &[], &prefixes, &mut args);
        push_new(&mut found, ids(db, "persons", &c, &args, limit).await?);
    }
    Ok(found)
}

fn push_new(v: &mut Vec<i64>, new: Vec<i64>) {
    for id in new {
        if !v.contains(&id) {
            v.push(id);
        }
    }
}

/// Find accounts and people for what was typed in the search box.
pub async fn search(db: &Db, text: &str, limit: i64) -> Result<Vec<SearchHit>> {
    Ok(search_cut(db, text, limit).await?.0)
}

/// The same, and whether there were more hits than `limit` (the page says the list is cut).
pub async fn search_cut(db: &Db, text: &str, limit: i64) -> Result<(Vec<SearchHit>, bool)> {
    let q: SearchQuery = rules::parse(text);
    if q.is_empty() {
        return Ok((Vec::new(), false));
    }
    let account_ids = account_ids(db, &q, limit + 1).await?;
    let person_ids = person_ids(db, &q, limit + 1).await?;
    let mut hits = Vec::new();
    hits.extend(account_hits(db, &account_ids).await?);
    hits.extend(person_hits(db, &person_ids).await?);
    let cut = hits.len() > limit as usize;
    hits.truncate(limit as usize);
    Ok((hits, cut))
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

async fn account_hits(db: &Db, ids: &[i64]) -> Result<Vec<SearchHit>> {
    Ok(account_hits_for(db, ids)
        .await?
        .into_iter()
        .map(|(h, _)| h)
        .collect())
}

/// Account hits in the search's order, each with its address and premises.
pub(crate) async fn account_hits_for(db: &Db, ids: &[i64]) -> Result<Vec<(SearchHit, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.number, a.closed_on, p.number AS flat, p.residential, b.city, b.street, b.house, b.korpus, b.stroenie, \
         (SELECT MIN(pe.last_name || ' ' || pe.first_name) FROM account_persons ap JOIN persons pe ON pe.id = ap.person_id \
          WHERE ap.account_id = a.id AND ap.role IN ('owner','tenant') AND ap.closed_at IS NULL) AS holder, \
         (SELECT pe.id FROM account_persons ap JOIN persons pe ON pe.id = ap.person_id \
          WHERE ap.account_id = a.id AND ap.role IN ('owner','tenant') AND ap.closed_at IS NULL \
          ORDER BY pe.last_name || ' ' || pe.first_name, pe.id LIMIT 1) AS holder_id \
         FROM accounts a JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id \
         WHERE a.id IN ({}) ORDER BY a.closed_on IS NOT NULL, b.street, b.house, LENGTH(p.number), p.number",
        id_list(ids)
    ))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let flat = abonent_domain::registry::premises_label(
                &r.get::<String, _>("flat"),
                r.get::<i64, _>("residential") != 0,
            );
            let holder: Option<String> = r.get("holder");
            let holder_id: Option<i64> = r.get("holder_id");
            let address = format!("{}, {flat}", address_of(r));
            let hit = SearchHit {
                kind: HitKind::Account,
                id: r.get("id"),
                title: rules::account_title(&r.get::<String, _>("number")),
                subtitle: match holder {
                    Some(h) => format!("{address} · {h}"),
                    None => address.clone(),
                },
                closed: r.get::<Option<String>, _>("closed_on").is_some(),
                people: holder_id.into_iter().collect(),
            };
            (hit, address)
        })
        .collect())
}

async fn person_hits(db: &Db, ids: &[i64]) -> Result<Vec<SearchHit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(&format!(
        "SELECT p.id, p.last_name, p.first_name, p.middle_name, p.birth_date, p.phones, p.email, p.id_document, \
         p.consent_sms, p.consent_email, p.legal_capacity, p.capacity_basis, p.closed_at, \
         p.close_reason, (SELECT MIN(a.number) FROM account_persons ap JOIN accounts a ON a.id = ap.account_id \
          WHERE ap.person_id = p.id AND ap.closed_at IS NULL) AS account_number, \
         (SELECT MIN(ap.account_id) FROM account_persons ap \
          WHERE ap.person_id = p.id AND ap.closed_at IS NULL) AS first_account \
         FROM persons p WHERE p.id IN ({}) ORDER BY p.closed_at IS NOT NULL, p.last_name, p.first_name",
        id_list(ids)
    ))
    .fetch_all(db.read())
    .await?;
    let firsts: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get::<Option<i64>, _>("first_account"))
        .collect();
    let addresses = account_addresses(db, &firsts).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let p = crate::registry::person::from_row(r);
            let mut sub: Vec<String> = r
                .get::<Option<i64>, _>("first_account")
                .and_then(|a| addresses.get(&a).cloned())
                .into_iter()
                .collect();
            sub.extend(
                p.data
                    .phones
                    .iter()
                    .map(|ph| abonent_domain::privacy::mask_phone(ph)),
            );
            if let Some(n) = r.get::<Option<String>, _>("account_number") {
                sub.push(rules::account_title(&n));
            }
            SearchHit {
                kind: HitKind::Person,
                id: p.id,
                title: p.full_name,
                subtitle: sub.join(" · "),
                closed: p.closed_at.is_some(),
                people: vec![p.id],
            }
        })
        .collect())
}

/// The address with the premises (`г. Екатеринбург, ул. Ленина, д. 5, кв. 12`) of each account.
pub async fn account_addresses(
    db: &Db,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = sqlx::query(&format!(
        "SELECT a.id, p.number AS flat, p.residential, b.city, b.street, b.house, b.korpus, b.stroenie \
         FROM accounts a JOIN premises p ON p.id = a.premises_id JOIN buildings b ON b.id = p.building_id \
         WHERE a.id IN ({})",
        id_list(ids)
    ))
    .fetch_all(db.read())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let flat = abonent_domain::registry::premises_label(
                &r.get::<String, _>("flat"),
                r.get::<i64, _>("residential") != 0,
            );
            (r.get("id"), format!("{}, {flat}", address_of(r)))
        })
        .collect())
}
