//! Messages in the reader's language: English, Brazilian Portuguese, Spanish and Italian.
//!
//! The texts are Project Fluent files under `locales/<locale>/baton.ftl`, compiled into
//! the binary; plurals follow CLDR (through `fluent-bundle`). Dates, times and numbers
//! are formatted by ICU4X with its compiled CLDR data, so no month or weekday name is
//! written here. [`tr`] looks a message up by id; a message missing in a locale falls
//! back to English (a test keeps every locale complete, so that is a safety net only).
//!
//! Pure: no I/O, no clock (`now` is a parameter). Command words, option names and reason
//! codes are not translated anywhere: scripts and muscle memory rely on them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{MDE, YMDE};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_time::Time;

/// A language Baton writes in. `en` unless the config says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Locale {
    #[default]
    En,
    PtBr,
    Es,
    It,
}

impl Locale {
    /// Every locale, in the order the docs list them.
    pub const ALL: [Locale; 4] = [Locale::En, Locale::PtBr, Locale::Es, Locale::It];

    /// The code as written in the config: `en`, `pt-BR`, `es`, `it`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::PtBr => "pt-BR",
            Locale::Es => "es",
            Locale::It => "it",
        }
    }

    /// The allowed values, for error messages: "en, pt-BR, es, it".
    pub fn allowed() -> String {
        Locale::ALL.map(Locale::as_str).join(", ")
    }

    /// True for English, the default (messages leave it out of their stored form).
    pub fn is_en(&self) -> bool {
        *self == Locale::En
    }

    fn index(self) -> usize {
        match self {
            Locale::En => 0,
            Locale::PtBr => 1,
            Locale::Es => 2,
            Locale::It => 3,
        }
    }

    /// The locale's Fluent files: `baton.ftl`, and `reports.ftl` for `/funnel`, `/sla`,
    /// the plan, the digest and the charts.
    fn sources(self) -> [&'static str; 2] {
        match self {
            Locale::En => [
                include_str!("../locales/en/baton.ftl"),
                include_str!("../locales/en/reports.ftl"),
            ],
            Locale::PtBr => [
                include_str!("../locales/pt-BR/baton.ftl"),
                include_str!("../locales/pt-BR/reports.ftl"),
            ],
            Locale::Es => [
                include_str!("../locales/es/baton.ftl"),
                include_str!("../locales/es/reports.ftl"),
            ],
            Locale::It => [
                include_str!("../locales/it/baton.ftl"),
                include_str!("../locales/it/reports.ftl"),
            ],
        }
    }

    fn icu(self) -> icu_locale_core::Locale {
        match self {
            Locale::En => icu_locale_core::locale!("en"),
            Locale::PtBr => icu_locale_core::locale!("pt-BR"),
            Locale::Es => icu_locale_core::locale!("es"),
            Locale::It => icu_locale_core::locale!("it"),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Locale {
    type Err = anyhow::Error;

    /// Case does not matter (`pt-br` is `pt-BR`); anything else is an error naming the
    /// allowed values.
    fn from_str(s: &str) -> anyhow::Result<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                anyhow::anyhow!("unknown locale \"{s}\" (allowed: {})", Locale::allowed())
            })
    }
}

impl serde::Serialize for Locale {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Locale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Locale, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One argument of a message: text or a number (numbers choose plural forms).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(&'a str),
    Owned(String),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Arg<'a> {
        Arg::Text(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Arg<'a> {
        Arg::Text(s)
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Owned(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Locale::ALL
        .into_iter()
        .map(|locale| {
            let lang: unic_langid::LanguageIdentifier = locale
                .as_str()
                .parse()
                .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // Chat shows plain text: no Unicode isolation marks around arguments.
            bundle.set_use_isolating(false);
            for source in locale.sources() {
                // The files are part of the binary and checked by the tests; a syntax
                // error in one loses only the broken entries (Fluent skips them), never
                // the rest. Duplicate ids are caught by the tests; the first one stays.
                let resource = FluentResource::try_new(source.to_string())
                    .unwrap_or_else(|(partial, _errors)| partial);
                let _ = bundle.add_resource(resource);
            }
            bundle
        })
        .collect()
});

/// The message `id` in `locale` with `args`, e.g.
/// `tr(Locale::PtBr, "alert-title", &[("lead", "Jane (Acme)".into())])`.
/// Falls back to English, then to the id itself.
pub fn tr(locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, arg) in args {
        let value = match arg {
            Arg::Text(s) => FluentValue::from(*s),
            Arg::Owned(s) => FluentValue::from(s.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    for locale in [locale, Locale::En] {
        let bundle = &BUNDLES[locale.index()];
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return text.into_owned();
        }
    }
    id.to_string()
}

/// A message not yet written in a language: its id and arguments, rendered in the
/// reader's locale by [`Text::render`] (pure code that does not know the reader, such as
/// the command grammar, the permission checks and routing, returns one). `Display` writes
/// English. Its serde form (`{"id", "args"}`) is what [`Text::to_stored`] keeps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Text {
    id: Cow<'static, str>,
    #[serde(default)]
    args: Vec<(Cow<'static, str>, TextArg)>,
    /// Text from elsewhere, shown as it is in every language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
}

/// One argument of a [`Text`], owned.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum TextArg {
    Text(String),
    Number(i64),
    /// A time, written in the reader's zone and language.
    Time(DateTime<Utc>),
    /// A length of time in seconds, written as the language writes durations.
    Span(i64),
    /// Another message (a reason, a clock's name), in the same language.
    Message(String),
    /// A calendar day ("until Fri 20 Nov 2026"), as the language writes days.
    Day(chrono::NaiveDate),
    /// Another message with its own arguments, in the same language.
    Nested(Box<Text>),
    /// Several messages, in the same language, joined by "; ".
    List(Vec<Text>),
}

/// What separates the English text of a stored [`Text`] from its structured form.
const STORED_SEPARATOR: char = '\u{1f}';

impl Text {
    /// The message `id`, without arguments so far.
    pub fn new(id: &'static str) -> Text {
        Text {
            id: Cow::Borrowed(id),
            args: Vec::new(),
            raw: None,
        }
    }

    /// Text that is the same in every language (a value, or text from elsewhere).
    pub fn raw(text: impl Into<String>) -> Text {
        Text {
            id: Cow::Borrowed(""),
            args: Vec::new(),
            raw: Some(text.into()),
        }
    }

    fn push(mut self, name: &'static str, value: TextArg) -> Text {
        self.args.push((Cow::Borrowed(name), value));
        self
    }

    /// Adds a text argument.
    pub fn arg(self, name: &'static str, value: impl Into<String>) -> Text {
        self.push(name, TextArg::Text(value.into()))
    }

    /// Adds a number argument (numbers choose plural forms).
    pub fn num(self, name: &'static str, value: i64) -> Text {
        self.push(name, TextArg::Number(value))
    }

    /// Adds a time, written in the reader's zone ([`Text::render_in`]).
    pub fn time(self, name: &'static str, at: DateTime<Utc>) -> Text {
        self.push(name, TextArg::Time(at))
    }

    /// Adds a length of time ("2 horas").
    pub fn span(self, name: &'static str, d: chrono::Duration) -> Text {
        self.push(name, TextArg::Span(d.num_seconds()))
    }

    /// Adds another message by id, rendered in the same language (a clock's name).
    pub fn message(self, name: &'static str, id: &'static str) -> Text {
        self.push(name, TextArg::Message(id.to_string()))
    }

    /// Adds a calendar day, written as the reader's language writes days.
    pub fn day(self, name: &'static str, date: chrono::NaiveDate) -> Text {
        self.push(name, TextArg::Day(date))
    }

    /// Adds another message with its arguments, rendered in the same language.
    pub fn nested(self, name: &'static str, text: Text) -> Text {
        self.push(name, TextArg::Nested(Box::new(text)))
    }

    /// Adds several messages, rendered in the same language and joined by "; ".
    pub fn list(self, name: &'static str, texts: Vec<Text>) -> Text {
        self.push(name, TextArg::List(texts))
    }

    /// The message id (empty for raw text).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text in `locale`, times in UTC.
    pub fn render(&self, locale: Locale) -> String {
        self.render_in(locale, Tz::UTC)
    }

    /// The text in `locale`, times in `tz`.
    pub fn render_in(&self, locale: Locale, tz: Tz) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let owned: Vec<(&str, String, Option<i64>)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let name = name.as_ref();
                match value {
                    TextArg::Text(s) => (name, s.clone(), None),
                    TextArg::Number(n) => (name, String::new(), Some(*n)),
                    TextArg::Time(at) => (name, local(locale, *at, tz), None),
                    TextArg::Span(secs) => {
                        (name, span(locale, chrono::Duration::seconds(*secs)), None)
                    }
                    TextArg::Message(id) => (name, t(locale, id), None),
                    TextArg::Day(date) => (name, day(locale, *date), None),
                    TextArg::Nested(text) => (name, text.render_in(locale, tz), None),
                    TextArg::List(texts) => (
                        name,
                        texts
                            .iter()
                            .map(|t| t.render_in(locale, tz))
                            .collect::<Vec<_>>()
                            .join("; "),
                        None,
                    ),
                }
            })
            .collect();
        let args: Vec<(&str, Arg<'_>)> = owned
            .iter()
            .map(|(name, text, number)| match number {
                Some(n) => (*name, Arg::Number(*n)),
                None => (*name, Arg::Text(text.as_str())),
            })
            .collect();
        tr(locale, &self.id, &args)
    }

    /// True when every message this text names is in the catalogue (a stored row of a
    /// newer or older Baton may name one that is not).
    fn known(&self) -> bool {
        if self.raw.is_some() {
            return true;
        }
        let bundle = &BUNDLES[Locale::En.index()];
        bundle.has_message(&self.id)
            && self.args.iter().all(|(_, value)| match value {
                TextArg::Message(id) => bundle.has_message(id),
                TextArg::Nested(text) => text.known(),
                TextArg::List(texts) => texts.iter().all(Text::known),
                _ => true,
            })
    }

    /// The form kept in the database: the English text (for logs, SQL and older readers),
    /// then the id and arguments, so a later reader writes it in their own language.
    pub fn to_stored(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        match serde_json::to_string(self) {
            Ok(json) => format!("{}{STORED_SEPARATOR}{json}", self),
            Err(_) => self.to_string(),
        }
    }

    /// A text kept by [`Text::to_stored`], read back; an older row (plain English, or
    /// naming a message this Baton does not know) comes back as raw text.
    pub fn from_stored(stored: &str) -> Text {
        let Some((english, json)) = stored.split_once(STORED_SEPARATOR) else {
            return Text::raw(stored);
        };
        match serde_json::from_str::<Text>(json) {
            Ok(text) if text.known() => text,
            _ => Text::raw(english),
        }
    }

    /// A stored text in `locale`, times in `tz`: one written by [`Text::to_stored`] in the
    /// reader's language; older rows (plain English) as they are.
    pub fn render_stored(stored: &str, locale: Locale, tz: Tz) -> String {
        Text::from_stored(stored).render_in(locale, tz)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
}

/// The message `id` without arguments.
pub fn t(locale: Locale, id: &str) -> String {
    tr(locale, id, &[])
}

type Formatter = FixedCalendarDateTimeFormatter<Gregorian, icu_datetime::fieldsets::MDET>;

thread_local! {
    /// ICU4X formatters are not `Sync`: each thread builds its own, once per locale.
    static DATE_TIMES: Vec<Option<Formatter>> = Locale::ALL
        .into_iter()
        .map(|locale| {
            FixedCalendarDateTimeFormatter::try_new(
                locale.icu().into(),
                MDE::medium().with_time_hm(),
            )
            .ok()
        })
        .collect();
}

/// A time as a person reads it in their zone and language: weekday, day, month and time
/// with the zone's abbreviation, "ter., 1 de dez., 18:11 -03" (pt-BR) from CLDR's data.
/// English keeps the 24-hour form Baton has always written, "Tue 01 Dec 22:11 CET".
pub fn local(locale: Locale, at: DateTime<Utc>, tz: Tz) -> String {
    let here = at.with_timezone(&tz);
    if locale == Locale::En {
        return here.format("%a %d %b %H:%M %Z").to_string();
    }
    let zone = here.format("%Z");
    let formatted = DATE_TIMES.with(|all| {
        let f = all[locale.index()].as_ref()?;
        let date = Date::try_new_gregorian(here.year(), here.month() as u8, here.day() as u8);
        let time = Time::try_new(here.hour() as u8, here.minute() as u8, 0, 0);
        match (date, time) {
            (Ok(date), Ok(time)) => Some(f.format(&icu_time::DateTime { date, time }).to_string()),
            _ => None,
        }
    });
    match formatted {
        Some(text) => format!("{text} {zone}"),
        None => here.format("%Y-%m-%d %H:%M %Z").to_string(),
    }
}

type DayFormatter = FixedCalendarDateTimeFormatter<Gregorian, YMDE>;

thread_local! {
    /// Weekday, day, month and year, once per locale and thread.
    static DAYS: Vec<Option<DayFormatter>> = Locale::ALL
        .into_iter()
        .map(|locale| FixedCalendarDateTimeFormatter::try_new(locale.icu().into(), YMDE::medium()).ok())
        .collect();
}

/// A calendar day as the locale writes it: "Mon 16 Nov 2026" (en, as Baton always wrote
/// it), "seg., 16 de nov. de 2026" (pt-BR) from CLDR's data.
pub fn day(locale: Locale, date: chrono::NaiveDate) -> String {
    if locale == Locale::En {
        return date.format("%a %-d %b %Y").to_string();
    }
    let formatted = DAYS.with(|all| {
        let f = all[locale.index()].as_ref()?;
        let date =
            Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8).ok()?;
        Some(f.format(&date).to_string())
    });
    formatted.unwrap_or_else(|| date.format("%Y-%m-%d").to_string())
}

thread_local! {
    /// One decimal formatter per locale and thread, like the date formatters.
    static DECIMALS: Vec<Option<DecimalFormatter>> = Locale::ALL
        .into_iter()
        .map(|locale| DecimalFormatter::try_new(locale.icu().into(), Default::default()).ok())
        .collect();
}

/// A decimal written in Rust's plain form ("1234", "4.5", "-3") as the locale writes it,
/// with CLDR's separators: "1,234" and "4.5" (en), "1.234" and "4,5" (pt-BR, it),
/// "1234" and "12.400" (es, which groups from five digits). The digits are kept as
/// given, so a figure rounds once, where it is computed, in every language alike.
pub fn decimal(locale: Locale, plain: &str) -> String {
    let Ok(value) = Decimal::try_from_str(plain) else {
        return plain.to_string();
    };
    DECIMALS.with(|all| match &all[locale.index()] {
        Some(f) => f.format(&value).to_string(),
        None => plain.to_string(),
    })
}

/// A whole number as the locale writes it: "12,400" (en), "12.400" (pt-BR, es, it).
pub fn number(locale: Locale, n: impl Into<i128>) -> String {
    decimal(locale, &n.into().to_string())
}

/// A share as a whole percentage, halves rounded away from zero: 0.625 is "63%" (en,
/// pt-BR, it) and "63 %" (es, with a no-break space, as CLDR writes it).
pub fn percent(locale: Locale, share: f64) -> String {
    let whole = (share * 100.0).round() as i64;
    tr(
        locale,
        "number-percent",
        &[("value", number(locale, whole).into())],
    )
}

/// A rate with what it is a rate of: "63% (n=40)"; "– (n=0)" without any.
pub fn rate(locale: Locale, rate: &crate::domain::report::Rate) -> String {
    match rate.rate {
        Some(share) => tr(
            locale,
            "number-rate",
            &[
                ("percent", percent(locale, share).into()),
                ("n", number(locale, rate.n).into()),
            ],
        ),
        None => tr(
            locale,
            "number-rate",
            &[("percent", "–".into()), ("n", "0".into())],
        ),
    }
}

/// A mean to one decimal with its count: "4.5 (n=2)" (en), "4,5 (n=2)" (pt-BR).
pub fn mean(locale: Locale, mean: &crate::domain::report::Mean) -> String {
    let value = match mean.mean {
        Some(m) => decimal(locale, &format!("{m:.1}")),
        None => "–".to_string(),
    };
    tr(
        locale,
        "number-rate",
        &[
            ("percent", value.into()),
            ("n", number(locale, mean.n).into()),
        ],
    )
}

/// A length of time, short: "19s", "1h 5m" (en); "19 s", "1 h 5 min", "2 horas" (pt-BR).
pub fn span(locale: Locale, d: chrono::Duration) -> String {
    let secs = d.num_seconds().abs();
    if secs < 60 {
        return tr(locale, "span-seconds", &[("s", secs.into())]);
    }
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (days, hours) {
        (0, 0) => tr(locale, "span-minutes", &[("m", minutes.into())]),
        (0, h) => tr(
            locale,
            "span-hours",
            &[("h", h.into()), ("m", minutes.into())],
        ),
        (d, h) => tr(locale, "span-days", &[("d", d.into()), ("h", h.into())]),
    }
}

/// "in 25m" / "5m ago"; "em 19 s" / "há 3 h" in pt-BR.
pub fn relative(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at >= now {
        tr(
            locale,
            "relative-future",
            &[("span", span(locale, at - now).into())],
        )
    } else {
        tr(
            locale,
            "relative-past",
            &[("span", span(locale, now - at).into())],
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;
    use fluent_syntax::parser::parse;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a test time")
    }

    #[test]
    fn locales_parse_and_display() {
        for locale in Locale::ALL {
            assert_eq!(locale.as_str().parse::<Locale>().ok(), Some(locale));
            assert_eq!(locale.to_string(), locale.as_str());
        }
        assert_eq!("pt-br".parse::<Locale>().ok(), Some(Locale::PtBr));
        let err = "fr".parse::<Locale>().expect_err("fr is not offered");
        assert_eq!(
            err.to_string(),
            "unknown locale \"fr\" (allowed: en, pt-BR, es, it)"
        );
        assert_eq!(Locale::default(), Locale::En);
    }

    /// Every variable a pattern uses, through selectors and variants.
    fn variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, out);
            }
        }
    }

    fn expression_vars(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(inline) => inline_vars(inline, out),
        }
    }

    fn inline_vars(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
            _ => {}
        }
    }

    /// id -> the variables it uses, for one locale's file (which must parse cleanly).
    fn catalogue(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
        let mut ids = BTreeMap::new();
        for source in locale.sources() {
            catalogue_of(locale, source, &mut ids);
        }
        ids
    }

    fn catalogue_of(locale: Locale, source: &str, ids: &mut BTreeMap<String, BTreeSet<String>>) {
        let resource = match parse(source) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{locale}: {errors:?}"),
        };
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    variables(value, &mut vars);
                }
                let previous = ids.insert(m.id.name.to_string(), vars);
                assert!(previous.is_none(), "{locale}: {} twice", m.id.name);
            }
        }
    }

    #[test]
    fn every_message_is_in_every_locale_with_the_same_variables() {
        let english = catalogue(Locale::En);
        assert!(english.len() > 20, "the English catalogue is loaded");
        for locale in Locale::ALL {
            let other = catalogue(locale);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{locale} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{locale} has ids English lacks: {extra:?}"
            );
            for (id, vars) in &english {
                assert_eq!(&other[id], vars, "{locale}: variables of {id}");
            }
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let leads = |l, n: i64| tr(l, "count-leads", &[("count", n.into())]);
        assert_eq!(leads(Locale::En, 1), "1 lead");
        assert_eq!(leads(Locale::En, 2), "2 leads");
        assert_eq!(leads(Locale::PtBr, 0), "0 lead");
        assert_eq!(leads(Locale::PtBr, 2), "2 leads");
        let hours = |l, h: i64| span(l, chrono::Duration::hours(h));
        assert_eq!(hours(Locale::PtBr, 1), "1 hora");
        assert_eq!(hours(Locale::PtBr, 2), "2 horas");
        assert_eq!(hours(Locale::Es, 1), "1 hora");
        assert_eq!(hours(Locale::Es, 2), "2 horas");
        assert_eq!(hours(Locale::It, 1), "1 ora");
        assert_eq!(hours(Locale::It, 2), "2 ore");
        assert_eq!(hours(Locale::En, 2), "2h 0m");
    }

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        assert_eq!(number(Locale::En, 12_400_u64), "12,400");
        assert_eq!(number(Locale::PtBr, 12_400_u64), "12.400");
        assert_eq!(number(Locale::Es, 12_400_u64), "12.400");
        assert_eq!(number(Locale::It, 12_400_u64), "12.400");
        // Spanish groups only from five digits (CLDR's minimum grouping digits).
        assert_eq!(number(Locale::Es, 1_234_u64), "1234");
        assert_eq!(number(Locale::PtBr, 1_234_u64), "1.234");
        assert_eq!(decimal(Locale::En, "4.5"), "4.5");
        assert_eq!(decimal(Locale::PtBr, "4.5"), "4,5");
        assert_eq!(decimal(Locale::It, "4.0"), "4,0");
        assert_eq!(decimal(Locale::Es, "-3"), "-3");
        assert_eq!(percent(Locale::En, 0.625), "63%");
        assert_eq!(percent(Locale::PtBr, 0.625), "63%");
        assert_eq!(percent(Locale::Es, 0.625), "63\u{a0}%");
        assert_eq!(percent(Locale::It, 0.625), "63%");
        let r = crate::domain::report::Rate::new(5, 8);
        assert_eq!(rate(Locale::En, &r), "63% (n=8)");
        assert_eq!(rate(Locale::Es, &r), "63\u{a0}% (n=8)");
        let none = crate::domain::report::Rate::new(0, 0);
        assert_eq!(rate(Locale::It, &none), "– (n=0)");
        let m = crate::domain::report::Mean {
            mean: Some(4.25),
            n: 4,
        };
        assert_eq!(mean(Locale::En, &m), "4.2 (n=4)");
        assert_eq!(mean(Locale::PtBr, &m), "4,2 (n=4)");
    }

    #[test]
    fn days_are_in_the_locale_format() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).expect("a date");
        assert_eq!(day(Locale::En, d), "Mon 16 Nov 2026");
        let pt = day(Locale::PtBr, d);
        assert!(
            pt.contains("seg") && pt.contains("nov") && pt.contains("2026"),
            "{pt}"
        );
        let it = day(Locale::It, d);
        assert!(
            it.contains("lun") && it.contains("nov") && it.contains("2026"),
            "{it}"
        );
    }

    #[test]
    fn relative_times_read_as_each_language_writes_them() {
        let now = at("2026-12-01T21:00:00Z");
        let soon = at("2026-12-01T21:00:19Z");
        let before = at("2026-12-01T18:00:00Z");
        assert_eq!(relative(Locale::En, soon, now), "in 19s");
        assert_eq!(relative(Locale::En, before, now), "3h 0m ago");
        assert_eq!(relative(Locale::PtBr, soon, now), "em 19 s");
        assert_eq!(relative(Locale::PtBr, before, now), "há 3 horas");
        assert_eq!(relative(Locale::Es, soon, now), "en 19 s");
        assert_eq!(relative(Locale::Es, before, now), "hace 3 horas");
        assert_eq!(relative(Locale::It, soon, now), "tra 19 s");
        assert_eq!(relative(Locale::It, before, now), "3 ore fa");
        let odd = at("2026-12-01T19:55:00Z");
        assert_eq!(relative(Locale::PtBr, odd, now), "há 1 h 5 min");
    }

    #[test]
    fn dates_are_in_the_locale_format_and_the_readers_zone() {
        let due = at("2026-12-01T21:11:00Z");
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        let sao_paulo: Tz = "America/Sao_Paulo".parse().expect("zone");
        let en = local(Locale::En, due, berlin);
        let pt = local(Locale::PtBr, due, sao_paulo);
        let es = local(Locale::Es, due, berlin);
        let it = local(Locale::It, due, berlin);
        assert_eq!(en, "Tue 01 Dec 22:11 CET");
        assert!(
            pt.starts_with("ter.") && pt.contains("dez") && pt.contains("18:11"),
            "{pt}"
        );
        assert!(
            es.contains("mar") && es.contains("dic") && es.contains("22:11"),
            "{es}"
        );
        assert!(
            it.contains("mar") && it.contains("dic") && it.contains("22:11"),
            "{it}"
        );
    }
}
