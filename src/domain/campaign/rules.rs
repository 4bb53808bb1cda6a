//! Rules: which logged records add what to which indicator. Pure: the server
//! calls [`contributions`] inside the record's own transaction, and a test
//! compares its aggregates with [`recompute`] over the raw rows.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Deserialize;

use super::definition::CampaignDef;
use super::period::period_of;
use crate::domain::{Category, EpochMs, ItemKind, OutcomeCode, Profession, TimeActivity};

/// Hours are counted as minutes under these keys, next to the indicators.
pub const HOURS_TOTAL: &str = "hours_total";
pub const HOURS_GREEN_CHANNEL: &str = "hours_green_channel";
pub const HOURS_DUTY: &str = "hours_duty";
pub const HOURS_KEYS: [&str; 3] = [HOURS_TOTAL, HOURS_GREEN_CHANNEL, HOURS_DUTY];

/// A rule as written in the file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleSpec {
    /// `outcome`, `activity` or `time`.
    on: String,
    #[serde(default)]
    kind: Option<ItemKind>,
    #[serde(default)]
    codes: Vec<OutcomeCode>,
    /// A category, or `labour` for the labour group.
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    green_channel: Option<bool>,
    /// For `time`: only entries of this activity.
    #[serde(default)]
    activity: Option<TimeActivity>,
    /// For `activity`: the indicators an activity may be logged against.
    #[serde(default)]
    indicators: Vec<String>,
    /// `"consultations += 1"`, `"losses_recovered += settled_amount"`,
    /// for `time`: `"hours_total += minutes"`.
    #[serde(default)]
    effects: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryMatch {
    Is(Category),
    Labour,
}

impl CategoryMatch {
    fn matches(self, category: Option<Category>) -> bool {
        match (self, category) {
            (Self::Is(want), Some(got)) => want == got,
            (Self::Labour, Some(got)) => got.is_labour(),
            (_, None) => false,
        }
    }
}

/// What an effect adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Constant(i64),
    SettledAmount,
    FeeWaived,
    Minutes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub indicator: String,
    pub amount: Amount,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Outcome {
        kind: Option<ItemKind>,
        codes: Vec<OutcomeCode>,
        category: Option<CategoryMatch>,
        green_channel: Option<bool>,
        effects: Vec<Effect>,
    },
    /// An activity logged against one of `indicators` adds its count (and
    /// count2 on two-valued rows) to that indicator.
    Activity { indicators: Vec<String> },
    Time {
        green_channel: Option<bool>,
        activity: Option<TimeActivity>,
        effects: Vec<Effect>,
    },
}

fn parse_effect(def: &CampaignDef, on: &str, text: &str) -> Result<Effect, String> {
    let Some((target, source)) = text.split_once("+=") else {
        return Err(format!("effect “{text}” must read `indicator += amount`"));
    };
    let (target, source) = (target.trim(), source.trim());
    if on == "time" {
        if !HOURS_KEYS.contains(&target) {
            return Err(format!(
                "a time rule adds to {}, not “{target}”",
                HOURS_KEYS.join(", ")
            ));
        }
        if source != "minutes" {
            return Err(format!("a time rule adds `minutes`, not “{source}”"));
        }
        return Ok(Effect {
            indicator: target.to_string(),
            amount: Amount::Minutes,
        });
    }
    let Some(indicator) = def.indicator(target) else {
        return Err(format!("unknown indicator “{target}” in effect “{text}”"));
    };
    let amount = match source {
        "settled_amount" => Amount::SettledAmount,
        "fee_waived" => Amount::FeeWaived,
        n => match n.trim_start_matches('+').parse::<i64>() {
            Ok(v) if v > 0 => Amount::Constant(v),
            _ => {
                return Err(format!(
                    "“{n}” is not an amount; use a positive whole number, settled_amount or fee_waived"
                ));
            }
        },
    };
    let is_money_source = matches!(amount, Amount::SettledAmount | Amount::FeeWaived);
    if is_money_source && !indicator.money {
        return Err(format!(
            "“{target}” is not a money row (money = true); it cannot take {source}"
        ));
    }
    if !is_money_source && indicator.money {
        return Err(format!(
            "“{target}” is a money row; add settled_amount or fee_waived to it"
        ));
    }
    Ok(Effect {
        indicator: target.to_string(),
        amount,
    })
}

pub(crate) fn check_rule(def: &CampaignDef, spec: &RuleSpec) -> Result<Rule, String> {
    let outcome_only = spec.kind.is_some() || !spec.codes.is_empty() || spec.category.is_some();
    match spec.on.as_str() {
        "outcome" => {
            if spec.activity.is_some() || !spec.indicators.is_empty() {
                return Err("an outcome rule takes kind, codes, category, green_channel and effects".into());
            }
            if let Some(kind) = spec.kind {
                let allowed = OutcomeCode::for_kind(kind);
                if let Some(bad) = spec.codes.iter().find(|c| !allowed.contains(c)) {
                    return Err(format!(
                        "“{}” is not an outcome of a {} item",
                        bad.as_str(),
                        kind.as_str()
                    ));
                }
            }
            let category = match spec.category.as_deref() {
                None => None,
                Some("labour") => Some(CategoryMatch::Labour),
                Some(name) => Some(CategoryMatch::Is(
                    Category::ALL
                        .into_iter()
                        .find(|c| c.as_str() == name)
                        .ok_or_else(|| format!("unknown category “{name}”"))?,
                )),
            };
            let effects = checked_effects(def, "outcome", &spec.effects)?;
            Ok(Rule::Outcome {
                kind: spec.kind,
                codes: spec.codes.clone(),
                category,
                green_channel: spec.green_channel,
                effects,
            })
        }
        "activity" => {
            if outcome_only
                || spec.green_channel.is_some()
                || spec.activity.is_some()
                || !spec.effects.is_empty()
            {
                return Err("an activity rule takes only `indicators`".into());
            }
            if spec.indicators.is_empty() {
                return Err("an activity rule needs `indicators`".into());
            }
            for code in &spec.indicators {
                match def.indicator(code) {
                    None => return Err(format!("unknown indicator “{code}”")),
                    Some(i) if i.money => return Err(format!("“{code}” is a money row; activities count")),
                    Some(_) => {}
                }
            }
            Ok(Rule::Activity {
                indicators: spec.indicators.clone(),
            })
        }
        "time" => {
            if outcome_only || !spec.indicators.is_empty() {
                return Err("a time rule takes green_channel, activity and effects".into());
            }
            let effects = checked_effects(def, "time", &spec.effects)?;
            Ok(Rule::Time {
                green_channel: spec.green_channel,
                activity: spec.activity,
                effects,
            })
        }
        other => Err(format!(
            "unknown rule `on = \"{other}\"`; use outcome, activity or time"
        )),
    }
}

fn checked_effects(def: &CampaignDef, on: &str, texts: &[String]) -> Result<Vec<Effect>, String> {
    if texts.is_empty() {
        return Err("a rule needs at least one effect".into());
    }
    texts.iter().map(|t| parse_effect(def, on, t)).collect()
}

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Outcome,
    TimeEntry,
    Activity,
}

/// One logged record, with what the rules look at. Fields that do not apply
/// to a record's kind are left at their default. Minutes logged with an
/// outcome arrive as their own time entry, so an outcome adds no hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFact {
    pub record: RecordKind,
    pub kind: Option<ItemKind>,
    pub code: Option<OutcomeCode>,
    pub category: Option<Category>,
    pub green_channel: bool,
    pub settled_fen: i64,
    pub fee_waived_fen: i64,
    pub minutes: i64,
    pub activity: Option<TimeActivity>,
    pub indicator: Option<String>,
    pub count: i64,
    pub count2: i64,
    pub occurred_at: EpochMs,
    pub profession: Profession,
    pub unit_id: i64,
    pub user_id: i64,
}

/// What one record adds to one indicator (or hours key) of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Increment {
    pub campaign_id: String,
    pub period_start: Date,
    pub indicator: String,
    /// Counts, or fen on money rows, or minutes on hours keys.
    pub value1: i64,
    pub value2: i64,
}

fn amount_of(amount: Amount, fact: &RecordFact) -> i64 {
    match amount {
        Amount::Constant(v) => v,
        Amount::SettledAmount => fact.settled_fen,
        Amount::FeeWaived => fact.fee_waived_fen,
        Amount::Minutes => fact.minutes,
    }
}

/// The increments one record gives a campaign: none outside its dates.
/// Increments to the same indicator are merged; zero ones are dropped.
pub fn contributions(def: &CampaignDef, fact: &RecordFact) -> Vec<Increment> {
    let period = period_of(def, fact.occurred_at);
    let day = super::period::local_date(def, fact.occurred_at);
    if day < def.starts_on || day > def.ends_on {
        return Vec::new();
    }
    let mut sums: Vec<(String, i64, i64)> = Vec::new();
    let mut add = |indicator: &str, v1: i64, v2: i64| match sums.iter_mut().find(|s| s.0 == indicator) {
        Some(s) => {
            s.1 += v1;
            s.2 += v2;
        }
        None => sums.push((indicator.to_string(), v1, v2)),
    };
    for rule in &def.rules {
        match (rule, fact.record) {
            (
                Rule::Outcome {
                    kind,
                    codes,
                    category,
                    green_channel,
                    effects,
                },
                RecordKind::Outcome,
            ) => {
                let hit = kind.is_none_or(|k| Some(k) == fact.kind)
                    && (codes.is_empty() || fact.code.is_some_and(|c| codes.contains(&c)))
                    && category.is_none_or(|c| c.matches(fact.category))
                    && green_channel.is_none_or(|g| g == fact.green_channel);
                if hit {
                    for e in effects {
                        add(&e.indicator, amount_of(e.amount, fact), 0);
                    }
                }
            }
            (Rule::Activity { indicators }, RecordKind::Activity) => {
                if let Some(code) = fact
                    .indicator
                    .as_deref()
                    .filter(|c| indicators.iter().any(|i| i == c))
                {
                    let two = def.indicator(code).is_some_and(|i| i.two_valued());
                    add(code, fact.count, if two { fact.count2 } else { 0 });
                }
            }
            (
                Rule::Time {
                    green_channel,
                    activity,
                    effects,
                },
                RecordKind::TimeEntry,
            ) => {
                let hit = green_channel.is_none_or(|g| g == fact.green_channel)
                    && activity.is_none_or(|a| Some(a) == fact.activity);
                if hit {
                    for e in effects {
                        add(&e.indicator, amount_of(e.amount, fact), 0);
                    }
                }
            }
            _ => {}
        }
    }
    sums.into_iter()
        .filter(|(_, v1, v2)| *v1 != 0 || *v2 != 0)
        .map(|(indicator, value1, value2)| Increment {
            campaign_id: def.id.clone(),
            period_start: period.start,
            indicator,
            value1,
            value2,
        })
        .collect()
}

/// The key of one aggregate cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AggregateKey {
    pub period_start: Date,
    pub profession: &'static str,
    pub unit_id: i64,
    pub indicator: String,
}

/// The reference aggregation: every fact through [`contributions`], summed
/// per period × profession × unit × indicator. Slow and obviously right.
pub fn recompute(def: &CampaignDef, facts: &[RecordFact]) -> BTreeMap<AggregateKey, (i64, i64)> {
    let mut out: BTreeMap<AggregateKey, (i64, i64)> = BTreeMap::new();
    for fact in facts {
        for inc in contributions(def, fact) {
            let key = AggregateKey {
                period_start: inc.period_start,
                profession: fact.profession.as_str(),
                unit_id: fact.unit_id,
                indicator: inc.indicator,
            };
            let cell = out.entry(key).or_default();
            cell.0 += inc.value1;
            cell.1 += inc.value2;
        }
    }
    out
}
