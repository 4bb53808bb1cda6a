//! Applying the rules to one record. Pure: the server calls [`contributions`]
//! inside the record's own transaction (so an idempotent repeat, which
//! stores nothing, adds nothing), and the consistency test compares the
//! server's aggregates with [`recompute`] over the raw rows.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::definition::CampaignDef;
use super::period::{local_date, period_of};
use super::rules::{Amount, Rule};
use crate::domain::{Category, Channel, EpochMs, ItemKind, OutcomeCode, Profession, TimeActivity};

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Outcome,
    TimeEntry,
    Activity,
    /// The counter-record of a corrected outcome: the outcome's own fields,
    /// counted by the outcome rules with every effect negated.
    OutcomeWithdrawal,
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
    /// The item's intake channel.
    pub channel: Option<Channel>,
    /// Whether one of the item's parties is an enterprise.
    pub enterprise_party: bool,
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

impl RecordFact {
    /// A fact with only what every record has: what it is, when, and whose;
    /// the other fields at their defaults, for the caller to fill.
    pub fn new(
        record: RecordKind,
        occurred_at: EpochMs,
        profession: Profession,
        unit_id: i64,
        user_id: i64,
    ) -> Self {
        RecordFact {
            record,
            kind: None,
            code: None,
            category: None,
            green_channel: false,
            channel: None,
            enterprise_party: false,
            settled_fen: 0,
            fee_waived_fen: 0,
            minutes: 0,
            activity: None,
            indicator: None,
            count: 0,
            count2: 0,
            occurred_at,
            profession,
            unit_id,
            user_id,
        }
    }
}

/// Whose a record is: what its cells are keyed by besides the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactOwner {
    pub profession: Profession,
    pub unit_id: i64,
    pub user_id: i64,
}

/// What the rules look at on the item a record was logged against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FactItem {
    pub kind: Option<ItemKind>,
    pub category: Option<Category>,
    pub green_channel: bool,
    pub channel: Option<Channel>,
    /// Whether one of the item's parties is an enterprise.
    pub enterprise_party: bool,
}

/// What an outcome itself says, besides its item: the code and the sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutcomeFigures {
    pub code: Option<OutcomeCode>,
    pub settled_fen: i64,
    pub fee_waived_fen: i64,
}

/// The builders every path that counts records uses (the server's live
/// path and rebuild, the client's pending figures), so the same record
/// makes the same fact wherever it is read from.
impl RecordFact {
    /// An outcome; with `withdrawn`, the counter-record of a corrected one,
    /// which counts negatively.
    pub fn outcome(
        item: FactItem,
        figures: OutcomeFigures,
        withdrawn: bool,
        occurred_at: EpochMs,
        owner: FactOwner,
    ) -> Self {
        let record = if withdrawn {
            RecordKind::OutcomeWithdrawal
        } else {
            RecordKind::Outcome
        };
        RecordFact {
            kind: item.kind,
            code: figures.code,
            category: item.category,
            green_channel: item.green_channel,
            channel: item.channel,
            enterprise_party: item.enterprise_party,
            settled_fen: figures.settled_fen,
            fee_waived_fen: figures.fee_waived_fen,
            ..RecordFact::owned(record, occurred_at, owner)
        }
    }

    /// A time entry. Time rules look at the green channel and the activity
    /// only; the item's kind and category are left out, as every path has
    /// always left them.
    pub fn time_entry(
        item: FactItem,
        minutes: i64,
        activity: Option<TimeActivity>,
        occurred_at: EpochMs,
        owner: FactOwner,
    ) -> Self {
        RecordFact {
            green_channel: item.green_channel,
            channel: item.channel,
            enterprise_party: item.enterprise_party,
            minutes,
            activity,
            ..RecordFact::owned(RecordKind::TimeEntry, occurred_at, owner)
        }
    }

    /// An activity: an indicator counted directly, with its second value
    /// (0 where it has none).
    pub fn activity(
        indicator: String,
        (count, count2): (i64, i64),
        occurred_at: EpochMs,
        owner: FactOwner,
    ) -> Self {
        RecordFact {
            indicator: Some(indicator),
            count,
            count2,
            ..RecordFact::owned(RecordKind::Activity, occurred_at, owner)
        }
    }

    fn owned(record: RecordKind, occurred_at: EpochMs, owner: FactOwner) -> Self {
        RecordFact::new(
            record,
            occurred_at,
            owner.profession,
            owner.unit_id,
            owner.user_id,
        )
    }
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
    let day = local_date(def, fact.occurred_at);
    if day < def.starts_on || day > def.ends_on {
        return Vec::new();
    }
    let mut sums: Vec<(String, i64, i64)> = Vec::new();
    let mut add = |indicator: &str, v1: i64, v2: i64| match sums.iter_mut().find(|s| s.0 == indicator) {
        Some(s) => {
            s.1 = s.1.saturating_add(v1);
            s.2 = s.2.saturating_add(v2);
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
                    channels,
                    enterprise_party,
                    effects,
                },
                RecordKind::Outcome | RecordKind::OutcomeWithdrawal,
            ) => {
                let sign = if fact.record == RecordKind::OutcomeWithdrawal {
                    -1
                } else {
                    1
                };
                let hit = kind.is_none_or(|k| Some(k) == fact.kind)
                    && (codes.is_empty() || fact.code.is_some_and(|c| codes.contains(&c)))
                    && category.is_none_or(|c| c.matches(fact.category))
                    && green_channel.is_none_or(|g| g == fact.green_channel)
                    && (channels.is_empty() || fact.channel.is_some_and(|c| channels.contains(&c)))
                    && enterprise_party.is_none_or(|e| e == fact.enterprise_party);
                if hit {
                    for e in effects {
                        add(&e.indicator, sign * amount_of(e.amount, fact), 0);
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
            cell.0 = cell.0.saturating_add(inc.value1);
            cell.1 = cell.1.saturating_add(inc.value2);
        }
    }
    out
}
