//! `[database]`: the SQLite file Baton works on.

use std::path::PathBuf;

use super::Problems;
use crate::config::DatabaseSettings;

/// `[database] url`: the path of the SQLite file, or `None` with a problem when the URL
/// names no file.
pub fn database(settings: &DatabaseSettings, problems: &mut Problems) -> Option<PathBuf> {
    let path = database_path(&settings.url);
    if path.is_none() {
        if is_postgres_url(&settings.url) {
            // The URL may hold a password: it is not repeated here.
            problems.push(
                "database.url: PostgreSQL support is not finished yet (issue 22): a postgres:// URL cannot be used in this version; use a SQLite URL such as \"sqlite://baton.db\""
                    .into(),
            );
        } else {
            problems.push(format!(
                "database.url: \"{}\" is not a SQLite URL: write \"sqlite://baton.db\" or a file path",
                settings.url
            ));
        }
    }
    path
}

/// `postgres://…` or `postgresql://…`, in any case.
fn is_postgres_url(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// `sqlite://baton.db`, `sqlite:baton.db` or a plain path.
fn database_path(url: &str) -> Option<PathBuf> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains("://") && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::super::table::run;
    use super::*;

    #[test]
    fn the_url_names_a_sqlite_file() {
        const UNFINISHED: &str = "database.url: PostgreSQL support is not finished yet (issue 22): a postgres:// URL cannot be used in this version; use a SQLite URL such as \"sqlite://baton.db\"";
        let rows: &[(&str, Option<&str>)] = &[
            ("", Some("baton.db")),
            ("url = \"sqlite://data/baton.db\"", Some("data/baton.db")),
            ("url = \"sqlite:baton.db?mode=rwc\"", Some("baton.db")),
            (
                "url = \"/var/lib/baton/baton.db\"",
                Some("/var/lib/baton/baton.db"),
            ),
            ("url = \"sqlite::memory:\"", None),
            ("url = \"mysql://db/baton\"", None),
            ("url = \"sqlite://\"", None),
        ];
        for (line, want) in rows {
            let text = format!("[database]\n{line}\n");
            let (got, problems) = run(&text, |s, p| database(&s.database, p));
            assert_eq!(got, want.map(PathBuf::from), "{line}");
            match want {
                Some(_) => assert!(problems.is_empty(), "{line}: {problems:?}"),
                None => assert_eq!(
                    problems,
                    [format!(
                        "database.url: \"{}\" is not a SQLite URL: write \"sqlite://baton.db\" or a file path",
                        &line[7..line.len() - 1]
                    )],
                    "{line}"
                ),
            }
        }
        // A PostgreSQL URL is refused as unfinished, and its password is not repeated.
        for url in [
            "postgres://baton:s3cret@db.example.com/baton",
            "postgresql://baton:s3cret@db.example.com:5433/baton?sslmode=require",
            "POSTGRES://baton@db/baton",
        ] {
            let text = format!("[database]\nurl = \"{url}\"\n");
            let (got, problems) = run(&text, |s, p| database(&s.database, p));
            assert_eq!(got, None, "{url}");
            assert_eq!(problems, [UNFINISHED], "{url}");
        }
    }
}
