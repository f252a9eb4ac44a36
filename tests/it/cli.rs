//! The binary's command line: config errors and exit codes, check-config, import.

use std::path::Path;
use std::process::Output;

use crate::harness::*;

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

/// Issue 22 is in progress: a PostgreSQL URL is a bad config for now, said plainly, and
/// its password is not echoed. `baton run` refuses it before touching any database.
#[test]
fn a_postgres_url_is_refused_as_unfinished_work() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let url = (
        "BATON__DATABASE__URL",
        "postgres://baton:s3cret@127.0.0.1/baton",
    );
    for command in ["check-config", "run", "migrate"] {
        let out = baton(&[command, "--config", &config], &[url]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("database.url: PostgreSQL support is not finished yet (issue 22)"),
            "{command}: {err}"
        );
        assert!(!err.contains("s3cret"), "{command}: {err}");
    }
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

    let extra_columns = dir.path().join("crm.csv");
    std::fs::write(&extra_columns, "external_id,colour,Lead Owner\nx,red,Ann\n").unwrap();
    let out = baton(
        &[
            "import",
            extra_columns.to_str().unwrap(),
            "--config",
            &config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("warning").count(),
        1,
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("ignoring the columns \"colour\", \"lead owner\""),
        "{}",
        stderr(&out)
    );

    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "external_id,name,Name\nx,a,b\n").unwrap();
    let out = baton(
        &["import", twice.to_str().unwrap(), "--config", &config],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the header names \"name\" more than once"),
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

/// Runs a sqlite query on `db` through python3 and returns its rows, one per line.
fn query(db: &Path, sql: &str) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import sqlite3, sys\nfor row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print('|'.join(map(str, row)))")
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_windows_1252_byte_skips_its_row_naming_the_line_unless_the_encoding_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let csv = dir.path().join("excel.csv");
    // "Müller" as Excel saves it on Windows: ü is the single byte 0xFC.
    std::fs::write(
        &csv,
        b"external_id,name\r\nw1,Ann\r\nw2,M\xFCller\r\nw3,Cid\r\n",
    )
    .unwrap();
    let out = baton(&["import", csv.to_str().unwrap(), "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 3, column name: holds a byte that is not UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("--encoding windows-1252"),
        "{}",
        stderr(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains("imported 2 leads") && stdout.contains("1 rows skipped"),
        "{stdout}"
    );
    let db = dir.path().join("baton.db");
    assert_eq!(
        query(&db, "SELECT external_id FROM leads ORDER BY id"),
        "w1\nw3\n"
    );

    let out = baton(
        &[
            "import",
            csv.to_str().unwrap(),
            "--encoding",
            "windows-1252",
            "--config",
            &config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 3 leads"));
    assert_eq!(
        query(&db, "SELECT name FROM leads WHERE external_id = 'w2'"),
        "Müller\n"
    );

    let out = baton(
        &[
            "import",
            csv.to_str().unwrap(),
            "--encoding",
            "ebcdic",
            "--config",
            &config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("use utf-8, windows-1252 or latin1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_stores_odd_but_valid_times_canonical_and_names_the_line_of_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let file = dir.path().join("times.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"external_id":"t1","stage":"sql","stage_changed_at":"2026-11-20T09:30:00+15:00"}"#,
            r#"{"external_id":"t2","stage":"sql","stage_changed_at":"2026-11-20t09:30:00z"}"#,
            r#"{"external_id":"t3","stage":"sql","stage_changed_at":"2016-12-31T23:59:60Z"}"#,
            r#"{"external_id":"t4","stage":"sql","stage_changed_at":"2026-11-20T09:30:00-19:50"}"#,
            r#"{"external_id":"t5","stage":"sql","stage_changed_at":"2026-02-30T09:30:00Z"}"#,
            r#"{"external_id":"t6","stage":"sql","stage_changed_at":"9999-12-31T23:00:00-19:50"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = baton(
        &[
            "import",
            file.to_str().unwrap(),
            "--history",
            "--config",
            &config,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "line 5, column stage_changed_at: \"2026-02-30T09:30:00Z\" is not an RFC 3339 time"
        ),
        "{err}"
    );
    assert!(err.contains("line 6, column stage_changed_at:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let db = dir.path().join("baton.db");
    assert_eq!(
        query(
            &db,
            "SELECT external_id, stage_changed_at FROM leads ORDER BY external_id"
        ),
        "t1|2026-11-19T18:30:00.000Z\nt2|2026-11-20T09:30:00.000Z\nt3|2016-12-31T23:59:59.999Z\nt4|2026-11-21T05:20:00.000Z\n"
    );
}

#[test]
fn run_refuses_a_config_without_reps_or_teams_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.toml");
    std::fs::write(
        &path,
        config_text(
            dir.path(),
            "[[person]]\nemail = \"root@acme.test\"\nrole = \"admin\"\n",
        ),
    )
    .unwrap();
    let config = path.to_str().unwrap();
    let out = baton(&["run", "--config", config], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("has no [[person]] with role = \"rep\" and no [[team]]")
            && err.contains("--allow-empty"),
        "{err}"
    );
    assert!(!dir.path().join("baton.db").exists(), "nothing was created");

    let out = baton(&["check-config", "--config", config], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("refuses to start without them"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_relative_database_path_is_relative_to_the_config_file_and_printed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("etc");
    std::fs::create_dir(&folder).unwrap();
    let text = config_text(dir.path(), TEAM).replace(
        &format!("sqlite://{}", dir.path().join("baton.db").display()),
        "sqlite://data.db",
    );
    std::fs::write(folder.join("baton.toml"), text).unwrap();
    let config = folder.join("baton.toml");
    let out = baton(&["migrate", "--config", config.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(folder.join("data.db").exists());
    let out = baton(&["check-config", "--config", config.to_str().unwrap()], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains(&format!(
            "# database file: {}",
            folder.join("data.db").display()
        )),
        "{stdout}"
    );
}

#[test]
fn config_errors_stay_single_and_show_a_valid_example() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[calendar]]\nname = \"mars\"\ntimezone = \"Mars/Olympus\"\nhours = \"Mon-Fri 09:00-18:00\"\n\
             [[person]]\nemail = \"eve@acme.test\"\nrole = \"rep\"\nteam = \"sales\"\ncalendar = \"mars\"\n",
            "Mars/Olympus",
        ),
        (
            "[digest]\ncron = \"0 0 25 * * Mon\"\n",
            "e.g. \"0 0 9 * * Mon\"",
        ),
        (
            "[[sla]]\nname = \"x\"\nack = 15\nfirst_touch = \"1h\"\ndisposition = \"1d\"\n",
            "15 is a number, but a duration is text with a unit: write e.g. \"15m\"",
        ),
    ];
    for (extra, expected) in cases {
        let config = write_config(dir.path(), extra);
        let out = baton(&["check-config", "--config", &config], &[]);
        assert_eq!(out.status.code(), Some(2), "{extra}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(expected),
            "{extra}\nwanted: {expected}\ngot: {err}"
        );
        assert!(!err.contains("problems:"), "one problem only: {err}");
    }
}

#[test]
fn check_config_warns_about_people_who_can_receive_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baton.toml");
    let text = config_text(dir.path(), &format!("{TEAM}\n[discord]\nenabled = true\n"))
        .replace("[console]\nenabled = true", "[console]\nenabled = false");
    // Ann alone can be reached: she has a Discord id.
    let text = text.replace(
        "name = \"Ann\"\n",
        "name = \"Ann\"\ndiscord_id = \"123456789012345678\"\n",
    );
    std::fs::write(&path, text).unwrap();
    let out = baton(
        &["check-config", "--config", path.to_str().unwrap()],
        &[("DISCORD_BOT_TOKEN", "t")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let warned: Vec<String> = stderr(&out)
        .lines()
        .filter(|l| l.contains("can receive nothing"))
        .map(|l| l.split_whitespace().nth(1).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        warned,
        ["root@acme.test", "boss@acme.test", "bob@acme.test"],
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_stdout_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    // The reading end is closed before Baton writes anything: every write fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["check-config", "--config", &config])
        .env("BATON_LOG", "warn")
        .env_remove("BATON_CONFIG")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "quietly");
}

#[test]
fn report_arguments_on_the_command_line_read_as_in_chat() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    // Each refused set of words gets the chat grammar's own explanation, exit 2.
    let refused: [(&str, &[&str]); 6] = [
        ("sla", &["0d"]),
        ("sla", &["7d", "30d"]),
        ("sla", &["sales", "emea"]),
        ("funnel", &["by"]),
        ("funnel", &["source"]),
        ("funnel", &["7d", "by", "colour"]),
    ];
    for (command, words) in refused {
        let chat = format!("/{command} {}", words.join(" "));
        let problem = baton::command::grammar::parse(&chat)
            .expect_err(&chat)
            .problem;
        let mut args = vec![command];
        args.extend_from_slice(words);
        args.extend(["--config", &config]);
        let out = baton(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{chat}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&problem),
            "{chat}\nwanted: {problem}\ngot: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(&format!("usage: baton {command}")));
    }
    // Accepted words give a report, in either order.
    for args in [
        &["sla", "sales", "7d"][..],
        &["funnel", "by", "source", "this-month"][..],
    ] {
        let mut args = args.to_vec();
        args.extend(["--format", "json", "--config", &config]);
        let out = baton(&args, &[]);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let out = baton(&["funnel", "chart", "--config", &config], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`chart` and `share` are for chat"));
}
