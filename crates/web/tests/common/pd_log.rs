//! The personal-data access log seen from the tests (personal_data*.rs): people made in
//! storage so that the log starts empty, the log's entries, and the check that one answer is
//! one entry naming exactly the people shown.

use std::collections::BTreeSet;
use std::io::Cursor;

use abonent_domain::Role;
use abonent_storage::pd_access::{self, AccessEntry, AccessFilter};
use abonent_storage::registry::PageReq;
use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};

use super::{Resp, TestApp};

/// Three people: the owner of account 100001, one registered there, and one linked to
/// nothing. Made in storage, so that the log starts empty.
pub async fn people(app: &TestApp) -> (i64, [i64; 3]) {
    use abonent_domain::registry::{LinkData, LinkRole, PersonForm, Share};
    use abonent_storage::registry::{link, person};
    let (_, _, aid) = app.seed("ул. Ленина", "5", "12", "100001").await;
    let actor = abonent_storage::Actor::system("тест");
    let mut ids = [0; 3];
    for (i, (last, phone, doc)) in [
        ("Семёнов", "8 (912) 345-67-89", "паспорт 6512 345678"),
        ("Кузнецова", "+7 912 000-11-22", "паспорт 6500 111222"),
        ("Орлов", "8 343 200-30-40", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let d = PersonForm {
            last_name: Some(last.into()),
            first_name: Some("Пётр".into()),
            phones: Some(phone.into()),
            email: Some("petr@example.ru".into()),
            id_document: Some(doc.into()),
            birth_date: Some("1980-05-01".into()),
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .unwrap();
        ids[i] = person::create(&app.t.db, &d, &actor).await.unwrap();
    }
    for (pid, role, share) in [
        (ids[0], LinkRole::Owner, Some(Share::WHOLE)),
        (ids[1], LinkRole::Registered, None),
    ] {
        let d = LinkData {
            account_id: aid,
            person_id: pid,
            role,
            share,
            from_date: None,
            to_date: None,
            registration: Default::default(),
        };
        link::create_link(&app.t.db, &d, &actor).await.unwrap();
    }
    assert!(entries(app).await.is_empty());
    (aid, ids)
}

pub async fn entries(app: &TestApp) -> Vec<AccessEntry> {
    pd_access::list(
        &app.t.db,
        &AccessFilter::default(),
        PageReq::new(None, Some(500)),
    )
    .await
    .unwrap()
    .items
}

/// Calls `call` and checks that it answered 200 and added exactly one entry, through `via`,
/// naming exactly `people`; gives the answer and the entry.
pub async fn logged<F, Fut>(
    app: &TestApp,
    via: &str,
    people: &[i64],
    call: F,
) -> (Resp, AccessEntry)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Resp>,
{
    let before = entries(app).await.len();
    let r = call().await;
    assert_eq!(r.status, StatusCode::OK, "{via}: {}", r.body);
    let mut after = entries(app).await;
    assert_eq!(after.len(), before + 1, "{via}: one entry per answer");
    let e = after.swap_remove(0);
    assert_eq!(e.via, via);
    let named: BTreeSet<i64> = e.people.iter().map(|p| p.id).collect();
    assert_eq!(
        named,
        people.iter().copied().collect::<BTreeSet<_>>(),
        "{via}: the people shown"
    );
    (r, e)
}

/// [`logged`], for answers that show registry people only.
pub async fn logs_one<F, Fut>(app: &TestApp, via: &str, expect: &[i64], call: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Resp>,
{
    logged(app, via, expect, call).await;
}

pub fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet «{name}»: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

pub async fn bytes(app: &TestApp, role: Role, path: &str) -> Vec<u8> {
    use axum::body::Body;
    use axum::http::Request;
    let s = &app.sessions[&role];
    let req = Request::get(path)
        .header("cookie", &s.cookie)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}
