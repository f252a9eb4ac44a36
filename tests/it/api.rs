//! The lead ingestion API over real HTTP: authentication, validation that writes nothing,
//! upserts, activities and MQL scoring, and the OpenAPI document matching the routes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::*;

const TOKEN: &str = "test-token-123";

const SCORING: &str = r#"
[mql]
mode = "score"
threshold = 50
fit = [
    { field = "title", op = "contains", value = "vp", points = 20 },
    { field = "company_size", op = "gte", value = 100, points = 10 },
]
engagement = [
    { activity = "pricing_view", points = 20, half_life = "7d" },
]
"#;

async fn app_with_token(extra: &str) -> TestApp {
    TestApp::builder()
        .config(extra)
        .env(&[("BATON_API_TOKEN", TOKEN)])
        .spawn()
        .await
}

async fn post(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{}{path}", app.address))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn no_token_a_wrong_token_or_no_configured_token_is_401_and_writes_nothing() {
    let app = app_with_token("").await;
    let lead = json!({"external_id": "a1", "stage": "mql"}).to_string();
    let (status, body) = post(&app, "/api/v1/leads", None, lead.clone()).await;
    assert_eq!(status, 401);
    assert!(body["error"].as_str().unwrap().contains("bearer token"));
    let (status, _) = post(&app, "/api/v1/leads", Some("test-token-124"), lead.clone()).await;
    assert_eq!(status, 401);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads").await, 0);

    let off = TestApp::spawn("").await;
    let (status, body) = post(&off, "/api/v1/leads", Some(TOKEN), lead).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"],
        "the lead API is off: set BATON_API_TOKEN in Baton's environment"
    );
}

#[tokio::test]
async fn every_field_error_is_listed_with_its_index_and_nothing_is_written() {
    let app = app_with_token("").await;
    let body = json!([
        {"external_id": "ok1", "name": "Fine"},
        {"external_id": "x2", "company_size": "big", "stage": "won"},
        {"name": "No id", "colour": "red"},
        "not an object"
    ]);
    let (status, body) = post(&app, "/api/v1/leads", Some(TOKEN), body.to_string()).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "5 problems; nothing was written");
    let got: Vec<(i64, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["index"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(i64, String)> = [
        (1, "company_size"),
        (1, "stage"),
        (2, "colour"),
        (2, "external_id"),
        (3, ""),
    ]
    .into_iter()
    .map(|(i, f)| (i, f.to_string()))
    .collect();
    assert_eq!(got, expected);
    // The exact messages of a few.
    let messages: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"must be a whole number, not \"big\""),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("unknown field: the fields are external_id")),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"a lead must be a JSON object"),
        "{messages:?}"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads").await, 0);

    let (status, body) = post(
        &app,
        "/api/v1/leads",
        Some(TOKEN),
        json!({"external_id": "s1", "stage": "won"}).to_string(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["message"],
        "unknown stage \"won\": use one of visitor, lead, mql, sql, opportunity, customer, evangelist, disqualified"
    );
    let (status, body) = post(&app, "/api/v1/leads", Some(TOKEN), "{not json").await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("the body is not JSON")
    );
    let (status, _) = post(&app, "/api/v1/leads", Some(TOKEN), "[]").await;
    assert_eq!(status, 400);
    let big = format!(
        "[{}]",
        vec![json!({"external_id": "x".repeat(1000)}).to_string(); 1100].join(",")
    );
    let (status, _) = post(&app, "/api/v1/leads", Some(TOKEN), big).await;
    assert_eq!(status, 413);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads").await, 0);
}

#[tokio::test]
async fn leads_are_upserted_by_external_id_and_an_mql_is_alerted() {
    let app = app_with_token("").await;
    let (status, body) = post(
        &app,
        "/api/v1/leads",
        Some(TOKEN),
        json!([{"external_id": "u1", "name": "Uli", "stage": "lead"}, {"external_id": "u2", "name": "Vera"}]).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["leads"][0]["id"], 1);
    assert_eq!(body["leads"][1]["created"], true);
    let (status, body) = post(
        &app,
        "/api/v1/leads",
        Some(TOKEN),
        json!({"external_id": "u1", "stage": "mql"}).to_string(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["leads"][0],
        json!({"index": 0, "external_id": "u1", "id": 1, "created": false, "qualified_by_score": false})
    );
    app.wait("alert", |c| c.messages_sent >= 1).await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM leads").await, 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE name = 'Uli'")
            .await,
        1,
        "absent fields are kept"
    );
}

#[tokio::test]
async fn engagement_pushes_a_lead_over_the_threshold_and_the_alert_says_why() {
    let app = app_with_token(SCORING).await;
    let lead = json!({"external_id": "p1", "name": "Pia", "title": "VP Marketing", "company_size": 40, "stage": "lead"});
    let (status, body) = post(&app, "/api/v1/leads", Some(TOKEN), lead.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(body["leads"][0]["qualified_by_score"], false);
    // 20 (title) + 20 (a view now) = 40 < 50.
    let (status, body) = post(
        &app,
        "/api/v1/leads/p1/activities",
        Some(TOKEN),
        json!({"type": "pricing_view"}).to_string(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["score"], 40.0);
    assert_eq!(body["qualified_by_score"], false);
    // A view 7 days ago is worth 10: 50 ≥ 50.
    let (status, body) = post(
        &app,
        "/api/v1/leads/p1/activities",
        Some(TOKEN),
        json!({"type": "pricing_view", "at": "2026-11-10T11:00:00Z", "properties": {"page": "/pricing"}}).to_string(),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["qualified_by_score"], true);
    app.wait("alert", |c| c.messages_sent >= 1).await;
    let alert = &app.console_of_kind("alert")[0];
    let text = alert["text"].as_str().unwrap();
    assert!(
        text.contains("Why MQL: score 50 ≥ 50: title contains \"vp\" (+20), pricing_view ×2 (+30) (at 2026-11-17T11:00:00.000Z)"),
        "{text}"
    );
    let (status, _) = post(
        &app,
        "/api/v1/leads/nobody/activities",
        Some(TOKEN),
        json!({"type": "x"}).to_string(),
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = post(
        &app,
        "/api/v1/leads/p1/activities",
        Some(TOKEN),
        json!({"at": "soon", "kind": 1}).to_string(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"].as_array().unwrap().len(), 3);
}

/// Every route and status in docs/openapi.yaml, with a request that produces it.
#[tokio::test]
async fn every_documented_route_and_status_exists() {
    let app = app_with_token("").await;
    app.external("INSERT INTO leads (external_id, stage) VALUES ('doc1', 'lead');")
        .await;
    let documented = documented_statuses(include_str!("../../docs/openapi.yaml"));
    let big = "x".repeat(baton::http::api::MAX_BODY + 10);
    let client = reqwest::Client::new();
    let mut checked = Vec::new();
    for (path, method, status) in &documented {
        let url = format!(
            "http://{}{}",
            app.address,
            path.replace("{external_id}", "doc1")
        );
        let post_json = |body: String, token: Option<&str>| {
            let mut r = client
                .post(&url)
                .header("content-type", "application/json")
                .body(body);
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r
        };
        let request = match (path.as_str(), method.as_str(), *status) {
            ("/api/v1/leads", "post", 200) => {
                post_json(json!({"external_id": "doc2"}).to_string(), Some(TOKEN))
            }
            ("/api/v1/leads/{external_id}/activities", "post", 201) => {
                post_json(json!({"type": "visit"}).to_string(), Some(TOKEN))
            }
            (_, "post", 400) => post_json("{}".into(), Some(TOKEN)),
            (_, "post", 401) => post_json("{}".into(), None),
            (_, "post", 413) => post_json(big.clone(), Some(TOKEN)),
            (_, "post", 415) => client.post(&url).bearer_auth(TOKEN).body("{}"),
            // A request slower than [server] request_timeout; covered in tests/it/slack.rs.
            (_, "post", 503) => continue,
            ("/api/v1/leads/{external_id}/activities", "post", 404) => client
                .post(format!(
                    "http://{}/api/v1/leads/missing/activities",
                    app.address
                ))
                .bearer_auth(TOKEN)
                .header("content-type", "application/json")
                .body(json!({"type": "visit"}).to_string()),
            (_, "get", 200) => client.get(&url),
            ("/healthz", "get", 503) => continue, // needs a broken database; covered by the 200 case's handler
            other => panic!("no request for documented {other:?}"),
        };
        let got = request.send().await.unwrap().status().as_u16();
        assert_eq!(got, *status, "{method} {path}");
        checked.push((path.clone(), method.clone()));
    }
    assert!(documented.len() >= 12, "{documented:?}");
}

#[tokio::test]
async fn odd_but_valid_times_are_stored_canonical_and_bad_ones_are_400_naming_the_field() {
    let app = app_with_token("").await;
    let cases = [
        (
            "t1",
            "2026-11-20T09:30:00+15:00",
            "2026-11-19T18:30:00.000Z",
        ),
        (
            "t2",
            "2026-11-20T09:30:00-19:50",
            "2026-11-21T05:20:00.000Z",
        ),
        ("t3", "2026-11-20t09:30:00z", "2026-11-20T09:30:00.000Z"),
        ("t4", "2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999Z"),
    ];
    for (id, given, stored) in cases {
        let lead = json!({"external_id": id, "stage": "sql", "stage_changed_at": given});
        let (status, body) = post(&app, "/api/v1/leads", Some(TOKEN), lead.to_string()).await;
        assert_eq!(status, 200, "{given}: {body}");
        let got: String =
            sqlx::query_scalar("SELECT stage_changed_at FROM leads WHERE external_id = ?")
                .bind(id)
                .fetch_one(&app.ctx.db.pool)
                .await
                .unwrap();
        assert_eq!(got, stored, "{given}");
    }
    for bad in [
        "yesterday",
        "2026-11-20T09:30:00",
        "2026-11-20T09:30:00+24:00",
        "9999-12-31T23:00:00-19:50",
        "0000-01-01T00:00:00+00:01",
    ] {
        let lead = json!({"external_id": "bad", "stage_changed_at": bad});
        let (status, body) = post(&app, "/api/v1/leads", Some(TOKEN), lead.to_string()).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(
            body["errors"][0]["field"], "stage_changed_at",
            "{bad}: {body}"
        );
        let activity = json!({"type": "visit", "at": bad});
        let (status, body) = post(
            &app,
            "/api/v1/leads/t1/activities",
            Some(TOKEN),
            activity.to_string(),
        )
        .await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["errors"][0]["field"], "at", "{bad}: {body}");
    }
    let activity = json!({"type": "visit", "at": "2026-11-20T09:30:00+15:00"});
    let (status, _) = post(
        &app,
        "/api/v1/leads/t1/activities",
        Some(TOKEN),
        activity.to_string(),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM leads WHERE external_id = 'bad'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_body_not_declared_json_is_415_and_the_bearer_scheme_is_case_insensitive() {
    let app = app_with_token("").await;
    let client = reqwest::Client::new();
    let url = format!("http://{}/api/v1/leads", app.address);
    let lead = json!({"external_id": "ct1"}).to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = client.post(&url).bearer_auth(TOKEN).body(lead.clone());
        if let Some(kind) = content_type {
            request = request.header("content-type", kind);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
    }
    for (scheme, content_type) in [
        ("bearer", "application/json"),
        ("BEARER", "Application/JSON; charset=utf-8"),
    ] {
        let response = client
            .post(&url)
            .header("authorization", format!("{scheme} {TOKEN}"))
            .header("content-type", content_type)
            .body(lead.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{scheme} {content_type}");
    }
    // Without a token the answer is 401 whatever the body is.
    let response = client.post(&url).body("x").send().await.unwrap();
    assert_eq!(response.status(), 401);
}

/// (path, method, status) triples of an OpenAPI document, read line by line.
fn documented_statuses(yaml: &str) -> Vec<(String, String, u16)> {
    let mut out = Vec::new();
    let (mut path, mut method) = (String::new(), String::new());
    let mut in_paths = false;
    for line in yaml.lines() {
        if line == "paths:" {
            in_paths = true;
            continue;
        }
        if in_paths && !line.starts_with(' ') && !line.is_empty() {
            in_paths = false;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  /") {
            path = format!("/{}", p.trim_end_matches(':'));
        } else if let Some(m) = line.strip_prefix("    ").filter(|m| !m.starts_with(' ')) {
            method = m.trim_end_matches(':').to_string();
        } else if let Some(code) = line
            .strip_prefix("        '")
            .and_then(|c| c.strip_suffix("':"))
        {
            out.push((path.clone(), method.clone(), code.parse().unwrap()));
        }
    }
    out
}

/// Fuzzing: arbitrary JSON (and non-JSON) bodies with a valid token get 200 or 400, never
/// a failure; invalid ones write nothing.
#[test]
fn arbitrary_lead_payloads_get_an_answer_never_a_crash() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config as RunnerConfig, TestRunner};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(app_with_token(""));
    let field = prop::sample::select(baton::import::COLUMNS.to_vec()).prop_map(str::to_string);
    let value = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        ".{0,30}".prop_map(Value::from),
        prop::sample::select(vec!["mql", "lead", "won", "BR", "2026-11-20T09:30:00Z"])
            .prop_map(Value::from),
    ];
    let lead = prop::collection::btree_map(prop_oneof![field, "[a-z_]{1,12}"], value, 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()));
    let body = prop_oneof![
        lead.clone().prop_map(|v| v.to_string()),
        prop::collection::vec(lead, 0..5).prop_map(|v| Value::from(v).to_string()),
        ".{0,100}",
    ];
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 128,
        ..RunnerConfig::default()
    });
    runner
        .run(&body, |body| {
            let before = runtime.block_on(app.scalar("SELECT COUNT(*) FROM leads"));
            let (status, _) =
                runtime.block_on(post(&app, "/api/v1/leads", Some(TOKEN), body.clone()));
            prop_assert!(status == 200 || status == 400, "status {status} for {body}");
            if status == 400 {
                prop_assert_eq!(
                    runtime.block_on(app.scalar("SELECT COUNT(*) FROM leads")),
                    before
                );
            }
            Ok(())
        })
        .unwrap();
    // Some cases were valid MQLs: their alerts go out before the outbox is checked.
    runtime.block_on(app.drained());
}
