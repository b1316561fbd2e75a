//! Erasure of a person's data (152-ФЗ) on both databases: after it, no personal value of the
//! person is left in any text or binary column of any table — history included — while the
//! appeal, the letter, the ledger entry and the history rows stay with their numbers, sums
//! and dates (docs/SECURITY.md, «Erasure»).

use abonent_app::{appeals, correspondence, ledger, registry, App, AppError, Clock};
use abonent_domain::appeal::{AppealKind, Channel};
use abonent_domain::correspondence::IncomingForm;
use abonent_domain::registry::{AccountForm, BenefitForm, LinkForm, PersonForm};
use abonent_domain::Role;
use abonent_storage::appeals::NewAppeal;
use abonent_storage::ledger::entries::CashPayment;
use abonent_storage::outbox::{self, NewMessage};
use abonent_storage::{both_backends, history, Actor, Backend, Db};
use sqlx::Row;

fn admin() -> Actor {
    Actor {
        user_id: None,
        name: "Администратор".into(),
    }
}

fn person(document: &str) -> PersonForm {
    PersonForm {
        last_name: Some("Щекотихина".into()),
        first_name: Some("Ариадна".into()),
        middle_name: Some("Всеволодовна".into()),
        birth_date: Some("03.02.1931".into()),
        phones: Some("8 (912) 777-13-31".into()),
        email: Some("ariadna.shch@example.ru".into()),
        id_document: Some(document.into()),
        consent_sms: Some("on".into()),
        consent_email: Some("on".into()),
        ..Default::default()
    }
}

const FULL_NAME: &str = "Щекотихина Ариадна Всеволодовна";
/// Free text about the person on a link: kinship to the owner and the reason it was closed.
const KINSHIP: &str = "внучатая племянница";
const KIN_NOTE: &str = "ухаживает за бабушкой";
const CLOSE_REASON: &str = "выехала к мужу в Тюмень";

/// `form` for the person `pid`.
fn kin_link_for(form: &LinkForm, pid: i64) -> LinkForm {
    LinkForm {
        person_id: Some(pid.to_string()),
        ..form.clone()
    }
}

/// Pieces of the person's values, searched case-insensitively in every column: the name's
/// stems, the phone in several writings, the e-mail, the documents (the one replaced by an
/// edit too), the birth date, and a phone only a pre-sealing history row held.
const NEEDLES: &[&str] = &[
    "щекотихин",
    "ариадн",
    "всеволодовн",
    "9127771331",
    "912) 777",
    "777-13-31",
    "ariadna.shch",
    "6512 111111",
    "6512 987654",
    "вт-771234",
    "1931-02-03",
    "03.02.1931",
    "9125550101",
];

/// Every (table, column, needle) where a needle is found: text columns compared in lower
/// case, binary columns as UTF-8 bytes.
async fn findings(db: &Db) -> Vec<String> {
    let (texts, blobs) = match db.backend() {
        Backend::Sqlite => (
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) LIKE 'TEXT%'",
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) = 'BLOB'",
        ),
        Backend::Postgres => (
            "SELECT CAST(c.table_name AS TEXT), CAST(c.column_name AS TEXT) \
             FROM information_schema.columns c JOIN information_schema.tables t \
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.data_type IN ('text', 'character varying')",
            "SELECT CAST(c.table_name AS TEXT), CAST(c.column_name AS TEXT) \
             FROM information_schema.columns c JOIN information_schema.tables t \
             ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
             AND c.data_type = 'bytea'",
        ),
    };
    let mut found = Vec::new();
    let columns = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_all(db.read())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect::<Vec<_>>()
    };
    let text_columns = columns(texts).await;
    assert!(
        text_columns.len() > 100,
        "the scan sees the schema: {text_columns:?}"
    );
    for (t, c) in text_columns {
        let rows = sqlx::query(&format!("SELECT \"{c}\" FROM \"{t}\""))
            .fetch_all(db.read())
            .await
            .unwrap();
        for r in rows {
            let Some(v) = r.get::<Option<String>, _>(0) else {
                continue;
            };
            let v = v.to_lowercase();
            for n in NEEDLES {
                if v.contains(n) {
                    found.push(format!("{t}.{c} holds «{n}»: {v}"));
                }
            }
        }
    }
    for (t, c) in columns(blobs).await {
        let rows = sqlx::query(&format!("SELECT \"{c}\" FROM \"{t}\""))
            .fetch_all(db.read())
            .await
            .unwrap();
        for r in rows {
            let Some(v) = r.get::<Option<Vec<u8>>, _>(0) else {
                continue;
            };
            let v = String::from_utf8_lossy(&v).to_lowercase();
            for n in NEEDLES {
                if v.contains(n) {
                    found.push(format!("{t}.{c} (binary) holds «{n}»"));
                }
            }
        }
    }
    found
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(db.read())
        .await
        .unwrap()
}

both_backends!(
    after_erasure_no_personal_value_is_left_anywhere,
    |db: Db| async move {
        let app = App::new(db.clone(), Clock::System);
        let actor = admin();
        let today = app.today().await.unwrap();
        let (_, premises) = abonent_storage::testing::flat(&db, "5").await;
        let account = registry::create_account(
            &app,
            &AccountForm {
                number: Some("100001".into()),
                premises_id: Some(premises.to_string()),
                opened_on: Some("2025-01-01".into()),
                ..Default::default()
            },
            false,
            &actor,
        )
        .await
        .unwrap();

        // A card with its history: added with a link to the account, then edited.
        let link = LinkForm {
            account_id: Some(account.to_string()),
            role: Some("owner".into()),
            share: Some("1".into()),
            ..Default::default()
        };
        // Kinship is free text about the person (issue 14): a second link, registered with
        // it, changed and closed with a reason — all in the link's history.
        let kin_link = LinkForm {
            account_id: Some(account.to_string()),
            role: Some("registered".into()),
            registration: abonent_domain::registry::RegistrationForm {
                kinship: Some(KINSHIP.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let p = registry::create_person(
            &app,
            &person("паспорт 6512 111111"),
            Some(&link),
            false,
            &actor,
        )
        .await
        .unwrap();
        let pid = p.id;
        let kin = registry::create_link(&app, &kin_link_for(&kin_link, pid), &actor)
            .await
            .unwrap();
        let changed = LinkForm {
            registration: abonent_domain::registry::RegistrationForm {
                kinship: Some(format!("{KINSHIP} ({KIN_NOTE})")),
                ..Default::default()
            },
            ..kin_link_for(&kin_link, pid)
        };
        registry::update_link(&app, kin, &changed, &actor)
            .await
            .unwrap();
        registry::close_link(&app, kin, Some(today), CLOSE_REASON, &actor)
            .await
            .unwrap();
        registry::update_person(&app, pid, &person("паспорт 6512 987654"), true, &actor)
            .await
            .unwrap();
        registry::create_benefit(
            &app,
            &BenefitForm {
                person_id: Some(pid.to_string()),
                category: Some("Ветеран труда".into()),
                document: Some("удостоверение ВТ-771234".into()),
                from_date: Some("2025-01-01".into()),
                ..Default::default()
            },
            &actor,
        )
        .await
        .unwrap();
        // History about the person is sealed: the raw rows hold no name, the card reads it.
        let raw: Vec<String> = sqlx::query(
            "SELECT COALESCE(after_json, '') FROM history WHERE entity = 'person' AND entity_id = $1",
        )
        .bind(pid)
        .fetch_all(db.read())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        assert!(raw.iter().all(|a| !a.contains("Щекотихина")), "{raw:?}");
        let shown = history::for_card(&db, "person", pid, 100).await.unwrap();
        assert!(
            shown.iter().any(|h| h
                .after
                .as_ref()
                .is_some_and(|a| a.to_string().contains("Щекотихина"))),
            "{shown:?}"
        );
        // A row written before values were sealed (migration 21), in plain text.
        sqlx::query(
            "INSERT INTO history (entity, entity_id, action, actor_name, at, before_json, after_json) \
             VALUES ('person', $1, 'update', 'старая версия', $2, $3, $4)",
        )
        .bind(pid)
        .bind(db.now_text())
        .bind(r#"{"phones":["+79125550101"]}"#)
        .bind(r#"{"last_name":"Щекотихина","birth_date":"1931-02-03"}"#)
        .execute(db.write())
        .await
        .unwrap();

        // Copies elsewhere: an appeal from the person, a letter, messages, a payment with the
        // payer's name, an uploaded registry file, a classifier example.
        let appeal = appeals::register(
            &app,
            &NewAppeal {
                kind: Some(AppealKind::Request),
                channel: Some(Channel::Phone),
                account_id: Some(account),
                person_id: Some(pid),
                address_text: "ул. Ленина, д. 5, кв. 12 (Щекотихина)".into(),
                applicant_name: FULL_NAME.into(),
                applicant_phone: "+7 912 777-13-31".into(),
                applicant_email: "ariadna.shch@example.ru".into(),
                applicant_consent: true,
                substance: format!("{FULL_NAME} просит проверить счётчик, тел. 89127771331"),
                ..Default::default()
            },
            &actor,
        )
        .await
        .unwrap();
        let letter = correspondence::register_incoming(
            &app,
            &IncomingForm {
                received_on: Some(today.to_string()),
                sender_kind: Some("person".into()),
                sender_name: Some(FULL_NAME.into()),
                subject: Some(format!("Заявление {FULL_NAME} о перерасчёте")),
                pages: Some("1".into()),
                account_id: Some(account.to_string()),
                person_id: Some(pid.to_string()),
                ..Default::default()
            },
            &actor,
        )
        .await
        .unwrap();
        outbox::enqueue(
            &db,
            &NewMessage::email(
                "ariadna.shch@example.ru",
                "Ответ на обращение",
                &format!("Уважаемая {FULL_NAME}! Счётчик проверен."),
            ),
        )
        .await
        .unwrap();
        outbox::enqueue(&db, &NewMessage::sms("+79127771331", "Счётчик проверен."))
            .await
            .unwrap();
        let payment = ledger::pay_cash(
            &app,
            &CashPayment {
                account_id: account,
                amount: 150_000,
                paid_on: today,
                paid_period: None,
                receipt_no: "77".into(),
                payer: Some("ЩЕКОТИХИНА АРИАДНА ВСЕВОЛОДОВНА".into()),
                for_penalties: false,
            },
            &actor,
        )
        .await
        .unwrap();
        abonent_storage::uploads::save(
            &db,
            abonent_storage::uploads::Purpose::RegistryImport,
            "реестр.csv",
            format!("100001;{FULL_NAME};+79127771331\n").as_bytes(),
            None,
        )
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO classifier_examples (text, category, emergency, suggested_category, \
             suggested_emergency, appeal_id, created_at) VALUES ($1, 'x', 0, 'y', 0, $2, $3)",
        )
        .bind(format!("Звонила {FULL_NAME}, 89127771331, течёт кран"))
        .bind(appeal.id)
        .bind(db.now_text())
        .execute(db.write())
        .await
        .unwrap();
        // An issued document for the person (append-only): its data, search text and PDF.
        let document: i64 = sqlx::query(
            "INSERT INTO documents (kind, number, scope, seq, year, issued_on, issued_at, \
             issued_by_name, account_id, person_id, title, data_json, org_json, pdf, pdf_size, \
             sha256, search_text) VALUES ('registration_certificate', 'С-1/26', 'doc.test', 1, \
             2026, $1, $2, 'Администратор', $3, $4, $5, $6, '{}', $7, 42, 'abc', $8) RETURNING id",
        )
        .bind(today.to_string())
        .bind(db.now_text())
        .bind(account)
        .bind(pid)
        .bind(format!("Справка для {FULL_NAME}"))
        .bind(format!(r#"{{"person":"{FULL_NAME}","sum":150000}}"#))
        .bind(format!("%PDF-1.4 ({FULL_NAME})").into_bytes())
        .bind(format!("с-1/26 {}", FULL_NAME.to_lowercase()))
        .fetch_one(db.write())
        .await
        .unwrap()
        .get(0);
        assert!(
            !findings(&db).await.is_empty(),
            "the values are there before"
        );
        let history_before = count(&db, "SELECT COUNT(*) FROM history").await;

        // Only an administrator, and only with a ground.
        let e = registry::erase_person(&app, pid, "истёк срок хранения", Role::Manager, &actor)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(v) if v.0[0].field == "role"),
            "{e:?}"
        );
        let e = registry::erase_person(&app, pid, " ", Role::Administrator, &actor)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(v) if v.0[0].field == "ground"),
            "{e:?}"
        );

        let erased = registry::erase_person(
            &app,
            pid,
            "истёк срок хранения, договор управления расторгнут",
            Role::Administrator,
            &actor,
        )
        .await
        .unwrap();
        assert!(erased.appeals >= 1, "{erased:?}");
        assert_eq!(erased.uploads_removed, 1, "{erased:?}");

        let left = findings(&db).await;
        assert!(
            left.is_empty(),
            "personal values left:\n{}",
            left.join("\n")
        );

        // The registers stay: the appeal, the letter, the payment, the history rows.
        let r = sqlx::query("SELECT number, registered_at, person_id FROM appeals WHERE id = $1")
            .bind(appeal.id)
            .fetch_one(db.read())
            .await
            .unwrap();
        assert_eq!(r.get::<String, _>(0), appeal.number);
        assert_eq!(r.get::<Option<i64>, _>(2), Some(pid));
        let r = sqlx::query("SELECT number, received_on FROM incoming_letters WHERE id = $1")
            .bind(letter)
            .fetch_one(db.read())
            .await
            .unwrap();
        assert!(!r.get::<String, _>(0).is_empty());
        assert_eq!(r.get::<String, _>(1), today.to_string());
        let r =
            sqlx::query("SELECT amount, entry_date, receipt_no FROM ledger_entries WHERE id = $1")
                .bind(payment)
                .fetch_one(db.read())
                .await
                .unwrap();
        assert_eq!(r.get::<i64, _>(0), 150_000);
        assert_eq!(r.get::<String, _>(1), today.to_string());
        assert_eq!(r.get::<Option<String>, _>(2).as_deref(), Some("77"));
        let r = sqlx::query(
            "SELECT number, issued_on, data_json, pdf_size FROM documents WHERE id = $1",
        )
        .bind(document)
        .fetch_one(db.read())
        .await
        .unwrap();
        assert_eq!(r.get::<String, _>(0), "С-1/26");
        assert_eq!(r.get::<String, _>(1), today.to_string());
        assert!(r.get::<String, _>(2).contains("150000"));
        assert_eq!(r.get::<i64, _>(3), 42);
        assert_eq!(erased.documents_emptied, 1, "{erased:?}");
        let history_after = count(&db, "SELECT COUNT(*) FROM history").await;
        assert_eq!(
            history_after,
            history_before + 1,
            "one row added: the erasure"
        );

        // The card and its history: a placeholder, the sealed rows read as erased, the
        // erasure itself with its ground.
        let card = abonent_storage::registry::person::get(&db, pid)
            .await
            .unwrap();
        assert_eq!(
            card.data.last_name,
            abonent_domain::registry::erasure::placeholder(pid)
        );
        let shown = history::for_card(&db, "person", pid, 100).await.unwrap();
        assert!(shown.iter().any(|h| h.action == "erase"
            && h.note.as_deref() == Some("истёк срок хранения, договор управления расторгнут")));
        assert!(shown
            .iter()
            .filter(|h| h.entity == "person" && (h.action == "create" || h.action == "update"))
            .all(|h| h
                .after
                .as_ref()
                .is_some_and(abonent_storage::personal::is_erased)));
        // Nothing of the person's free text in any entry the person's card or the account's
        // card shows: their links' rows (kinship, close reason) read as erased too.
        let on_account = history::for_card(&db, "account", account, 100)
            .await
            .unwrap();
        assert!(on_account.iter().any(|h| h.entity == "account_person"));
        for h in shown.iter().chain(&on_account) {
            let text = format!("{:?} {:?} {:?}", h.before, h.after, h.note);
            for free in [KINSHIP, KIN_NOTE, CLOSE_REASON] {
                assert!(!text.contains(free), "{free} left in {h:?}");
            }
            if h.entity == "account_person" && h.after.is_some() {
                assert!(
                    h.after
                        .as_ref()
                        .is_some_and(abonent_storage::personal::is_erased),
                    "{h:?}"
                );
            }
        }
        let kinship: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT kinship, close_reason FROM account_persons WHERE person_id = $1 ORDER BY id",
        )
        .bind(pid)
        .fetch_all(db.read())
        .await
        .unwrap();
        assert_eq!(kinship.len(), 2, "the links stay");
        assert!(kinship.iter().all(|(k, r)| k.is_none()
            && r.as_deref().is_none_or(|r| !r.contains(CLOSE_REASON))), "{kinship:?}");
        let e = registry::erase_person(&app, pid, "повторно", Role::Administrator, &actor)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::Invalid(v) if v.0[0].field == "person_id"),
            "{e:?}"
        );

        // History is still append-only for everything else.
        let r = sqlx::query("UPDATE history SET note = 'x' WHERE action = 'erase'")
            .execute(db.write())
            .await;
        assert!(r.is_err(), "an unlisted history row cannot change");
        let r = sqlx::query("DELETE FROM redactions")
            .execute(db.write())
            .await;
        assert!(r.is_err(), "the redactions are append-only");
        // A redacted document or payment still refuses any other change.
        let r = sqlx::query("UPDATE documents SET number = 'X' WHERE id = $1")
            .bind(document)
            .execute(db.write())
            .await;
        assert!(r.is_err(), "a document's number never changes");
        let r = sqlx::query("UPDATE ledger_entries SET amount = 1 WHERE id = $1")
            .bind(payment)
            .execute(db.write())
            .await;
        assert!(r.is_err(), "a payment's sum never changes");
    }
);
