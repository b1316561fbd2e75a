//! The JSON API end to end in process, on both backends.

mod common;

use axum::http::{Method, StatusCode};
use serde_json::json;

both!(
    registry_round_trip_with_history_and_view_log,
    |app: common::TestApp| async move {
        let (bid, pid, aid) = app.seed("ул. Ленина", "5", "12", "100234").await;
        let p = app
        .api(Method::POST, "/api/v1/persons", Some(json!({"last_name": "Семёнов", "first_name": "Пётр", "phones": "8 (912) 345-67-89", "consent_sms": true})))
        .await;
        assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
        let person = p.json();
        assert_eq!(person["phones"][0], "+79123456789");
        let person_id = person["id"].as_i64().unwrap();
        let l = app.api(Method::POST, "/api/v1/links", Some(json!({"account_id": aid, "person_id": person_id, "role": "owner", "share": "1/2"}))).await;
        assert_eq!(l.status, StatusCode::CREATED, "{}", l.body);
        let b = app.api(Method::POST, "/api/v1/benefits", Some(json!({"person_id": person_id, "category": "Ветеран труда", "from_date": "2020-01-01"}))).await;
        assert_eq!(b.status, StatusCode::CREATED, "{}", b.body);

        let card = app
            .api(Method::GET, &format!("/api/v1/accounts/{aid}"), None)
            .await
            .json();
        assert_eq!(card["account"]["number"], "100234");
        assert_eq!(
            card["account"]["address"],
            "г. Екатеринбург, ул. Ленина, д. 5, кв. 12"
        );
        assert_eq!(card["people"][0]["person_name"], "Семёнов Пётр");
        assert_eq!(card["people"][0]["share"], json!({"num": 1, "den": 2}));
        assert_eq!(card["benefits"][0]["benefit"]["category"], "Ветеран труда");

        // Update: the history keeps before and after.
        let upd = app.api(Method::PUT, &format!("/api/v1/buildings/{bid}"), Some(json!({"region": "Свердловская обл.", "city": "г. Екатеринбург", "street": "ул. Ленина", "house": "5", "floors": 12}))).await;
        assert_eq!(upd.status, StatusCode::OK, "{}", upd.body);
        let h = app
            .api(
                Method::GET,
                &format!("/api/v1/buildings/{bid}/history"),
                None,
            )
            .await
            .json();
        let change = h
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "update")
            .unwrap();
        assert_eq!(
            (
                change["before"]["floors"].clone(),
                change["after"]["floors"].clone()
            ),
            (json!(9), json!(12))
        );
        assert_eq!(change["actor_name"], "API: тест");

        // Reading a person's card is recorded (152-ФЗ).
        app.api(Method::GET, &format!("/api/v1/persons/{person_id}"), None)
            .await;
        let ph = app
            .api(
                Method::GET,
                &format!("/api/v1/persons/{person_id}/history"),
                None,
            )
            .await
            .json();
        assert_eq!(ph[0]["action"], "view");
        assert_eq!(ph[0]["note"], "API");

        // Search in every common form.
        for q in ["ленина 5 12", "Ленина д.5 кв.12", "100234"] {
            let hits = app
                .api(
                    Method::GET,
                    &format!("/api/v1/search?q={}", urlencode(q)),
                    None,
                )
                .await
                .json();
            assert_eq!(hits[0]["id"].as_i64(), Some(aid), "{q}");
        }
        let hits = app
            .api(
                Method::GET,
                &format!("/api/v1/search?q={}", urlencode("8 912 345-67-89")),
                None,
            )
            .await
            .json();
        assert_eq!(hits[0]["kind"], "person");

        // Close the account with a reason; it stays readable.
        let c = app
            .api(
                Method::POST,
                &format!("/api/v1/accounts/{aid}/close"),
                Some(json!({"reason": "Продажа квартиры", "date": "2026-10-31"})),
            )
            .await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        assert_eq!(c.json()["closed_on"], "2026-10-31");
        let list = app
            .api(Method::GET, "/api/v1/accounts?status=closed", None)
            .await
            .json();
        assert_eq!(list["total"], 1);
        let _ = pid;
    }
);

both!(
    likely_duplicates_ask_for_confirmation,
    |app: common::TestApp| async move {
        let (_, pid, _) = app.seed("ул. Мира", "1", "1", "200001").await;
        let second = json!({"number": "200002", "premises_id": pid, "opened_on": "2024-01-01", "share": "1/2"});
        let r = app
            .api(Method::POST, "/api/v1/accounts", Some(second.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert_eq!(r.json()["duplicates"][0], "200001");
        let r = app
            .api(
                Method::POST,
                "/api/v1/accounts?confirm_duplicate=true",
                Some(second),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

        let ivanov = json!({"last_name": "Иванов", "first_name": "Иван", "phones": "+79001112233"});
        assert_eq!(
            app.api(Method::POST, "/api/v1/persons", Some(ivanov.clone()))
                .await
                .status,
            StatusCode::CREATED
        );
        let r = app
            .api(Method::POST, "/api/v1/persons", Some(ivanov.clone()))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.json()["duplicates"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("ФИО"));
        assert_eq!(
            app.api(
                Method::POST,
                "/api/v1/persons?confirm_duplicate=true",
                Some(ivanov)
            )
            .await
            .status,
            StatusCode::CREATED
        );
    }
);

both!(
    openapi_documents_every_api_route,
    |app: common::TestApp| async move {
        let spec = app
            .api(Method::GET, "/api/v1/openapi.json", None)
            .await
            .json();
        assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
        for r in abonent_web::routes::all()
            .iter()
            .filter(|r| r.api && r.path != "/api/v1/openapi.json")
        {
            let op = &spec["paths"][r.path][r.method.as_str().to_lowercase()];
            assert!(
                op.is_object(),
                "{} {} is missing from the OpenAPI document",
                r.method,
                r.path
            );
        }
        assert!(spec["components"]["schemas"]["BuildingForm"].is_object());
        let docs = app
            .send(
                axum::http::Request::get("/api/docs")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(docs.status, StatusCode::OK);
        assert!(docs.body.contains("/assets/api-docs.js") && !docs.body.contains("http"));
    }
);

/// The document a fuzzer reads: every reference resolves, the parameters of a path are the
/// `{names}` in it and nothing else (query parameters are query parameters), and every
/// operation declares the refusals the guard and the extractors answer, as problem+json.
#[test]
fn openapi_document_is_consistent() {
    let doc = serde_json::to_value(abonent_web::api::openapi::document()).unwrap();
    let mut errs = Vec::new();

    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        if doc.pointer(r.trim_start_matches('#')).is_none() {
            errs.push(format!("{r} does not resolve"));
        }
    }

    let routes = abonent_web::routes::all();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let in_path: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let declared: Vec<&str> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            for name in &in_path {
                if !declared.contains(name) {
                    errs.push(format!(
                        "{method} {path}: {{{name}}} is not a declared path parameter"
                    ));
                }
            }
            for name in &declared {
                if !in_path.contains(name) {
                    errs.push(format!(
                        "{method} {path}: path parameter «{name}» is not in the path"
                    ));
                }
            }
            let route = routes
                .iter()
                .find(|r| r.path == path && r.method.as_str().eq_ignore_ascii_case(method))
                .unwrap_or_else(|| panic!("{method} {path} is documented but not routed"));
            let mut expected = vec!["401"];
            if matches!(route.access, abonent_web::routes::Access::Perm(_)) || method != "get" {
                expected.push("403");
            }
            if !in_path.is_empty() {
                expected.extend(["400", "404"]);
            }
            if op["requestBody"].is_object() {
                expected.extend(["400", "404", "422"]);
            }
            for code in expected {
                if !op["responses"][code].is_object() {
                    errs.push(format!("{method} {path}: {code} is not declared"));
                }
            }
            let summary = op["summary"].as_str().unwrap_or_default();
            if !summary.chars().any(|c| matches!(c, 'А'..='я' | 'ё' | 'Ё')) {
                errs.push(format!(
                    "{method} {path}: the summary «{summary}» is not in Russian"
                ));
            }
            for (code, r) in op["responses"].as_object().unwrap() {
                if code.starts_with('4') && r["content"].as_object().is_none_or(|c| c.is_empty()) {
                    errs.push(format!(
                        "{method} {path}: {code} has no body (problem+json)"
                    ));
                }
            }
        }
    }
    let search: Vec<_> = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].clone(), p["in"].clone(), p["required"].clone()))
        .collect();
    if search
        != [
            (json!("q"), json!("query"), json!(true)),
            (json!("limit"), json!("query"), json!(false)),
        ]
    {
        errs.push(format!(
            "search: q and limit are not query parameters: {search:?}"
        ));
    }
    assert!(
        errs.is_empty(),
        "{} defects:\n{}",
        errs.len(),
        errs.join("\n")
    );
}

fn collect_refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                out.push(r.to_string());
            }
            m.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

both!(
    openapi_answers_match_their_schemas,
    |app: common::TestApp| async move {
        // Every GET of the document, on a little data: the status is declared and a JSON
        // answer is what the declared schema says (the reference data's history holds a
        // list value, a template's log an entry).
        let admin = app.token_of(abonent_domain::Role::Administrator).await;
        app.seed("ул. Ленина", "5", "12", "100234").await;
        let r = app
            .api_with(
                &admin,
                Method::PUT,
                "/api/v1/ledger/reference",
                Some(
                    json!({"kind": "due_date_rules", "source": "тест", "value": [
                    {"from_period": [2020, 1], "day_of_next_month": 10, "source": "ЖК ст. 155"}]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let letter = app
            .api_with(
                &admin,
                Method::GET,
                "/api/v1/document-templates/letter",
                None,
            )
            .await
            .json();
        let r = app
            .api_with(
                &admin,
                Method::PUT,
                "/api/v1/document-templates/letter",
                Some(json!({"source": letter["shipped_source"], "note": "тест"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        let doc = app
            .api(Method::GET, "/api/v1/openapi.json", None)
            .await
            .json();
        let mut errs = Vec::new();
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(op) = item.get("get") else { continue };
            let mut url = path.clone();
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let value = match name {
                    "kind" => "letter",
                    "code" => "leak",
                    "q" => "ленина",
                    "text" => "течёт кран",
                    "register" => "incoming",
                    "from" => "2026-01-01",
                    "to" => "2026-12-31",
                    _ if p["schema"]["type"] == "string" => "x",
                    _ => "1",
                };
                if p["in"] == "path" {
                    url = url.replace(&format!("{{{name}}}"), value);
                } else if p["required"] == true {
                    query.push(format!("{name}={}", urlencode(value)));
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", query.join("&"));
            }
            let r = app.api_with(&admin, Method::GET, &url, None).await;
            let code = r.status.as_u16().to_string();
            let Some(declared) = op["responses"].get(&code) else {
                errs.push(format!("GET {url}: {code} is not declared: {}", r.body));
                continue;
            };
            let ct = r
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ct.contains("json") {
                continue;
            }
            let Some(schema) = declared["content"][ct].get("schema") else {
                errs.push(format!("GET {url}: {code} {ct} is not declared"));
                continue;
            };
            let before = errs.len();
            conforms(
                &doc,
                schema,
                &r.json(),
                &format!("GET {url} {code}: body"),
                &mut errs,
            );
            if errs.len() == before {
                checked += 1;
            }
        }
        assert!(
            errs.is_empty(),
            "{} defects:\n{}",
            errs.len(),
            errs.join("\n")
        );
        assert!(checked > 40, "only {checked} answers checked");
    }
);

/// A small JSON Schema check, enough for what utoipa writes: `$ref`, `type` (also a list
/// with `null`), `enum`, `required`, `properties`, `additionalProperties`, `items`,
/// `allOf`/`oneOf`/`anyOf`.
fn conforms(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    v: &serde_json::Value,
    at: &str,
    errs: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let target = doc.pointer(r.trim_start_matches('#'));
        match target {
            Some(t) => conforms(doc, t, v, at, errs),
            None => errs.push(format!("{at}: {r} does not resolve")),
        }
        return;
    }
    for s in schema["allOf"].as_array().into_iter().flatten() {
        conforms(doc, s, v, at, errs);
    }
    if let Some(any) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = |s: &Value| {
            let mut e = Vec::new();
            conforms(doc, s, v, at, &mut e);
            e.is_empty()
        };
        if !any.iter().any(fits) {
            errs.push(format!("{at}: {} fits none of {}", short(v), short(schema)));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    };
    if !types.is_empty() && !types.iter().any(|t| is(t)) {
        errs.push(format!("{at}: {} is not {types:?}", short(v)));
        return;
    }
    if let Some(values) = schema["enum"].as_array() {
        if !values.contains(v) {
            errs.push(format!("{at}: {} is not one of {values:?}", short(v)));
        }
    }
    if let Some(obj) = v.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            if !obj.contains_key(name) {
                errs.push(format!("{at}: required «{name}» is missing"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => conforms(doc, s, x, &format!("{at}.{k}"), errs),
                None if schema["additionalProperties"].is_object() => conforms(
                    doc,
                    &schema["additionalProperties"],
                    x,
                    &format!("{at}.{k}"),
                    errs,
                ),
                None if schema["additionalProperties"] == false => {
                    errs.push(format!("{at}: «{k}» is not allowed"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(s)) = (v.as_array(), schema.get("items")) {
        for (i, x) in items.iter().enumerate() {
            conforms(doc, s, x, &format!("{at}[{i}]"), errs);
        }
    }
}

fn short(v: &serde_json::Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
