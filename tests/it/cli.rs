//! The binary's command line: config errors and exit codes, check-config, import.

use std::path::Path;
use std::process::Output;

use crate::helpers::*;

pub fn baton(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_baton"));
    cmd.args(args)
        .env("BATON_LOG", "warn")
        .env_remove("BATON_CONFIG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn write_config(dir: &Path, extra: &str) -> String {
    let path = dir.join("baton.toml");
    std::fs::write(&path, config_text(dir, &format!("{TEAM}\n{extra}"))).unwrap();
    path.display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_configs_exit_2_naming_the_key_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[marketing]\nmql_targt = 5\n",
            "`marketing.mql_targt`: unknown field `mql_targt`, expected one of `mql_target`, `mql_target_period`, `acceptance_target`",
        ),
        (
            "[marketing]\nmql_target = \"many\"\n",
            "`marketing.mql_target`: invalid type: string \"many\", expected u32",
        ),
        (
            "[[person]]\nemail = \"eve@acme.test\"\nrole = \"rep\"\nteam = \"saels\"\n",
            "person[4] (eve@acme.test): team \"saels\" is not a [[team]]: add it or fix the name",
        ),
        (
            "[reporting]\ntimezone = \"Mars/Olympus\"\n",
            "reporting.timezone: \"Mars/Olympus\" is not an IANA time zone",
        ),
        (
            "[[calendar]]\nname = \"x\"\ntimezone = \"UTC\"\nhours = \"Mon-Fri 9-18\"\n",
            "calendar[1] \"x\": bad hours \"Mon-Fri 9-18\"",
        ),
        ("[routing\n", "line LINE: unclosed table"),
    ];
    for (extra, expected) in cases {
        // The config is written to a fresh file each time; the team is already valid.
        let config = write_config(dir.path(), extra);
        let text = std::fs::read_to_string(&config).unwrap();
        let line = text
            .lines()
            .position(|l| l == "[routing")
            .map(|i| i + 1)
            .unwrap_or(0);
        let expected = expected.replace("LINE", &line.to_string());
        let out = baton(&["check-config", "--config", &config], &[]);
        assert_eq!(out.status.code(), Some(2), "{extra}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&expected),
            "{extra}\nwanted: {expected}\ngot: {}",
            stderr(&out)
        );
    }
}

#[test]
fn check_config_prints_the_resolved_config_with_secrets_masked_and_env_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let out = baton(
        &["check-config", "--config", &config],
        &[
            ("BATON_API_TOKEN", "s3cr3t-token"),
            ("BATON__WATCH__POLL_MS", "250"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("poll_ms = 250"), "{text}");
    assert!(text.contains("BATON_API_TOKEN: set (***)"), "{text}");
    assert!(!text.contains("s3cr3t-token"));
    assert!(text.contains("4 people, 1 teams"), "{text}");

    let out = baton(
        &["check-config", "--config", &config],
        &[("BATON__WATCH__POLL_MS", "\"fast\"")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`watch.poll_ms`: invalid type: string \"fast\", expected u64"),
        "{}",
        stderr(&out)
    );

    let out = baton(
        &["check-config", "--config", &config],
        &[("BATON__WATCH__POLL_MS", "0")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("watch.poll_ms: 0 is out of range"),
        "{}",
        stderr(&out)
    );

    let out = baton(
        &["check-config", "--config", "/nonexistent/baton.toml"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read the config file"),
        "{}",
        stderr(&out)
    );

    let out = baton(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_skips_bad_rows_naming_line_and_column_and_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let csv = dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "external_id,name,company_size,stage\nc1,Cat,10,lead\nc2,Dan,ten,lead\nc3,Eli,5,mql\nc4,Fox,5,closed\n",
    )
    .unwrap();
    let out = baton(&["import", csv.to_str().unwrap(), "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 3, column company_size: \"ten\" is not a whole number (row skipped)"),
        "{err}"
    );
    assert!(
        err.contains("line 5, column stage: unknown stage \"closed\""),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 leads"));

    let bad_header = dir.path().join("bad.csv");
    std::fs::write(&bad_header, "external_id,colour\nx,red\n").unwrap();
    let out = baton(
        &["import", bad_header.to_str().unwrap(), "--config", &config],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown column \"colour\""),
        "{}",
        stderr(&out)
    );

    let jsonl = dir.path().join("history.jsonl");
    std::fs::write(
        &jsonl,
        "{\"external_id\":\"c1\",\"stage\":\"mql\",\"stage_changed_at\":\"2026-11-01T10:00:00Z\"}\n",
    )
    .unwrap();
    let out = baton(
        &[
            "import",
            jsonl.to_str().unwrap(),
            "--history",
            "--config",
            &config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("as history (no alerts)"));
}

#[test]
fn the_example_config_is_valid() {
    let out = baton(
        &[
            "check-config",
            "--config",
            concat!(env!("CARGO_MANIFEST_DIR"), "/config/baton.example.toml"),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn check_config_prints_each_sla_window_in_words_with_an_example_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let people = r#"
[[calendar]]
name = "berlin"
timezone = "Europe/Berlin"
hours = "Mon-Fri 09:00-18:00"

[[person]]
email = "boss@acme.test"
role = "manager"
team = "emea"

[[person]]
email = "ann@acme.test"
role = "rep"
team = "emea"

[[team]]
name = "emea"
manager = "boss@acme.test"
calendar = "berlin"

[[sla]]
name = "days"
ack = "1h"
first_touch = "1d4h"
disposition = "3d"

[[sla]]
name = "wall"
business_hours = false
ack = "2bd"
first_touch = "1d"
disposition = "36wh"
"#;
    let path = dir.path().join("baton.toml");
    std::fs::write(&path, config_text(dir.path(), people)).unwrap();
    let config = path.display().to_string();
    let out = baton(&["check-config", "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?} in\n{text}"))
            .to_string()
    };
    assert!(
        line("# SLA \"days\"").contains("d is business days"),
        "{text}"
    );
    assert!(line("# SLA \"days\"").contains("calendar \"berlin\" (Europe/Berlin)"));
    // The example lead arrives on a Tuesday at 15:00 Berlin time.
    let ack = line("#   ack: 1h of business time: a lead at Tue ");
    assert!(
        ack.contains("15:00 is due Tue ") && ack.ends_with("16:00"),
        "{ack}"
    );
    let touch = line("#   first_touch: 1 business day and 4h of business time: a lead at Tue ");
    assert!(
        touch.contains(" is due Thu ") && touch.ends_with("10:00"),
        "{touch}"
    );
    let decide = line("#   disposition: 3 business days: a lead at Tue ");
    assert!(
        decide.contains(" is due Fri ") && decide.ends_with("15:00"),
        "{decide}"
    );
    assert!(line("# SLA \"wall\"").contains("wall-clock time"));
    let wall = line("#   first_touch: 24h of wall-clock time: a lead at Tue ");
    assert!(
        wall.contains(" is due Wed ") && wall.ends_with("15:00"),
        "{wall}"
    );
    let explicit = line("#   ack: 2 business days: a lead at Tue ");
    assert!(explicit.contains(" is due Thu ") && explicit.ends_with("15:00"));
    assert!(line("#   disposition: 36h of wall-clock time").ends_with("03:00"));

    // A window that is not one says how to write it, and exits 2.
    std::fs::write(
        &path,
        config_text(dir.path(), &people.replace("\"1d4h\"", "\"1 day\"")),
    )
    .unwrap();
    let out = baton(&["check-config", "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"1 day\" is not an SLA window") && stderr(&out).contains("\"2bd\""),
        "{}",
        stderr(&out)
    );
}
