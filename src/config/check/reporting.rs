//! `[reporting]` and `[digest]`: the time zone and language reports are written in, and
//! the timed jobs' schedules, parsed once here so the scheduler and `baton check-config`
//! use them as they are.

use chrono_tz::Tz;

use super::{Problems, locale};
use crate::config::{DigestSettings, ReportingSettings};
use crate::domain::directory::Person;
use crate::domain::schedule::Schedule;
use crate::i18n::Locale;

/// `[reporting]` typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reporting {
    pub tz: Tz,
    /// The language of whoever sets none (default `en`).
    pub locale: Locale,
}

/// `[digest]`'s schedules.
#[derive(Debug, Clone)]
pub struct Digests {
    /// `cron` in the digest's time zone.
    pub weekly: Schedule,
    /// `rep_daily_cron`, when set, in the digest's time zone; each rep's job moves it to
    /// the zone of their calendar.
    pub rep_daily: Option<Schedule>,
}

/// `[reporting]`: an IANA time zone (UTC stands in for a bad one, so the digest's checks
/// still run) and an offered locale.
pub fn reporting(settings: &ReportingSettings, problems: &mut Problems) -> Reporting {
    let tz = settings.timezone.parse::<Tz>().unwrap_or_else(|_| {
        problems.push(format!(
            "reporting.timezone: \"{}\" is not an IANA time zone: use a name such as \"Europe/Berlin\" or \"UTC\"",
            settings.timezone
        ));
        chrono_tz::UTC
    });
    let locale = locale(problems, "reporting", &settings.locale).unwrap_or_default();
    Reporting { tz, locale }
}

/// `[digest]`: its time zone (default `reporting_tz`), both schedules, and recipients
/// that are emails of `people` or channels. `None` when the weekly schedule is bad.
pub fn digest(
    settings: &DigestSettings,
    reporting_tz: Tz,
    people: &[Person],
    problems: &mut Problems,
) -> Option<Digests> {
    let tz = match &settings.timezone {
        Some(tz) => tz.parse::<Tz>().unwrap_or_else(|_| {
            problems.push(format!(
                "digest.timezone: \"{tz}\" is not an IANA time zone: use a name such as \"Europe/Berlin\""
            ));
            reporting_tz
        }),
        None => reporting_tz,
    };
    let weekly = Schedule::parse(&settings.cron, tz)
        .map_err(|e| problems.push(format!("digest.cron: {e}")))
        .ok();
    let rep_daily = match &settings.rep_daily_cron {
        Some(expr) => Schedule::parse(expr, tz)
            .map_err(|e| problems.push(format!("digest.rep_daily_cron: {e}")))
            .ok(),
        None => None,
    };
    for to in &settings.to {
        if to.contains('@') && !people.iter().any(|p| p.email.eq_ignore_ascii_case(to)) {
            problems.push(format!(
                "digest.to: \"{to}\" is not a [[person]]: add them, or write a channel such as \"#sales-leads\""
            ));
        }
    }
    Some(Digests {
        weekly: weekly?,
        rep_daily,
    })
}

#[cfg(test)]
mod tests {
    use super::super::table::{expect_problems, run};
    use super::*;

    #[test]
    fn reporting_has_a_zone_and_a_locale() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "[reporting]\ntimezone = \"America/Sao_Paulo\"\nlocale = \"pt-BR\"\n",
                &[],
            ),
            (
                "[reporting]\ntimezone = \"Berlin\"\n",
                &[
                    "reporting.timezone: \"Berlin\" is not an IANA time zone: use a name such as \"Europe/Berlin\" or \"UTC\"",
                ],
            ),
            (
                "[reporting]\nlocale = \"de\"\n",
                &["reporting: locale \"de\" is not offered: use one of en, pt-BR, es, it"],
            ),
        ];
        expect_problems(rows, |s, p| reporting(&s.reporting, p));
        let (got, _) = run(
            "[reporting]\ntimezone = \"America/Sao_Paulo\"\nlocale = \"pt-BR\"\n",
            |s, p| reporting(&s.reporting, p),
        );
        assert_eq!(
            got,
            Reporting {
                tz: chrono_tz::America::Sao_Paulo,
                locale: Locale::PtBr
            }
        );
        let (got, _) = run("", |s, p| reporting(&s.reporting, p));
        assert_eq!(
            got,
            Reporting {
                tz: chrono_tz::UTC,
                locale: Locale::En
            }
        );
    }

    fn check_digest(text: &str) -> (Option<Digests>, Problems) {
        run(text, |s, p| {
            let people = super::super::people::people(s, &mut Problems::new());
            digest(&s.digest, chrono_tz::Europe::Lisbon, &people, p)
        })
    }

    #[test]
    fn digest_schedules_and_recipients() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            (
                "[digest]\nto = [\"#sales\", \"Ana@x.io\"]\n[[person]]\nemail = \"ana@x.io\"\nrole = \"admin\"\n",
                &[],
            ),
            (
                "[digest]\ntimezone = \"Moon/Base\"\n",
                &[
                    "digest.timezone: \"Moon/Base\" is not an IANA time zone: use a name such as \"Europe/Berlin\"",
                ],
            ),
            (
                "[digest]\ncron = \"0 0 9 * * 1\"\n",
                &[
                    "digest.cron: \"0 0 9 * * 1\" is not a schedule: write days of the week as names (Mon, Tue, ..., Sun, or Mon-Fri): in this cron 1 means Sunday, which is easy to misread",
                ],
            ),
            (
                "[digest]\nrep_daily_cron = \"0 30 8 * *\"\n",
                &[
                    "digest.rep_daily_cron: \"0 30 8 * *\" is not a schedule: write 6 fields, seconds first: SEC MIN HOUR DAY-OF-MONTH MONTH DAY-OF-WEEK, e.g. \"0 0 9 * * Mon\" (every Monday at 09:00); it has 5",
                ],
            ),
            (
                "[digest]\nto = [\"bob@x.io\"]\n",
                &[
                    "digest.to: \"bob@x.io\" is not a [[person]]: add them, or write a channel such as \"#sales-leads\"",
                ],
            ),
        ];
        for (text, want) in rows {
            let (_, got) = check_digest(text);
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn digest_schedules_are_kept_parsed() {
        let (got, _) = check_digest("");
        let got = got.unwrap();
        assert_eq!(got.weekly.expr(), "0 0 9 * * Mon");
        assert_eq!(got.weekly.tz(), chrono_tz::Europe::Lisbon);
        assert!(got.rep_daily.is_none());
        let (got, _) = check_digest(
            "[digest]\ncron = \"0 0 8 * * Fri\"\ntimezone = \"Asia/Tokyo\"\nrep_daily_cron = \"0 30 8 * * Mon-Fri\"\n",
        );
        let got = got.unwrap();
        assert_eq!(got.weekly.describe(), "every Friday at 08:00 (Asia/Tokyo)");
        let daily = got.rep_daily.unwrap();
        assert_eq!(
            (daily.expr(), daily.tz()),
            ("0 30 8 * * Mon-Fri", chrono_tz::Asia::Tokyo)
        );
        let (got, problems) = check_digest("[digest]\ncron = \"never\"\n");
        assert!(got.is_none());
        assert_eq!(problems.len(), 1);
    }
}
