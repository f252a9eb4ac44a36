//! Environment overrides: `BATON__SECTION__KEY=value` replaces a key of the TOML table
//! before it is typed, so a deployment can change any setting without editing the file.
//! Secrets are not read here (see [`super::secret`]).

use std::collections::HashMap;

/// Applies `BATON__SECTION__KEY=value` overrides. Values are read as TOML (`100`, `true`,
/// `["a", "b"]`, `"text"`), and as plain text when they are not valid TOML. A number in
/// the path indexes an array: `BATON__PERSON__0__WEIGHT=2`.
pub fn apply_env_overrides(
    table: &mut toml::Table,
    env: &HashMap<String, String>,
) -> Result<(), String> {
    let mut keys: Vec<&String> = env.keys().filter(|k| k.starts_with("BATON__")).collect();
    keys.sort();
    for key in keys {
        let raw = &env[key];
        let path: Vec<String> = key["BATON__".len()..]
            .split("__")
            .map(str::to_lowercase)
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(format!(
                "environment variable {key}: write BATON__SECTION__KEY with double underscores between levels"
            ));
        }
        let value = format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.clone()));
        set_path(toml::Value::Table(std::mem::take(table)), &path, value, key).map(|v| {
            if let toml::Value::Table(t) = v {
                *table = t;
            }
        })?;
    }
    Ok(())
}

fn set_path(
    node: toml::Value,
    path: &[String],
    value: toml::Value,
    key: &str,
) -> Result<toml::Value, String> {
    let Some((head, rest)) = path.split_first() else {
        return Ok(value);
    };
    match node {
        toml::Value::Table(mut table) => {
            let child = table
                .remove(head)
                .unwrap_or_else(|| toml::Value::Table(toml::Table::new()));
            let child = if rest.is_empty() {
                value
            } else {
                set_path(child, rest, value, key)?
            };
            table.insert(head.clone(), child);
            Ok(toml::Value::Table(table))
        }
        toml::Value::Array(mut items) => {
            let index: usize = head
                .parse()
                .map_err(|_| format!("environment variable {key}: \"{head}\" should be an index into a list, e.g. BATON__PERSON__0__WEIGHT"))?;
            let Some(item) = items.get_mut(index) else {
                return Err(format!(
                    "environment variable {key}: there is no item {index} in that list"
                ));
            };
            *item = set_path(
                std::mem::replace(item, toml::Value::Boolean(false)),
                rest,
                value,
                key,
            )?;
            Ok(toml::Value::Array(items))
        }
        _ => Err(format!(
            "environment variable {key}: the part before \"{head}\" is not a section"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table `text` becomes under the overrides `env`, or the error.
    fn check(text: &str, env: &[(&str, &str)]) -> Result<toml::Table, String> {
        let mut table: toml::Table = text.parse().unwrap();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        apply_env_overrides(&mut table, &env).map(|()| table)
    }

    #[test]
    fn overrides_are_read_as_toml_or_text() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case] = &[
            (
                "",
                &[("BATON__WATCH__POLL_MS", "250")],
                "[watch]\npoll_ms = 250\n",
            ),
            (
                "",
                &[("BATON__SLACK__ENABLED", "true")],
                "[slack]\nenabled = true\n",
            ),
            (
                "",
                &[("BATON__SERVER__LISTEN", "0.0.0.0:9000")],
                "[server]\nlisten = \"0.0.0.0:9000\"\n",
            ),
            (
                "[[person]]\nemail = \"a@x.io\"\nweight = 1\n",
                &[("BATON__PERSON__0__WEIGHT", "3")],
                "[[person]]\nemail = \"a@x.io\"\nweight = 3\n",
            ),
            (
                "[digest]\ncron = \"0 0 9 * * Mon\"\n",
                &[("BATON__DIGEST__TO", "[\"#sales\"]"), ("OTHER", "x")],
                "[digest]\ncron = \"0 0 9 * * Mon\"\nto = [\"#sales\"]\n",
            ),
        ];
        for (text, env, want) in cases {
            let want: toml::Table = want.parse().unwrap();
            assert_eq!(check(text, env).as_ref(), Ok(&want), "{text} {env:?}");
        }
    }

    #[test]
    fn a_bad_override_names_the_variable() {
        let person = "[[person]]\nemail = \"a@x.io\"\n";
        let cases: &[(&str, (&str, &str), &str)] = &[
            (
                "",
                ("BATON__WATCH____POLL_MS", "1"),
                "environment variable BATON__WATCH____POLL_MS: write BATON__SECTION__KEY with double underscores between levels",
            ),
            (
                person,
                ("BATON__PERSON__FIRST__WEIGHT", "2"),
                "environment variable BATON__PERSON__FIRST__WEIGHT: \"first\" should be an index into a list, e.g. BATON__PERSON__0__WEIGHT",
            ),
            (
                person,
                ("BATON__PERSON__3__WEIGHT", "2"),
                "environment variable BATON__PERSON__3__WEIGHT: there is no item 3 in that list",
            ),
            (
                "[watch]\npoll_ms = 100\n",
                ("BATON__WATCH__POLL_MS__X", "2"),
                "environment variable BATON__WATCH__POLL_MS__X: the part before \"x\" is not a section",
            ),
        ];
        for (text, var, want) in cases {
            assert_eq!(check(text, &[*var]), Err(want.to_string()), "{var:?}");
        }
    }
}
