//! The layering of ARCHITECTURE.md as a test: each layer's files name nothing above it,
//! so `domain/` and `command/` stay pure and no module depends on one that depends on it.
//! (A workspace crate would make this a compile error; a test does the same job without
//! splitting the build, see ARCHITECTURE.md.)

use std::path::{Path, PathBuf};

/// (files, what they must not name)
const RULES: &[(&[&str], &[&str])] = &[
    (
        &["src/domain", "src/command"],
        &[
            "sqlx",
            "tokio",
            "axum",
            "serenity",
            "slack_morphism",
            "reqwest",
            "crate::clock",
            "crate::config",
            "crate::message",
            "crate::store",
            "crate::reports",
            "crate::plan",
            "crate::engine",
            "crate::chat",
            "crate::http",
            "crate::app",
            "crate::cli",
        ],
    ),
    (&["src/domain"], &["crate::command"]),
    (
        &["src/message"],
        &[
            "sqlx",
            "crate::store",
            "crate::reports",
            "crate::plan",
            "crate::engine",
            "crate::chat",
            "crate::http",
            "crate::app",
            "crate::cli",
        ],
    ),
    (
        &["src/store"],
        &[
            "crate::reports",
            "crate::plan",
            "crate::engine",
            "crate::chat",
            "crate::http",
            "crate::app",
            "crate::cli",
        ],
    ),
    (
        &["src/reports", "src/plan.rs"],
        &[
            "crate::engine",
            "crate::chat",
            "crate::http",
            "crate::app",
            "crate::cli",
        ],
    ),
    (
        &["src/engine"],
        &["crate::chat", "crate::http", "crate::app", "crate::cli"],
    ),
];

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// `name` as a path or crate in `code`: `sqlx::`, `use sqlx`, `crate::store::` or
/// `crate::store;`, not inside a longer name (`tokio_util` is not `tokio`).
fn names(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + name.len()..].chars().next();
        let starts = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'));
        let ends = after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        starts && ends
    })
}

#[test]
fn each_layer_names_nothing_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (dirs, forbidden) in RULES {
        let mut files = Vec::new();
        for dir in *dirs {
            rust_files(&root.join(dir), &mut files);
        }
        assert!(!files.is_empty(), "no files under {dirs:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Comments may talk about other layers; code may not name them.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for name in *forbidden {
                if names(&code, name) {
                    let file = file.strip_prefix(root).unwrap().display().to_string();
                    broken.push(format!("{file} names {name}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn a_name_is_found_only_as_a_whole_path() {
    assert!(names("use sqlx::Row;", "sqlx"));
    assert!(names("let x = crate::store::ts(now);", "crate::store"));
    assert!(names("use crate::store;", "crate::store"));
    assert!(!names("use tokio_util::sync;", "tokio"));
    assert!(!names("use crate::storehouse;", "crate::store"));
    assert!(!names("let my_sqlx = 1;", "sqlx"));
    assert!(!names("use baton::chat::x;", "crate::chat"));
}
