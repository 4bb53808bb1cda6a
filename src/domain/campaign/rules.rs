//! Rules as written in a campaign file, and their checks: which logged
//! records add what to which indicator. [`super::evaluate`] applies them.

use serde::Deserialize;

use super::definition::CampaignDef;
use crate::domain::{Category, Channel, ItemKind, OutcomeCode, TimeActivity};

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
    /// For `outcome`: only items that came in through one of these channels.
    #[serde(default)]
    channels: Vec<Channel>,
    /// For `outcome`: only items with (or without) an enterprise party.
    #[serde(default)]
    enterprise_party: Option<bool>,
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
    pub(crate) fn matches(self, category: Option<Category>) -> bool {
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
        /// Empty: any channel.
        channels: Vec<Channel>,
        enterprise_party: Option<bool>,
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
    let outcome_only = spec.kind.is_some()
        || !spec.codes.is_empty()
        || spec.category.is_some()
        || !spec.channels.is_empty()
        || spec.enterprise_party.is_some();
    match spec.on.as_str() {
        "outcome" => {
            if spec.activity.is_some() || !spec.indicators.is_empty() {
                return Err(
                    "an outcome rule takes kind, codes, category, green_channel, channels, enterprise_party and effects"
                        .into(),
                );
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
                channels: spec.channels.clone(),
                enterprise_party: spec.enterprise_party,
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
