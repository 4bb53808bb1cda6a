//! A campaign definition as data: the form's indicators, its cadence and the
//! rules that turn logged work into indicator values. Read from TOML
//! (`campaigns/*.toml`); every mistake is refused with its line.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use super::rules::{Rule, RuleSpec};
use crate::domain::Profession;

/// The default zone: the bureaus' forms count days in Beijing time.
pub const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

/// The forms' language when a definition names none: the bureaus' own.
pub const DEFAULT_LANGUAGE: &str = "zh-CN";
/// The languages a form can be written in.
pub const FORM_LANGUAGES: [&str; 2] = ["zh-CN", "en"];

/// The latest deadline day a monthly form may name: every month has it.
pub const MAX_DEADLINE_DAY: i8 = 28;

/// How often the form is filed, with what is needed to compute deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// 1st–15th due on the 16th; 16th–month end due on the 1st of the next month.
    HalfMonthly,
    /// Calendar months, due on `deadline_day` of the next month.
    Monthly { deadline_day: i8 },
}

/// One row of the form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    /// The second value's unit on two-valued rows (场次/人数).
    #[serde(default)]
    pub unit2_zh: Option<String>,
    #[serde(default)]
    pub unit2_en: Option<String>,
    /// Money rows hold fen and are reported in 万元.
    #[serde(default)]
    pub money: bool,
    /// The most one activity may add to this row (each value); default
    /// [`DEFAULT_MAX_COUNT`](crate::domain::records::DEFAULT_MAX_COUNT).
    #[serde(default)]
    pub max_count: Option<i64>,
}

/// The largest `max_count` a campaign may set: sums of many entries stay far from overflow.
pub const MAX_MAX_COUNT: i64 = 1_000_000;

impl Indicator {
    pub fn two_valued(&self) -> bool {
        self.unit2_zh.is_some()
    }

    pub fn max_count(&self) -> i64 {
        self.max_count
            .unwrap_or(crate::domain::records::DEFAULT_MAX_COUNT)
    }
}

/// The campaigns shipped in `campaigns/`, built in so the demo data and a
/// fresh server have them without a path: (file name, TOML text).
pub const SHIPPED: [(&str, &str); 2] = [
    (
        "form1-enterprise-service.toml",
        include_str!("../../../campaigns/form1-enterprise-service.toml"),
    ),
    (
        "form2-legal-aid.toml",
        include_str!("../../../campaigns/form2-legal-aid.toml"),
    ),
];

/// A checked campaign definition.
#[derive(Debug, Clone)]
pub struct CampaignDef {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub starts_on: Date,
    /// Last day, inclusive.
    pub ends_on: Date,
    pub timezone_name: String,
    pub timezone: TimeZone,
    pub cadence: Cadence,
    /// The profession columns, in form order (the total comes after them).
    pub columns: Vec<Profession>,
    pub indicators: Vec<Indicator>,
    pub rules: Vec<Rule>,
    /// Free text under the form, e.g. whom to send it to.
    pub note_zh: Option<String>,
    pub note_en: Option<String>,
    /// The language the bureau takes the form in (`zh-CN` or `en`); the
    /// report writes it so whatever the user's own language.
    pub language: String,
}

impl CampaignDef {
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

/// Why a definition was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionError {
    /// 1-based line in the file, when the mistake has a place.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Turns spans into 1-based line numbers.
pub(crate) struct Lines<'a>(&'a str);

impl Lines<'_> {
    pub(crate) fn of(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
    }

    pub(crate) fn error<T>(&self, span: &Spanned<T>, message: impl Into<String>) -> DefinitionError {
        DefinitionError {
            line: Some(self.of(span.span().start)),
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDef {
    id: Spanned<String>,
    name_zh: String,
    name_en: String,
    starts_on: Spanned<String>,
    ends_on: Spanned<String>,
    #[serde(default)]
    timezone: Option<Spanned<String>>,
    cadence: Spanned<String>,
    #[serde(default)]
    deadline_day: Option<Spanned<i64>>,
    #[serde(default)]
    columns: Option<Vec<Profession>>,
    #[serde(default)]
    note_zh: Option<String>,
    #[serde(default)]
    note_en: Option<String>,
    #[serde(default)]
    language: Option<Spanned<String>>,
    indicators: Vec<Spanned<Indicator>>,
    #[serde(default)]
    rules: Vec<Spanned<RuleSpec>>,
}

fn parse_date(lines: &Lines, field: &str, raw: &Spanned<String>) -> Result<Date, DefinitionError> {
    raw.get_ref().parse::<Date>().map_err(|_| {
        lines.error(
            raw,
            format!("{field} “{}” is not a date; write YYYY-MM-DD", raw.get_ref()),
        )
    })
}

/// Reads and checks a definition. The error names the line and what to fix.
pub fn parse_definition(text: &str) -> Result<CampaignDef, DefinitionError> {
    let lines = Lines(text);
    let raw: RawDef = toml::from_str(text).map_err(|e| DefinitionError {
        line: e.span().map(|s| lines.of(s.start)),
        message: e.message().trim().to_string(),
    })?;

    let id = raw.id.get_ref().trim().to_string();
    let id_ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id_ok {
        return Err(lines.error(&raw.id, "id must be lowercase letters, digits, '-' or '_'"));
    }
    let starts_on = parse_date(&lines, "starts_on", &raw.starts_on)?;
    let ends_on = parse_date(&lines, "ends_on", &raw.ends_on)?;
    if ends_on < starts_on {
        return Err(lines.error(&raw.ends_on, "ends_on is before starts_on"));
    }
    let (timezone_name, timezone) = match &raw.timezone {
        None => (
            DEFAULT_TIMEZONE.to_string(),
            zone(DEFAULT_TIMEZONE).ok_or_else(no_zone)?,
        ),
        Some(tz) => {
            let found = zone(tz.get_ref()).ok_or_else(|| {
                lines.error(
                    tz,
                    format!("unknown time zone “{}”; use e.g. Asia/Shanghai", tz.get_ref()),
                )
            })?;
            (tz.get_ref().clone(), found)
        }
    };
    let cadence = match (raw.cadence.get_ref().as_str(), &raw.deadline_day) {
        ("half-monthly", None) => Cadence::HalfMonthly,
        ("half-monthly", Some(day)) => {
            return Err(lines.error(
                day,
                "a half-monthly form is due on the 16th and the 1st; remove deadline_day",
            ));
        }
        ("monthly", Some(day)) => match i8::try_from(*day.get_ref()) {
            Ok(d) if (1..=MAX_DEADLINE_DAY).contains(&d) => Cadence::Monthly { deadline_day: d },
            _ => {
                return Err(lines.error(
                    day,
                    format!("deadline_day must be between 1 and {MAX_DEADLINE_DAY}"),
                ));
            }
        },
        ("monthly", None) => {
            return Err(lines.error(&raw.cadence, "a monthly form needs deadline_day (e.g. 23)"));
        }
        (other, _) => {
            return Err(lines.error(
                &raw.cadence,
                format!("unknown cadence “{other}”; use half-monthly or monthly"),
            ));
        }
    };

    let language = match &raw.language {
        None => DEFAULT_LANGUAGE.to_string(),
        Some(l) if FORM_LANGUAGES.contains(&l.get_ref().as_str()) => l.get_ref().clone(),
        Some(l) => {
            return Err(lines.error(
                l,
                format!(
                    "language “{}” is not one dutydesk writes; use zh-CN or en",
                    l.get_ref()
                ),
            ));
        }
    };

    let mut indicators = Vec::new();
    let mut seen = BTreeMap::new();
    for spanned in &raw.indicators {
        let ind = spanned.get_ref();
        if ind.code.is_empty() || seen.insert(ind.code.clone(), ()).is_some() {
            return Err(lines.error(
                spanned,
                format!("indicator code “{}” is empty or repeated", ind.code),
            ));
        }
        if super::rules::HOURS_KEYS.contains(&ind.code.as_str()) {
            return Err(lines.error(spanned, format!("“{}” is reserved for hours", ind.code)));
        }
        if ind.unit2_zh.is_some() != ind.unit2_en.is_some() {
            return Err(lines.error(spanned, "a two-valued row needs both unit2_zh and unit2_en"));
        }
        if ind.max_count.is_some_and(|m| !(1..=MAX_MAX_COUNT).contains(&m)) {
            return Err(lines.error(
                spanned,
                format!("max_count must be between 1 and {MAX_MAX_COUNT}"),
            ));
        }
        if ind.money && ind.two_valued() {
            return Err(lines.error(spanned, "a money row has one value; remove unit2_zh/unit2_en"));
        }
        indicators.push(ind.clone());
    }
    if indicators.is_empty() {
        return Err(DefinitionError {
            line: None,
            message: "a campaign needs at least one [[indicators]] row".into(),
        });
    }

    let mut def = CampaignDef {
        id,
        name_zh: raw.name_zh,
        name_en: raw.name_en,
        starts_on,
        ends_on,
        timezone_name,
        timezone,
        cadence,
        columns: raw.columns.unwrap_or_else(|| Profession::ALL.to_vec()),
        indicators,
        rules: Vec::new(),
        note_zh: raw.note_zh,
        note_en: raw.note_en,
        language,
    };
    for spec in &raw.rules {
        let rule = super::rules::check_rule(&def, spec.get_ref()).map_err(|m| lines.error(spec, m))?;
        def.rules.push(rule);
    }
    Ok(def)
}

fn no_zone() -> DefinitionError {
    DefinitionError {
        line: None,
        message: format!("the time zone {DEFAULT_TIMEZONE} is not available in this build"),
    }
}

/// Looks a zone up in the system's database, then in the copy bundled into
/// the binary (jiff's `tzdb-bundle-always`), so a server without
/// /usr/share/zoneinfo still counts days in Beijing time.
fn zone(name: &str) -> Option<TimeZone> {
    TimeZone::get(name)
        .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(name))
        .ok()
}
