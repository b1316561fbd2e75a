//! Debt notices: the debtor's facts, the bulk issue of notices (PDF, e-mail and SMS where
//! consented) and the delivery log whose date starts the 20 days (ПП 354 п. 119).

use super::*;

/// One unpaid line of the notice: period and service.
#[derive(Debug, Clone, Serialize)]
pub struct DebtLine {
    /// `2026-09`.
    pub period: String,
    pub period_title: String,
    pub service: String,
    pub amount: i64,
}

/// What a notice or an agreement prints about an account.
#[derive(Debug, Clone)]
pub struct DebtorFacts {
    pub account_id: i64,
    pub number: String,
    pub address: String,
    /// Owner (or tenant) the document is addressed to.
    pub person_id: Option<i64>,
    pub debtor: Option<String>,
    pub lines: Vec<DebtLine>,
    pub debt: i64,
    pub penalties: i64,
    pub as_of: NaiveDate,
    /// Titles of the services that may be limited (threshold exceeded, may be suspended).
    pub limitable: Vec<String>,
    /// Where the debtor consented to be written to.
    pub recipients: Vec<(OutboxChannel, String)>,
    pub rules: DebtRules,
}

/// Gathers an account's debt for a notice or an agreement (reads only).
pub async fn debtor_facts(db: &Db, account_id: i64, today: NaiveDate) -> Result<DebtorFacts> {
    let a = account::get(db, account_id).await?;
    let rules = reference::debt_rules(db).await?;
    let svc = services(db).await?;
    let entries = domain_entries(db, account_id).await?;
    let rule = reference::allocation_rule(db).await?;
    let out = allocate(&entries, today, rule);
    let lines: Vec<DebtLine> = out
        .lines
        .iter()
        .filter(|l| l.remaining() > 0)
        .map(|l| DebtLine {
            period: l.period.to_string(),
            period_title: l.period.title(),
            service: service_title(&svc, l.service.as_deref()),
            amount: l.remaining(),
        })
        .collect();
    let c = case(db, account_id, today).await?;
    let links = link::links_of_account(db, account_id).await?;
    let holder = links
        .iter()
        .filter(|l| l.link.closed_at.is_none() && l.link.data.to_date.is_none_or(|d| d >= today))
        .find(|l| matches!(l.link.data.role, LinkRole::Owner | LinkRole::Tenant));
    let (person_id, debtor, recipients) = match holder {
        Some(l) => {
            let p = person::get(db, l.link.data.person_id).await?;
            (
                Some(p.id),
                Some(p.full_name.clone()),
                consent::recipients(&p.data),
            )
        }
        None => (None, None, vec![]),
    };
    Ok(DebtorFacts {
        account_id,
        number: a.data.number,
        address: a.address,
        person_id,
        debtor,
        lines,
        debt: out.debt(),
        penalties: c.penalties,
        as_of: today,
        limitable: c
            .services
            .iter()
            .filter(|s| s.exceeded && s.may_suspend)
            .map(|s| s.title.clone())
            .collect(),
        recipients,
        rules,
    })
}

/// A document to issue with a row of debtor work: data and requisites as printed.
pub struct DocToIssue {
    pub data: serde_json::Value,
    pub org: serde_json::Value,
    pub template_version_id: Option<i64>,
}

/// A notice issued by [`issue_notices`].
#[derive(Debug, Clone, Serialize)]
pub struct IssuedNotice {
    pub notice_id: i64,
    pub account_id: i64,
    pub account_number: String,
    pub document_id: i64,
    /// Messages queued for the debtor (e-mail, SMS) where consented.
    pub messages: usize,
}

/// Issues one notice per account in ONE transaction: the document (numbered, rendered by
/// `render(data, number)`), its notice row, history and, where the debtor consented, e-mail
/// and SMS through the outbox. Any failure leaves nothing behind.
pub async fn issue_notices<F>(
    db: &Db,
    items: &[(DebtorFacts, DocToIssue)],
    today: NaiveDate,
    actor: &Actor,
    render: F,
) -> Result<Vec<IssuedNotice>>
where
    F: Fn(&DocToIssue, &str) -> Result<Vec<u8>>,
{
    let mut tx = db.write().begin().await?;
    let mut out = Vec::new();
    for (f, doc) in items {
        if f.debt <= 0 {
            return Err(refusal(DebtCaseRefusal::NothingOwed {
                number: f.number.clone(),
            }));
        }
        let new = NewDocument {
            kind: NOTICE_KIND,
            title: debtor::notice_title(&f.number),
            numbering: Numbering::Scope(documents::scope_of(NOTICE_KIND)),
            issued_on: today,
            account_id: Some(f.account_id),
            person_id: f.person_id,
            appeal_id: None,
            corrects_id: None,
            data: doc.data.clone(),
            org: doc.org.clone(),
            template_version_id: doc.template_version_id,
            search_words: [
                Some(f.number.clone()),
                Some(f.address.clone()),
                f.debtor.clone(),
            ]
            .into_iter()
            .flatten()
            .collect(),
        };
        let document_id = documents::issue_in(&mut tx, db, &new, actor, |n| render(doc, n))
            .await
            .map_err(|e| prefix_account(e, &f.number))?;
        let notice_id: i64 = sqlx::query_scalar(
            "INSERT INTO debt_notices (account_id, document_id, debt, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(f.account_id)
        .bind(document_id)
        .bind(f.debt)
        .bind(db.now_text())
        .fetch_one(&mut *tx)
        .await?;
        let number: String = sqlx::query_scalar("SELECT number FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_one(&mut *tx)
            .await?;
        let body = debtor::notice_message(&number, &f.number, today, f.debt, f.rules.notice_days);
        let mut messages = 0;
        for (channel, to) in &f.recipients {
            let m = match channel {
                OutboxChannel::Email => {
                    NewMessage::email(to, &debtor::notice_subject(&f.number), &body)
                }
                OutboxChannel::Sms => NewMessage::sms(to, &body),
            }
            .about("debt_notice", notice_id)
            .dedup(format!("debt_notice:{notice_id}:{}", channel.code()));
            if outbox::enqueue_in(&mut tx, &db.now_text(), &m)
                .await?
                .is_some()
            {
                messages += 1;
            }
        }
        history::record(
            &mut tx,
            &db.now_text(),
            actor,
            Change {
                entity: "debt_notice",
                entity_id: notice_id,
                parent: Some(("account", f.account_id)),
                action: "issue",
                before: None,
                after: Some(serde_json::json!({
                    "document_id": document_id,
                    "number": number,
                    "debt": f.debt,
                    "messages": messages,
                })),
                note: None,
            },
        )
        .await?;
        out.push(IssuedNotice {
            notice_id,
            account_id: f.account_id,
            account_number: f.number.clone(),
            document_id,
            messages,
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// A delivery of a notice to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DeliveryForm {
    /// `post`, `hand`, `email`, `sms`.
    pub method: String,
    /// `YYYY-MM-DD`.
    pub delivered_on: String,
    pub note: Option<String>,
}

/// Records how and when a notice reached the debtor; the first delivery starts the 20 days.
pub async fn record_delivery(
    db: &Db,
    notice_id: i64,
    f: &DeliveryForm,
    today: NaiveDate,
    actor: &Actor,
) -> Result<Notice> {
    let n = notice(db, notice_id).await?;
    let method = f.method.trim();
    debtor::check_delivery(
        method,
        &f.delivered_on,
        time::parse_date(&n.issued_on),
        today,
    )?;
    let mut tx = db.write().begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO debt_notice_deliveries (notice_id, method, delivered_on, note, recorded_by, \
         recorded_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(notice_id)
    .bind(method)
    .bind(f.delivered_on.trim())
    .bind(text(&f.note))
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(db.now_text())
    .fetch_one(&mut *tx)
    .await?;
    history::record(
        &mut tx,
        &db.now_text(),
        actor,
        Change {
            entity: "debt_notice",
            entity_id: notice_id,
            parent: Some(("account", n.account_id)),
            action: "delivered",
            before: None,
            after: Some(serde_json::json!({
                "delivery_id": id,
                "method": method,
                "delivered_on": f.delivered_on.trim(),
            })),
            note: text(&f.note).as_deref(),
        },
    )
    .await?;
    tx.commit().await?;
    notice(db, notice_id).await
}
