//! Which company a lead belongs to, by domain: the lead's `company_domain` when given,
//! else its email's domain. Free-mail and disposable domains (a built-in list plus
//! `[routing] ignore_domains`) belong to no company. A subdomain belongs to its parent
//! (`eu.acme.com` → `acme.com`): [`lookups`] lists the names to look up, most specific
//! first, and the first one found wins.
//!
//! Pure: the caller looks the names up in `accounts` (or in the memory of accepted
//! handoffs) and hands routing the [`AccountFact`] it found.

/// Domains of mail providers anyone can sign up to. `name.*` stands for every top-level
/// domain after `name.` (`yahoo.com`, `yahoo.co.uk`, `yahoo.com.br`).
pub const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.*",
    "hotmail.*",
    "live.*",
    "msn.com",
    "yahoo.*",
    "ymail.com",
    "rocketmail.com",
    "aol.*",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.*",
    "pm.me",
    "tutanota.*",
    "tuta.io",
    "zoho.com",
    "zohomail.com",
    "yandex.*",
    "mail.ru",
    "inbox.ru",
    "bk.ru",
    "list.ru",
    "rambler.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "aliyun.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "gmx.*",
    "web.de",
    "t-online.de",
    "freenet.de",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "libero.it",
    "virgilio.it",
    "tiscali.it",
    "alice.it",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "ig.com.br",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "interia.pl",
    "rediffmail.com",
    "fastmail.*",
    "hey.com",
    "mail.com",
    "email.com",
    "hushmail.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "btinternet.com",
    "sky.com",
    "mailinator.com",
    "guerrillamail.*",
    "10minutemail.*",
    "tempmail.*",
    "temp-mail.org",
    "yopmail.*",
    "trashmail.*",
    "sharklasers.com",
    "maildrop.cc",
    "dispostable.com",
    "getnada.com",
];

/// True when `pattern` (`gmail.com` or `yahoo.*`) names `domain` or a domain it is under,
/// ignoring ASCII case. It allocates nothing: routing asks it for every MQL and every
/// pattern of the free-mail list.
fn pattern_covers(pattern: &str, domain: &str) -> bool {
    let pattern = pattern.trim().trim_start_matches('@').as_bytes();
    let domain = domain.as_bytes();
    if let Some(name) = pattern.strip_suffix(b".*") {
        // `yahoo.*`: `yahoo.com`, `mail.yahoo.co.uk`, but not `yahoo` or `notyahoo.com`.
        let mut labels = domain.split(|b| *b == b'.').peekable();
        while let Some(label) = labels.next() {
            if labels.peek().is_some() && label.eq_ignore_ascii_case(name) {
                return true;
            }
        }
        return false;
    }
    if domain.eq_ignore_ascii_case(pattern) {
        return true;
    }
    // A subdomain: `eu.gmail.com` under `gmail.com`.
    domain.len() > pattern.len()
        && domain[domain.len() - pattern.len() - 1] == b'.'
        && domain[domain.len() - pattern.len()..].eq_ignore_ascii_case(pattern)
}

/// True when the domain belongs to a free-mail provider or to `ignore` (`[routing]
/// ignore_domains`, same patterns as [`FREE_MAIL`]).
pub fn is_ignored(domain: &str, ignore: &[String]) -> bool {
    FREE_MAIL.iter().any(|p| pattern_covers(p, domain))
        || ignore.iter().any(|p| pattern_covers(p, domain))
}

/// A domain as written (`ACME.com.`, `https://www.acme.com/`, `ana@acme.com`), cleaned
/// to `acme.com`; `None` when nothing like a domain is left.
pub fn normalize(text: &str) -> Option<String> {
    let mut d = text.trim().to_ascii_lowercase();
    if let Some(at) = d.rfind('@') {
        d = d[at + 1..].to_string();
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = d.strip_prefix(scheme) {
            d = rest.to_string();
        }
    }
    if let Some(slash) = d.find('/') {
        d.truncate(slash);
    }
    let d = d.trim_end_matches('.');
    let d = d.strip_prefix("www.").unwrap_or(d);
    let valid = d.contains('.')
        && !d.starts_with('.')
        && !d.contains("..")
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || !c.is_ascii());
    valid.then(|| d.to_string())
}

/// The company domain of a lead: its `company_domain` when it is a usable domain, else its
/// email's; `None` for free-mail and ignored domains, and for leads with neither.
pub fn lead_domain(
    company_domain: Option<&str>,
    email: Option<&str>,
    ignore: &[String],
) -> Option<String> {
    let from_company = company_domain.and_then(normalize);
    let from_email = email.filter(|e| e.contains('@')).and_then(normalize);
    from_company
        .into_iter()
        .chain(from_email)
        .find(|d| !is_ignored(d, ignore))
}

/// The names to look a domain up under, most specific first: `eu.acme.com`, `acme.com`.
/// A bare top-level domain is never one.
pub fn lookups(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    (0..labels.len().saturating_sub(1))
        .map(|i| labels[i..].join("."))
        .collect()
}

/// Second-level labels under which a country's companies register (`acme.co.uk`,
/// `acme.com.br`): under a two-letter top-level domain, `co.uk` is no company.
const GENERIC_SECOND_LEVEL: &[&str] = &[
    "ac", "co", "com", "edu", "gob", "gov", "ltd", "ne", "net", "nic", "or", "org", "plc",
];

/// The company a domain belongs to, the last of its [`lookups`] that is not a public
/// suffix: `eu.acme.com` → `acme.com`, `sales.acme.co.uk` → `acme.co.uk`. The memory of
/// accepted handoffs is kept under it, so every subdomain of a company shares it.
pub fn root(domain: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    let keep =
        if n >= 3 && labels[n - 1].len() == 2 && GENERIC_SECOND_LEVEL.contains(&labels[n - 2]) {
            3
        } else {
            2
        };
    labels[n.saturating_sub(keep)..].join(".")
}

/// Where an account's owner was learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerSource {
    /// A row of `accounts` (its name, when set).
    Account { name: Option<String> },
    /// The domain's most recent accepted handoff within `[routing] account_memory`.
    Memory { handoff: i64, accepted_at: String },
}

/// The company a lead matched and who owns it, as loaded for routing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFact {
    /// The domain that matched (`acme.com`, also for a lead from `eu.acme.com`).
    pub domain: String,
    /// The owner as stored (an `accounts.owner_email`, or an accepted handoff's assignee);
    /// `None` when the account has no owner.
    pub owner_email: Option<String>,
    pub source: OwnerSource,
}

/// A row of `accounts` as routing reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub name: Option<String>,
    /// Lower-cased and trimmed.
    pub owner_email: Option<String>,
}

/// An accepted handoff whose routing decision was kept under `domain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub domain: String,
    pub handoff: i64,
    pub assignee: String,
    /// As stored (`decided_at`): text that sorts as time does.
    pub accepted_at: String,
}

/// The names under which accepted handoffs are remembered for a lead whose domain has
/// `lookups`: the lookups themselves and the company's [`root`]. Decisions are kept under
/// the root (`acme.com` for `eu.acme.com`), so a lead from any subdomain finds one from
/// any other; decisions stored before that hold the exact domain, which the lookups find.
pub fn memory_names(lookups: &[String]) -> Vec<String> {
    let mut names = lookups.to_vec();
    if let Some(most_specific) = lookups.first() {
        let root = root(most_specific);
        if !names.contains(&root) {
            names.push(root);
        }
    }
    names
}

/// The owner of the first of `lookups` (most specific first) that `accounts` has, through
/// `account` (which compares domains as `accounts.domain` does, ignoring ASCII case).
pub fn from_accounts(
    lookups: &[String],
    account: impl Fn(&str) -> Option<AccountRow>,
) -> Option<AccountFact> {
    lookups.iter().find_map(|domain| {
        account(domain).map(|row| AccountFact {
            domain: domain.clone(),
            owner_email: row.owner_email,
            source: OwnerSource::Account { name: row.name },
        })
    })
}

/// The assignee of the most recent of `remembered` (accepted handoffs, already within the
/// memory) kept under one of [`memory_names`]`(lookups)`: the domain's owner when no
/// account row names one.
pub fn from_memory(lookups: &[String], remembered: &[Remembered]) -> Option<AccountFact> {
    let most_specific = lookups.first()?;
    let names = memory_names(lookups);
    remembered
        .iter()
        .filter(|r| names.contains(&r.domain))
        .max_by(|a, b| (&a.accepted_at, a.handoff).cmp(&(&b.accepted_at, b.handoff)))
        .map(|r| AccountFact {
            domain: root(most_specific),
            owner_email: Some(r.assignee.clone()),
            source: OwnerSource::Memory {
                handoff: r.handoff,
                accepted_at: r.accepted_at.clone(),
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_mail_and_ignored_domains_belong_to_no_company() {
        let ignore = vec!["partner-agency.com".to_string(), "reseller.*".to_string()];
        // (company_domain, email, expected)
        let cases: [(Option<&str>, Option<&str>, Option<&str>); 14] = [
            (None, Some("ana@eu.acme.com"), Some("eu.acme.com")),
            (None, Some("Ana@ACME.com"), Some("acme.com")),
            (None, Some("bob@gmail.com"), None),
            (None, Some("bob@yahoo.co.uk"), None),
            (None, Some("bob@yahoo.com.br"), None),
            (None, Some("bob@hotmail.fr"), None),
            (None, Some("bob@uol.com.br"), None),
            (None, Some("bob@gmx.de"), None),
            (None, Some("bob@notyahoo.com"), Some("notyahoo.com")),
            (None, Some("sam@partner-agency.com"), None),
            (None, Some("sam@eu.reseller.io"), None),
            (
                Some("https://www.Acme.com/"),
                Some("ana@gmail.com"),
                Some("acme.com"),
            ),
            (Some("gmail.com"), Some("ana@acme.com"), Some("acme.com")),
            (Some("not a domain"), Some("no-at-sign"), None),
        ];
        for (company, email, want) in cases {
            assert_eq!(
                lead_domain(company, email, &ignore).as_deref(),
                want,
                "{company:?} {email:?}"
            );
        }
    }

    #[test]
    fn a_pattern_covers_its_domain_and_the_domains_under_it() {
        // (pattern, domain, covered)
        let cases = [
            ("gmail.com", "gmail.com", true),
            ("gmail.com", "eu.gmail.com", true),
            ("gmail.com", "notgmail.com", false),
            ("gmail.com", "gmail.com.br", false),
            ("GMail.com", "gmail.com", true),
            ("@partner.com", "partner.com", true),
            (" partner.com ", "x.partner.com", true),
            ("yahoo.*", "yahoo.com", true),
            ("yahoo.*", "mail.yahoo.co.uk", true),
            ("yahoo.*", "yahoo", false),
            ("yahoo.*", "notyahoo.com", false),
            ("yahoo.*", "com.yahoo", false),
            ("gmail.com", "ação.gmail.com", true),
            ("gmail.com", "çgmail.com", false),
        ];
        for (pattern, domain, want) in cases {
            assert_eq!(pattern_covers(pattern, domain), want, "{pattern} {domain}");
        }
    }

    #[test]
    fn subdomains_share_their_company_root() {
        let cases = [
            ("eu.acme.com", "acme.com"),
            ("acme.com", "acme.com"),
            ("a.b.acme.com", "acme.com"),
            ("sales.acme.co.uk", "acme.co.uk"),
            ("acme.co.uk", "acme.co.uk"),
            ("loja.acme.com.br", "acme.com.br"),
            ("eu.acme.io", "acme.io"),
            ("co.uk", "co.uk"),
            ("com", "com"),
        ];
        for (domain, want) in cases {
            assert_eq!(root(domain), want, "{domain}");
        }
    }

    #[test]
    fn a_subdomain_is_looked_up_under_its_parents() {
        assert_eq!(lookups("eu.acme.com"), ["eu.acme.com", "acme.com"]);
        assert_eq!(lookups("acme.com"), ["acme.com"]);
        assert_eq!(lookups("com"), Vec::<String>::new());
        assert_eq!(
            lookups("a.b.acme.co.uk"),
            ["a.b.acme.co.uk", "b.acme.co.uk", "acme.co.uk", "co.uk"]
        );
    }

    fn remembered(domain: &str, handoff: i64, assignee: &str, at: &str) -> Remembered {
        Remembered {
            domain: domain.into(),
            handoff,
            assignee: assignee.into(),
            accepted_at: at.into(),
        }
    }

    #[test]
    fn the_most_specific_account_wins_and_memory_counts_only_without_one() {
        let l = lookups("eu.acme.com");
        let row = |owner: &str| AccountRow {
            name: Some("Acme".into()),
            owner_email: Some(owner.into()),
        };
        let both = |d: &str| match d {
            "eu.acme.com" => Some(row("eu@x.test")),
            "acme.com" => Some(row("hq@x.test")),
            _ => None,
        };
        let found = from_accounts(&l, both).unwrap();
        assert_eq!(
            (found.domain.as_str(), found.owner_email.as_deref()),
            ("eu.acme.com", Some("eu@x.test"))
        );
        let parent_only = |d: &str| (d == "acme.com").then(|| row("hq@x.test"));
        assert_eq!(
            from_accounts(&l, parent_only)
                .unwrap()
                .owner_email
                .as_deref(),
            Some("hq@x.test")
        );
        assert_eq!(from_accounts(&l, |_| None), None);
    }

    #[test]
    fn memory_takes_the_latest_accept_under_any_name_of_the_company() {
        let l = lookups("eu.acme.com");
        assert_eq!(memory_names(&l), ["eu.acme.com", "acme.com"]);
        let deep = lookups("a.b.acme.co.uk");
        assert!(deep.contains(&"acme.co.uk".to_string()));
        assert_eq!(memory_names(&deep), deep);
        let kept = [
            remembered("acme.com", 7, "ann@x.test", "2026-11-01T10:00:00.000Z"),
            remembered("eu.acme.com", 9, "bob@x.test", "2026-11-02T10:00:00.000Z"),
            // Later, but another company's.
            remembered("globex.com", 11, "cid@x.test", "2026-11-03T10:00:00.000Z"),
            // Same moment as Bob's: the higher handoff wins, as `ORDER BY … id DESC` does.
            remembered("acme.com", 10, "dee@x.test", "2026-11-02T10:00:00.000Z"),
        ];
        let fact = from_memory(&l, &kept).unwrap();
        assert_eq!(fact.domain, "acme.com");
        assert_eq!(fact.owner_email.as_deref(), Some("dee@x.test"));
        assert_eq!(
            fact.source,
            OwnerSource::Memory {
                handoff: 10,
                accepted_at: "2026-11-02T10:00:00.000Z".into()
            }
        );
        assert_eq!(from_memory(&lookups("initech.com"), &kept), None);
        assert_eq!(from_memory(&[], &kept), None);
    }
}
