//! `[[route]]` and `[routing]`: every route and the fallback name a declared team, and the
//! domains that belong to no company look like domains.

use std::collections::HashSet;

use super::Problems;
use crate::config::{RoutingSettings, Settings};
use crate::domain::directory::Route;

/// `[[route]]`: each route's team is a `[[team]]`.
pub fn routes(settings: &Settings, problems: &mut Problems) -> Vec<Route> {
    let team_names: HashSet<&str> = settings.teams.iter().map(|t| t.name.as_str()).collect();
    let mut routes = Vec::new();
    for (i, r) in settings.routes.iter().enumerate() {
        if !team_names.contains(r.team.as_str()) {
            problems.push(format!(
                "route[{i}]: team \"{}\" is not a [[team]]: add it or fix the name",
                r.team
            ));
        }
        routes.push(Route {
            when: r.when.clone(),
            team: r.team.clone(),
        });
    }
    routes
}

/// `[routing]`: the fallback team is a `[[team]]` of `settings`, and `ignore_domains`
/// are domains (`partner.com`) or a name with any top-level domain (`name.*`).
pub fn routing(settings: &Settings, problems: &mut Problems) {
    let routing: &RoutingSettings = &settings.routing;
    if let Some(team) = &routing.fallback_team
        && !settings.teams.iter().any(|t| t.name == *team)
    {
        problems.push(format!(
            "routing.fallback_team: \"{team}\" is not a [[team]]: add it or fix the name"
        ));
    }
    for (i, domain) in routing.ignore_domains.iter().enumerate() {
        let pattern = domain.strip_suffix(".*").unwrap_or(domain);
        if pattern.trim().is_empty() || pattern.contains(['@', '/', ' ']) {
            problems.push(format!(
                "routing.ignore_domains[{i}]: \"{domain}\" is not a domain: write one like \"partner.com\", or \"name.*\" for every top-level domain"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;

    const TEAM: &str = "[[team]]\nname = \"emea\"\nmanager = \"mia@x.io\"\n";

    #[test]
    fn routes_name_declared_teams() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (&format!("{TEAM}[[route]]\nteam = \"emea\"\n"), &[]),
            (
                &format!("{TEAM}[[route]]\nteam = \"emea\"\n[[route]]\nteam = \"apac\"\n"),
                &["route[1]: team \"apac\" is not a [[team]]: add it or fix the name"],
            ),
        ];
        expect_problems(rows, routes);
        let (got, _) = run(
            &format!("{TEAM}[[route]]\nteam = \"emea\"\nwhen = {{ country = \"DE\" }}\n"),
            routes,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].team, "emea");
    }

    #[test]
    fn routing_names_a_fallback_team_and_domains() {
        let rows: &[(&str, &[&str])] = &[
            (
                "[routing]\nignore_domains = [\"partner.com\", \"gmx.*\"]\n",
                &[],
            ),
            (&format!("{TEAM}[routing]\nfallback_team = \"emea\"\n"), &[]),
            (
                "[routing]\nfallback_team = \"emea\"\n",
                &["routing.fallback_team: \"emea\" is not a [[team]]: add it or fix the name"],
            ),
            (
                "[routing]\nignore_domains = [\"ok.com\", \"a@b.com\", \".*\", \"x/y\"]\n",
                &[
                    "routing.ignore_domains[1]: \"a@b.com\" is not a domain: write one like \"partner.com\", or \"name.*\" for every top-level domain",
                    "routing.ignore_domains[2]: \".*\" is not a domain: write one like \"partner.com\", or \"name.*\" for every top-level domain",
                    "routing.ignore_domains[3]: \"x/y\" is not a domain: write one like \"partner.com\", or \"name.*\" for every top-level domain",
                ],
            ),
        ];
        expect_problems(rows, routing);
    }
}
