//! Baton's application commands: their definitions, registered with Discord at start
//! (`/lead` with its subcommands, `/funnel report|plan`, `/sla`, `/baton`), and the way back from an
//! invocation's typed options to a [`Command`] of `command::grammar`, so Discord runs
//! exactly what the console and Slack run. Each option is taken as one value, as given: a
//! lead, a reason or a note is never split on spaces.
//!
//! Pure JSON: no I/O.

use serde_json::{Value, json};

use crate::command::grammar::{self, Command, Dimension, LeadRef};
use crate::domain::handoff::RejectReason;
use crate::domain::period::Period;
use crate::i18n::{Locale, t, tr};

const SUB_COMMAND: u64 = 1;
const STRING: u64 = 3;
const INTEGER: u64 = 4;
const BOOLEAN: u64 = 5;
const USER: u64 = 6;

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

/// The Discord locales each of Baton's languages is registered under (Discord names
/// Spanish `es-ES` and `es-419`; English is the default text).
const DISCORD_LOCALES: [(Locale, &[&str]); 3] = [
    (Locale::PtBr, &["pt-BR"]),
    (Locale::Es, &["es-ES", "es-419"]),
    (Locale::It, &["it"]),
];

/// The language of a Discord client locale (`interaction.locale`): `pt-BR`, `es-ES`,
/// `es-419`, `it`, `en-US`, `en-GB`; `None` for one Baton does not write.
pub fn locale_of_discord(code: &str) -> Option<Locale> {
    match code {
        c if c.starts_with("en") => Some(Locale::En),
        c if c.starts_with("es") => Some(Locale::Es),
        "pt-BR" => Some(Locale::PtBr),
        "it" => Some(Locale::It),
        _ => None,
    }
}

/// `{ "pt-BR": …, "es-ES": …, "es-419": …, "it": … }` for the message `id`.
fn localizations(id: &str) -> Value {
    let mut map = serde_json::Map::new();
    for (locale, codes) in DISCORD_LOCALES {
        for code in codes {
            map.insert((*code).to_string(), Value::String(t(locale, id)));
        }
    }
    Value::Object(map)
}

/// The message id of a command's, subcommand's or option's description:
/// `discord-lead`, `discord-lead-ack`, `discord-lead-ack-lead`.
fn description_id(path: &[&str]) -> String {
    format!("discord-{}", path.join("-"))
}

/// Adds `description_localizations` to `node` and its options (recursively), and
/// `name_localizations` to choices that have a label (reject reasons, dimensions).
/// Names and values stay English.
fn localize(node: &mut Value, path: &mut Vec<String>) {
    let Some(name) = node["name"].as_str().map(str::to_string) else {
        return;
    };
    path.push(name);
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    node["description_localizations"] = localizations(&description_id(&refs));
    if let Some(choices) = node["choices"].as_array_mut() {
        for choice in choices {
            if let Some(value) = choice["value"].as_str() {
                let id = if RejectReason::ALL.iter().any(|r| r.as_str() == value) {
                    format!("reason-{value}")
                } else {
                    format!("choice-{value}")
                };
                choice["name_localizations"] = localizations(&id);
            }
        }
    }
    if let Some(options) = node["options"].as_array_mut() {
        for option in options {
            localize(option, path);
        }
    }
    path.pop();
}

/// The command definitions, as the body of Discord's bulk overwrite, with their
/// descriptions (and the reject reasons' and dimensions' names) in Portuguese, Spanish
/// and Italian.
pub fn definitions() -> Value {
    let mut all = english_definitions();
    if let Some(commands) = all.as_array_mut() {
        for command in commands {
            localize(command, &mut Vec::new());
        }
    }
    all
}

/// The command definitions in English, as Discord shows them by default.
fn english_definitions() -> Value {
    let reasons: Vec<Value> = RejectReason::ALL
        .iter()
        .map(|r| json!({ "name": r.as_str(), "value": r.as_str() }))
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
                sub("why", "Why the lead went to its assignee (assignee, manager, admins)", vec![lead()]),
                sub("mine", "Your open leads and the time left on each", vec![]),
                sub("reassign", "Hand the lead to someone else (managers, admins)", vec![
                    lead(),
                    json!({ "type": STRING, "name": "person", "required": true,
                            "description": "The new assignee's email" }),
                ]),
                sub("snooze", "Put off the next reminder (once per clock, before its deadline)", vec![
                    lead(),
                    json!({ "type": STRING, "name": "duration", "required": true, "max_length": 20,
                            "description": "How long, e.g. 30m, 2h or 1h30m" }),
                ]),
                sub("handback", "Give your lead back to the rotation (once, before a breach)", vec![
                    lead(),
                    json!({ "type": STRING, "name": "reason", "required": false, "max_length": 1000,
                            "description": "Why, for the record" }),
                ]),
            ],
        },
        {
            // Discord allows options or subcommands on a command, not both: the report is
            // `/funnel report`, the reverse funnel `/funnel plan`.
            "name": "funnel", "type": 1, "description": "The lead funnel, and the reverse funnel plan",
            "options": [
                sub("report", "The lead funnel and handoff outcomes", vec![
                    period(),
                    json!({ "type": STRING, "name": "by", "required": false, "description": "Group by",
                            "choices": dimensions }),
                    json!({ "type": BOOLEAN, "name": "chart", "required": false,
                            "description": "Add the funnel chart" }),
                    json!({ "type": BOOLEAN, "name": "share", "required": false,
                            "description": "Post it to this channel for everyone (else only you see it)" }),
                ]),
                sub("plan", "What each stage must deliver for N customers, beside the pace", vec![
                    json!({ "type": INTEGER, "name": "customers", "required": true,
                            "min_value": 1, "max_value": grammar::PLAN_MAX_CUSTOMERS,
                            "description": "Customers to win" }),
                    json!({ "type": STRING, "name": "period", "required": false,
                            "description": "When: this-quarter (default), this-month, this-week, 2027-01-01..2027-03-31" }),
                    json!({ "type": STRING, "name": "basis", "required": false,
                            "description": "Conversions measured over: 90d (default), 180d, last-quarter, ..." }),
                    json!({ "type": STRING, "name": "by", "required": false, "description": "Split by",
                            "choices": [{ "name": "source", "value": "source" },
                                        { "name": "campaign", "value": "campaign" }] }),
                    json!({ "type": BOOLEAN, "name": "chart", "required": false,
                            "description": "Add the plan chart" }),
                ]),
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
            "name": "baton", "type": 1, "description": "Help, and linking Discord accounts",
            "options": [
                sub("help", "What Baton can do", vec![]),
                sub("link", "Link your Discord account to your Baton user", vec![
                    json!({ "type": STRING, "name": "email", "required": true,
                            "description": "Your work email, as in Baton's config" }),
                ]),
                sub("confirm", "Confirm someone's link (a rep's manager, else an admin)", vec![
                    json!({ "type": USER, "name": "user", "required": true,
                            "description": "The person who ran /baton link" }),
                ]),
                sub("links", "The Discord links and their history (managers, admins)", vec![]),
                sub("away", "Away: no new leads until then (yourself; managers for their reps)", vec![
                    json!({ "type": STRING, "name": "period", "required": true,
                            "description": "today, 3d, 2026-12-24 or 2026-12-20..2027-01-03" }),
                    json!({ "type": STRING, "name": "person", "required": false,
                            "description": "Whose (their email); you when left out" }),
                    note(),
                ]),
                sub("back", "Available again from now", vec![
                    json!({ "type": STRING, "name": "person", "required": false,
                            "description": "Whose (their email); you when left out" }),
                ]),
                sub("who", "Who is available, away or outside hours, with open leads", vec![
                    json!({ "type": STRING, "name": "team", "required": false, "description": "A team's name" }),
                ]),
            ],
        },
    ])
}

/// The options of an invocation, read by name with their types kept: a string option is
/// one value whatever spaces it holds, an integer is a number.
struct Options<'a>(&'a [Value], Locale);

/// A mistake and the usage, in `l`.
fn with_usage(l: Locale, problem: String, usage: &str) -> String {
    format!("{problem}\n{}: {usage}", t(l, "usage-label"))
}

impl<'a> Options<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| &o["value"])
    }

    /// A string option, trimmed; `None` when absent or empty.
    fn text(&self, name: &str) -> Option<&'a str> {
        self.get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    fn required(&self, name: &str, usage: &'static str) -> Result<&'a str, String> {
        self.text(name).ok_or_else(|| {
            with_usage(
                self.1,
                tr(self.1, "discord-option-missing", &[("option", name.into())]),
                usage,
            )
        })
    }

    fn lead(&self, usage: &'static str) -> Result<LeadRef, String> {
        grammar::lead_value(self.required("lead", usage)?, usage).map_err(|e| e.render(self.1))
    }

    fn note(&self) -> Option<String> {
        self.text("note").map(str::to_string)
    }

    fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(Value::as_bool).unwrap_or(false)
    }

    fn period(&self, usage: &'static str) -> Result<Period, String> {
        match self.text("period") {
            Some(text) => Period::parse(text)
                .map_err(|e| with_usage(self.1, grammar::period_text(&e).render(self.1), usage)),
            None => Ok(Period::default()),
        }
    }
}

/// Turns an application command's `data` into the [`Command`] to run, from the typed
/// options as Discord sent them (never re-joined into text and split again, so
/// `lead:"1 5"` is a bad lead, not lead 1 rated 5). The error is the reply.
pub fn command(data: &Value, l: Locale) -> Result<Command, String> {
    let name = data["name"].as_str().unwrap_or_default();
    let definitions = definitions();
    let known = definitions
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["name"] == name);
    if !known {
        return Err(tr(
            l,
            "discord-unknown-command",
            &[("command", name.into())],
        ));
    }
    let top: &[Value] = data["options"].as_array().map_or(&[], Vec::as_slice);
    let (sub, options) = match top.first().filter(|o| o["type"] == SUB_COMMAND) {
        Some(sub) => (
            sub["name"].as_str().unwrap_or_default(),
            sub["options"].as_array().map_or(&[][..], Vec::as_slice),
        ),
        None => ("", top),
    };
    let o = Options(options, l);
    let usage = grammar::usage_of(name, sub);
    let command = match (name, sub) {
        ("lead", "ack") => Command::Ack {
            lead: o.lead(usage)?,
        },
        ("lead", "contacted") => Command::Contacted {
            lead: o.lead(usage)?,
            note: o.note(),
        },
        ("lead", "accept") => Command::Accept {
            lead: o.lead(usage)?,
            note: o.note(),
        },
        ("lead", "reject") => Command::Reject {
            lead: o.lead(usage)?,
            reason: o
                .required("reason", usage)?
                .parse::<RejectReason>()
                .map_err(|e| e.render(l))?,
            note: o.note(),
        },
        ("lead", "rate") => Command::Rate {
            lead: o.lead(usage)?,
            stars: match o.get("stars").and_then(Value::as_i64) {
                Some(n) => grammar::stars_value(n).map_err(|e| e.render(l))?,
                None => return Err(with_usage(l, t(l, "discord-rating-needed"), usage)),
            },
            note: o.note(),
        },
        ("lead", "show") => Command::Show {
            lead: o.lead(usage)?,
        },
        ("lead", "why") => Command::Why {
            lead: o.lead(usage)?,
        },
        ("lead", "mine") => Command::Mine,
        ("lead", "reassign") => Command::Reassign {
            lead: o.lead(usage)?,
            to: grammar::email_value(o.required("person", usage)?, usage)
                .map_err(|e| e.render(l))?,
        },
        ("lead", "snooze") => Command::Snooze {
            lead: o.lead(usage)?,
            by: grammar::span_value(o.text("duration").unwrap_or_default(), usage)
                .map_err(|e| e.render(l))?,
        },
        ("lead", "handback") => Command::Handback {
            lead: o.lead(usage)?,
            reason: o.text("reason").map(str::to_string),
        },
        ("funnel", "plan") => {
            let customers = match o.get("customers").and_then(Value::as_i64) {
                Some(n) => grammar::customers_value(n).map_err(|e| e.render(l))?,
                None => return Err(with_usage(l, t(l, "discord-customers-needed"), usage)),
            };
            let mut request = grammar::PlanRequest::new(customers);
            if let Some(text) = o.text("period") {
                request.period = Period::parse(text)
                    .map_err(|e| with_usage(l, grammar::period_text(&e).render(l), usage))?;
            }
            if let Some(text) = o.text("basis") {
                request.basis = Period::parse(text).map_err(|e| {
                    let problem = format!("basis: {}", grammar::period_text(&e).render(l));
                    with_usage(l, problem, usage)
                })?;
            }
            request.by = match o.text("by").map(str::parse::<Dimension>).transpose() {
                Ok(by @ (None | Some(Dimension::Source | Dimension::Campaign))) => by,
                Ok(Some(d)) => {
                    let problem = tr(l, "usage-plan-by-not", &[("dimension", d.as_str().into())]);
                    return Err(with_usage(l, problem, usage));
                }
                Err(e) => return Err(e.render(l)),
            };
            request.chart = o.flag("chart");
            Command::Plan(request)
        }
        // `/funnel report`, and `/funnel` with the options at the top as registered before
        // there was a plan.
        ("funnel", "report" | "") => Command::Funnel {
            period: o.period(usage)?,
            by: o
                .text("by")
                .map(str::parse::<Dimension>)
                .transpose()
                .map_err(|e| e.render(l))?,
            chart: o.flag("chart"),
            share: o.flag("share"),
        },
        ("sla", _) => Command::Sla {
            period: o.period(usage)?,
            team: o.text("team").map(str::to_string),
        },
        ("baton", "help") => Command::Help,
        ("baton", "link") => Command::Link {
            email: grammar::email_value(o.required("email", usage)?, usage)
                .map_err(|e| e.render(l))?,
        },
        ("baton", "confirm") => Command::Confirm {
            user: grammar::user_value(o.required("user", usage)?).map_err(|e| e.render(l))?,
        },
        ("baton", "links") => Command::Links,
        ("baton", "away") => Command::Away {
            person: o
                .text("person")
                .map(|p| grammar::email_value(p, usage))
                .transpose()
                .map_err(|e| e.render(l))?,
            period: grammar::away_value(o.required("period", usage)?).map_err(|e| e.render(l))?,
            note: o.note(),
        },
        ("baton", "back") => Command::Back {
            person: o
                .text("person")
                .map(|p| grammar::email_value(p, usage))
                .transpose()
                .map_err(|e| e.render(l))?,
        },
        ("baton", "who") => Command::Who {
            team: o.text("team").map(str::to_string),
        },
        (name, sub) => {
            return Err(tr(
                l,
                "discord-unknown-subcommand",
                &[("command", name.into()), ("sub", sub.into())],
            ));
        }
    };
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(data: Value, want: Result<&str, &str>) {
        let got = command(&data, Locale::En);
        match want {
            // The command is written in the text grammar and compared as that.
            Ok(want) => assert_eq!(
                got.map(|c| c.to_string()),
                Ok(grammar::parse(want).unwrap().to_string()),
                "{data}"
            ),
            Err(part) => {
                let e = got.unwrap_err();
                assert!(e.contains(part), "{data}: {e}")
            }
        }
    }

    fn sub(name: &str, sub: &str, options: Value) -> Value {
        json!({ "name": name, "options": [{ "type": 1, "name": sub, "options": options }] })
    }

    #[test]
    fn snooze_takes_its_duration_as_one_typed_option() {
        check(
            sub(
                "lead",
                "snooze",
                json!([
                    { "name": "duration", "type": 3, "value": "30m" },
                    { "name": "lead", "type": 3, "value": "12" },
                ]),
            ),
            Ok("/lead snooze 12 30m"),
        );
        check(
            sub(
                "lead",
                "snooze",
                json!([
                    { "name": "lead", "type": 3, "value": "12" },
                    { "name": "duration", "type": 3, "value": "30 m" },
                ]),
            ),
            Err("\"30 m\" is not a duration"),
        );
    }

    #[test]
    fn invocations_become_commands() {
        check(
            sub(
                "lead",
                "ack",
                json!([{ "name": "lead", "type": 3, "value": "12" }]),
            ),
            Ok("/lead ack 12"),
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
            Ok("/lead reject crm-7 no_budget too small"),
        );
        check(
            sub(
                "lead",
                "rate",
                json!([{ "name": "lead", "type": 3, "value": "3" }, { "name": "stars", "type": 4, "value": 4 }]),
            ),
            Ok("/lead rate 3 4"),
        );
        check(sub("lead", "mine", json!([])), Ok("/lead mine"));
        check(
            sub(
                "lead",
                "handback",
                json!([
                    { "name": "reason", "type": 3, "value": " not my territory " },
                    { "name": "lead", "type": 3, "value": "crm-7" },
                ]),
            ),
            Ok("/lead handback crm-7 not my territory"),
        );
        check(
            sub(
                "lead",
                "handback",
                json!([{ "name": "lead", "type": 3, "value": "12" }]),
            ),
            Ok("/lead handback 12"),
        );
        check(
            sub("lead", "handback", json!([])),
            Err("\"lead\" is missing"),
        );
        check(
            json!({ "name": "funnel", "options": [
                { "name": "by", "type": 3, "value": "source" },
                { "name": "share", "type": 5, "value": true },
                { "name": "period", "type": 3, "value": "7d" }] }),
            Ok("/funnel 7d by source share"),
        );
        check(json!({ "name": "sla" }), Ok("/sla"));
        check(sub("baton", "help", json!([])), Ok("/baton help"));
        check(sub("baton", "links", json!([])), Ok("/baton links"));
        check(
            sub(
                "baton",
                "link",
                json!([{ "name": "email", "type": 3, "value": " Ann@acme.test" }]),
            ),
            Ok("/baton link ann@acme.test"),
        );
        check(
            sub(
                "baton",
                "confirm",
                json!([{ "name": "user", "type": 6, "value": "42" }]),
            ),
            Ok("/baton confirm 42"),
        );
        check(json!({ "name": "dance" }), Err("not a Baton command"));
        check(sub("lead", "dance", json!([])), Err("not a Baton command"));
    }

    #[test]
    fn option_values_are_never_split() {
        // `lead:"1 5" stars:1` is a bad lead, not lead 1 rated 5.
        check(
            sub(
                "lead",
                "rate",
                json!([{ "name": "lead", "type": 3, "value": "1 5" }, { "name": "stars", "type": 4, "value": 1 }]),
            ),
            Err("\"1 5\" is not a lead"),
        );
        // `lead:"12 spam"` cannot override the reason chosen.
        check(
            sub(
                "lead",
                "reject",
                json!([
                    { "name": "lead", "type": 3, "value": "12 spam" },
                    { "name": "reason", "type": 3, "value": "no_budget" },
                ]),
            ),
            Err("\"12 spam\" is not a lead"),
        );
        // A note keeps its words, even ones that look like options.
        let got = command(
            &sub(
                "lead",
                "reject",
                json!([
                    { "name": "lead", "type": 3, "value": "12" },
                    { "name": "reason", "type": 3, "value": "no_budget" },
                    { "name": "note", "type": 3, "value": "spam  5 <@1>" },
                ]),
            ),
            Locale::En,
        );
        assert_eq!(
            got,
            Ok(Command::Reject {
                lead: LeadRef::Id(12),
                reason: RejectReason::NoBudget,
                note: Some("spam  5 <@1>".into()),
            })
        );
        check(
            sub(
                "lead",
                "rate",
                json!([{ "name": "lead", "type": 3, "value": "1" }, { "name": "stars", "type": 4, "value": 9 }]),
            ),
            Err("not a rating"),
        );
        check(
            json!({ "name": "sla", "options": [{ "name": "period", "type": 3, "value": "7d 90d" }] }),
            Err("usage: /sla"),
        );
    }

    #[test]
    fn funnel_report_and_plan_are_subcommands_with_typed_options() {
        check(
            sub(
                "funnel",
                "report",
                json!([{ "name": "period", "type": 3, "value": "7d" }, { "name": "chart", "type": 5, "value": true }]),
            ),
            Ok("/funnel 7d chart"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([{ "name": "customers", "type": 4, "value": 12 }]),
            ),
            Ok("/funnel plan 12 customers"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([
                    { "name": "by", "type": 3, "value": "campaign" },
                    { "name": "basis", "type": 3, "value": "180d" },
                    { "name": "customers", "type": 4, "value": 3 },
                    { "name": "period", "type": 3, "value": "this-month" },
                    { "name": "chart", "type": 5, "value": true },
                ]),
            ),
            Ok("/funnel plan 3 customers this-month basis 180d by campaign chart"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([{ "name": "customers", "type": 3, "value": "12" }]),
            ),
            Err("the number of customers is needed"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([{ "name": "customers", "type": 4, "value": 0 }]),
            ),
            Err("0 customers cannot be planned"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([{ "name": "customers", "type": 4, "value": 2 }, { "name": "basis", "type": 3, "value": "9x" }]),
            ),
            Err("basis: \"9x\" is not a period"),
        );
        check(
            sub(
                "funnel",
                "plan",
                json!([{ "name": "customers", "type": 4, "value": 2 }, { "name": "by", "type": 3, "value": "rep" }]),
            ),
            Err("not by rep"),
        );
        let defs = definitions();
        let subs: Vec<&str> = defs[1]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(subs, ["report", "plan"]);
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
        assert_eq!(
            choices,
            RejectReason::ALL.map(RejectReason::as_str).to_vec()
        );
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

    /// Every description Discord shows is in each language, and the English text in
    /// `locales/en` is the one registered (so the two cannot drift apart).
    #[test]
    fn every_description_and_choice_is_translated() {
        fn walk(node: &Value, path: &mut Vec<String>, seen: &mut usize) {
            let Some(name) = node["name"].as_str() else {
                return;
            };
            path.push(name.to_string());
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let id = description_id(&refs);
            assert_eq!(
                node["description"].as_str(),
                Some(t(Locale::En, &id).as_str()),
                "{id}"
            );
            let l10n = &node["description_localizations"];
            for code in ["pt-BR", "es-ES", "es-419", "it"] {
                let text = l10n[code].as_str().unwrap_or_default();
                assert!(!text.is_empty() && text != id, "{id} in {code}");
                assert!(text.chars().count() <= 100, "{id} in {code} is too long");
                assert_ne!(
                    text,
                    node["description"].as_str().unwrap_or_default(),
                    "{id} {code}"
                );
            }
            *seen += 1;
            for choice in node["choices"].as_array().into_iter().flatten() {
                let pt = choice["name_localizations"]["pt-BR"]
                    .as_str()
                    .unwrap_or_default();
                assert!(
                    !pt.is_empty() && !pt.starts_with("choice-") && !pt.starts_with("reason-"),
                    "{choice}"
                );
                assert!(pt.chars().count() <= 100);
            }
            for option in node["options"].as_array().into_iter().flatten() {
                walk(option, path, seen);
            }
            path.pop();
        }
        let mut seen = 0;
        for command in definitions().as_array().unwrap() {
            walk(command, &mut Vec::new(), &mut seen);
        }
        assert!(seen > 50, "{seen} descriptions");
    }
}
