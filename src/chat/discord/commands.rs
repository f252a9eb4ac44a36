//! Baton's application commands: their definitions, registered with Discord at start
//! (`/lead` with its subcommands, `/funnel`, `/sla`, `/baton`), and the way back from an
//! invocation's options to the text grammar of `command::grammar`, so Discord runs exactly
//! what the console and Slack run.
//!
//! Pure JSON: no I/O. `/baton link EMAIL` and `/baton confirm @user` are about Discord
//! accounts, so they come back as their own [`Invocation`]s instead of text.

use serde_json::{Value, json};

use crate::config::REJECT_REASONS;

const SUB_COMMAND: u64 = 1;
const STRING: u64 = 3;
const INTEGER: u64 = 4;
const USER: u64 = 6;

/// What a slash command asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// A command of the text grammar, e.g. `/lead ack 12`.
    Text(String),
    /// `/baton link EMAIL`.
    Link(String),
    /// `/baton confirm USER` (a Discord user id).
    Confirm(String),
}

fn lead() -> Value {
    json!({ "type": STRING, "name": "lead", "required": true,
            "description": "The lead's number (as in the alert) or its external id" })
}

fn note() -> Value {
    json!({ "type": STRING, "name": "note", "required": false, "max_length": 1000,
            "description": "A note for the record" })
}

fn period() -> Value {
    json!({ "type": STRING, "name": "period", "required": false,
            "description": "7d, 30d (default), 90d, this-week, last-month, this-quarter, 2026-01-01..2026-03-31" })
}

fn sub(name: &str, description: &str, options: Vec<Value>) -> Value {
    json!({ "type": SUB_COMMAND, "name": name, "description": description, "options": options })
}

/// The command definitions, as the body of Discord's bulk overwrite.
pub fn definitions() -> Value {
    let reasons: Vec<Value> = REJECT_REASONS
        .iter()
        .map(|r| json!({ "name": r, "value": r }))
        .collect();
    let dimensions: Vec<Value> = ["source", "campaign", "rep", "team"]
        .iter()
        .map(|d| json!({ "name": d, "value": d }))
        .collect();
    json!([
        {
            "name": "lead", "type": 1, "description": "Work on a lead handed to sales",
            "options": [
                sub("ack", "You are on it: stops the first-response clock", vec![lead()]),
                sub("contacted", "You reached the lead", vec![lead(), note()]),
                sub("accept", "The lead is a real opportunity (to SQL)", vec![lead(), note()]),
                sub("reject", "The lead is not for sales", vec![
                    lead(),
                    json!({ "type": STRING, "name": "reason", "required": true,
                            "description": "Why", "choices": reasons }),
                    note(),
                ]),
                sub("rate", "Rate the lead's quality for marketing", vec![
                    lead(),
                    json!({ "type": INTEGER, "name": "stars", "required": true,
                            "min_value": 1, "max_value": 5, "description": "1 (poor) to 5 (great)" }),
                    note(),
                ]),
                sub("show", "The lead, its history and its SLA clocks", vec![lead()]),
                sub("mine", "Your open leads and the time left on each", vec![]),
                sub("reassign", "Hand the lead to someone else (managers, admins)", vec![
                    lead(),
                    json!({ "type": STRING, "name": "person", "required": true,
                            "description": "The new assignee's email" }),
                ]),
            ],
        },
        {
            "name": "funnel", "type": 1, "description": "The lead funnel and handoff outcomes",
            "options": [
                period(),
                json!({ "type": STRING, "name": "by", "required": false, "description": "Group by",
                        "choices": dimensions }),
            ],
        },
        {
            "name": "sla", "type": 1, "description": "Response times against the SLA",
            "options": [
                period(),
                json!({ "type": STRING, "name": "team", "required": false, "description": "A team's name" }),
            ],
        },
        {
            "name": "baton", "type": 1, "description": "Help, and linking your Discord account",
            "options": [
                sub("help", "What Baton can do", vec![]),
                sub("link", "Link your Discord account to your Baton user", vec![
                    json!({ "type": STRING, "name": "email", "required": true,
                            "description": "Your work email, as in Baton's config" }),
                ]),
                sub("confirm", "Confirm someone's link (their manager or an admin)", vec![
                    json!({ "type": USER, "name": "user", "required": true,
                            "description": "The person who ran /baton link" }),
                ]),
            ],
        },
    ])
}

/// The option values of an invocation as text, by option name.
fn values(options: &Value) -> Vec<(String, String)> {
    options
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let name = o["name"].as_str()?.to_string();
            let value = match &o["value"] {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((name, value))
        })
        .collect()
}

/// Turns an application command's `data` into what to run. The options are written in the
/// order of the definition, whatever order Discord sends them in.
pub fn invocation(data: &Value) -> Result<Invocation, String> {
    let name = data["name"].as_str().unwrap_or_default();
    let definitions = definitions();
    let Some(definition) = definitions
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["name"] == name)
    else {
        return Err(format!(
            "/{name} is not a Baton command: try /baton help (Baton's commands may need re-registering)"
        ));
    };
    let (mut words, definition, given) = match data["options"]
        .as_array()
        .and_then(|o| o.first())
        .filter(|o| o["type"] == SUB_COMMAND)
    {
        Some(sub) => {
            let sub_name = sub["name"].as_str().unwrap_or_default();
            let sub_definition = definition["options"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|d| d["name"] == sub_name)
                .ok_or_else(|| {
                    format!("/{name} {sub_name} is not a Baton command: try /baton help")
                })?;
            (
                vec![format!("/{name}"), sub_name.to_string()],
                sub_definition,
                values(&sub["options"]),
            )
        }
        None => (
            vec![format!("/{name}")],
            definition,
            values(&data["options"]),
        ),
    };
    let value = |option: &str| {
        given
            .iter()
            .find(|(n, _)| n == option)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    if name == "baton" {
        match words.get(1).map(String::as_str) {
            Some("link") => return Ok(Invocation::Link(value("email").unwrap_or_default())),
            Some("confirm") => return Ok(Invocation::Confirm(value("user").unwrap_or_default())),
            _ => {}
        }
    }
    for option in definition["options"].as_array().into_iter().flatten() {
        let option = option["name"].as_str().unwrap_or_default();
        if let Some(v) = value(option) {
            if option == "by" {
                words.push("by".into());
            }
            words.push(v);
        }
    }
    Ok(Invocation::Text(words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(data: Value, want: Result<Invocation, &str>) {
        let got = invocation(&data);
        match want {
            Ok(want) => assert_eq!(got, Ok(want), "{data}"),
            Err(part) => assert!(got.unwrap_err().contains(part), "{data}"),
        }
    }

    fn text(t: &str) -> Result<Invocation, &'static str> {
        Ok(Invocation::Text(t.into()))
    }

    fn sub(name: &str, sub: &str, options: Value) -> Value {
        json!({ "name": name, "options": [{ "type": 1, "name": sub, "options": options }] })
    }

    #[test]
    fn invocations_become_the_text_grammar() {
        check(
            sub(
                "lead",
                "ack",
                json!([{ "name": "lead", "type": 3, "value": "12" }]),
            ),
            text("/lead ack 12"),
        );
        check(
            sub(
                "lead",
                "reject",
                json!([
                    { "name": "note", "type": 3, "value": "too small " },
                    { "name": "reason", "type": 3, "value": "no_budget" },
                    { "name": "lead", "type": 3, "value": "crm-7" },
                ]),
            ),
            text("/lead reject crm-7 no_budget too small"),
        );
        check(
            sub(
                "lead",
                "rate",
                json!([{ "name": "lead", "type": 3, "value": "3" }, { "name": "stars", "type": 4, "value": 4 }]),
            ),
            text("/lead rate 3 4"),
        );
        check(sub("lead", "mine", json!([])), text("/lead mine"));
        check(
            json!({ "name": "funnel", "options": [
                { "name": "by", "type": 3, "value": "source" },
                { "name": "period", "type": 3, "value": "7d" }] }),
            text("/funnel 7d by source"),
        );
        check(json!({ "name": "sla" }), text("/sla"));
        check(sub("baton", "help", json!([])), text("/baton help"));
        check(
            sub(
                "baton",
                "link",
                json!([{ "name": "email", "type": 3, "value": " ann@acme.test" }]),
            ),
            Ok(Invocation::Link("ann@acme.test".into())),
        );
        check(
            sub(
                "baton",
                "confirm",
                json!([{ "name": "user", "type": 6, "value": "42" }]),
            ),
            Ok(Invocation::Confirm("42".into())),
        );
        check(json!({ "name": "dance" }), Err("not a Baton command"));
        check(sub("lead", "dance", json!([])), Err("not a Baton command"));
    }

    #[test]
    fn reject_offers_the_ten_reasons_as_choices() {
        let defs = definitions();
        let reject = defs[0]["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "reject")
            .unwrap();
        let choices: Vec<&str> = reject["options"][1]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_str().unwrap())
            .collect();
        assert_eq!(choices, REJECT_REASONS);
    }

    #[test]
    fn definitions_keep_discord_limits() {
        fn walk(v: &Value) {
            if let Some(d) = v.get("description").and_then(Value::as_str) {
                assert!(!d.is_empty() && d.chars().count() <= 100, "{d}");
            }
            if let Some(n) = v.get("name").and_then(Value::as_str) {
                assert!(n.len() <= 32 && n == n.to_lowercase(), "{n}");
            }
            for o in v["options"].as_array().into_iter().flatten() {
                walk(o);
            }
        }
        for def in definitions().as_array().unwrap() {
            walk(def);
        }
    }
}
