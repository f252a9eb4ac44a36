//! `[database]`: the SQLite file Baton works on.

use std::path::PathBuf;

use super::Problems;
use crate::config::DatabaseSettings;

/// `[database] url`: the path of the SQLite file, or `None` with a problem when the URL
/// names no file.
pub fn database(settings: &DatabaseSettings, problems: &mut Problems) -> Option<PathBuf> {
    let path = database_path(&settings.url);
    if path.is_none() {
        problems.push(format!(
            "database.url: \"{}\" is not a SQLite URL: write \"sqlite://baton.db\" or a file path",
            settings.url
        ));
    }
    path
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
        let rows: &[(&str, Option<&str>)] = &[
            ("", Some("baton.db")),
            ("url = \"sqlite://data/baton.db\"", Some("data/baton.db")),
            ("url = \"sqlite:baton.db?mode=rwc\"", Some("baton.db")),
            (
                "url = \"/var/lib/baton/baton.db\"",
                Some("/var/lib/baton/baton.db"),
            ),
            ("url = \"sqlite::memory:\"", None),
            ("url = \"postgres://db/baton\"", None),
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
    }
}
