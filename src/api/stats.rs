//! Campaign statistics on the wire: the periods of a campaign and the form
//! of one period as data. Money cells are fen; reports show them in 万元.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::UnitRef;
use crate::domain::campaign::period::due_by;
use crate::domain::campaign::rules::{HOURS_DUTY, HOURS_GREEN_CHANNEL, HOURS_TOTAL};
use crate::domain::campaign::{CampaignDef, Period};
use crate::domain::{EpochMs, Profession};

/// The query of `paths::CAMPAIGN_STATS`: `?period=2026-04-01..2026-04-15&scope=unit&unit=3`.
/// Without `period`, the current one. Without `scope`: `unit` when `unit`
/// is given, else by role — `me` for lawyers and mediators, `unit` for
/// coordinators (and operators), `all` for admins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<StatsScope>,
    /// A reporting unit other than the caller's (coordinators, admins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<i64>,
    /// `by=unit`: the form plus one row set per child unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<super::rollup::StatsBy>,
}

/// Whose work a form counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatsScope {
    Me,
    Unit,
    All,
}

/// A reporting period, dates as `YYYY-MM-DD` in the campaign's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PeriodInfo {
    pub start: String,
    /// Last day, inclusive.
    pub end: String,
    /// The day the form is due.
    pub deadline: String,
    /// Still to be filed: the deadline has not passed.
    pub open: bool,
    /// When the form becomes late: the end of the deadline day in the
    /// campaign's zone, epoch ms. For countdowns.
    pub due_by: EpochMs,
}

impl PeriodInfo {
    pub fn new(def: &CampaignDef, p: &Period, open: bool) -> Self {
        PeriodInfo {
            start: p.start.to_string(),
            end: p.end.to_string(),
            deadline: p.deadline.to_string(),
            open,
            due_by: due_by(def, p),
        }
    }
}

/// `GET /api/v1/campaigns/{id}/periods`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PeriodList {
    pub campaign_id: String,
    pub periods: Vec<PeriodInfo>,
}

impl PeriodList {
    /// Every period of the campaign, oldest first, open ones marked as of `now`.
    pub fn of(def: &CampaignDef, now: EpochMs) -> Self {
        let periods = crate::domain::campaign::period::periods(def, now)
            .iter()
            .map(|(p, open)| PeriodInfo::new(def, p, *open))
            .collect();
        PeriodList {
            campaign_id: def.id.clone(),
            periods,
        }
    }
}

/// One cell: the first value, and the second on two-valued rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct StatsCell {
    pub value1: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value2: Option<i64>,
}

/// One indicator row: a cell per profession column, then the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatsRow {
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_zh: String,
    pub unit_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit2_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit2_en: Option<String>,
    /// Money rows hold fen.
    #[serde(default)]
    pub money: bool,
    /// In the order of [`StatsForm::columns`].
    pub cells: Vec<StatsCell>,
    pub total: StatsCell,
}

/// Minutes worked in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct HoursSummary {
    pub total_minutes: i64,
    /// Pro bono work for frontline workers (绿色通道).
    pub green_channel_minutes: i64,
    pub duty_minutes: i64,
}

/// `GET /api/v1/campaigns/{id}/stats?period=<start>..<end>&scope=me|unit|all`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatsForm {
    pub campaign_id: String,
    pub campaign_name_zh: String,
    pub campaign_name_en: String,
    pub period: PeriodInfo,
    pub scope: StatsScope,
    /// The reporting unit (填报单位), when the form is one unit's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitRef>,
    pub columns: Vec<Profession>,
    pub rows: Vec<StatsRow>,
    pub hours: HoursSummary,
    /// The caller's own minutes logged on each day of the period, first day
    /// first, whatever the scope: the Stats screen's sparkline.
    #[serde(default)]
    pub my_minutes_by_day: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_en: Option<String>,
    /// The language the bureau takes this form in (`zh-CN` or `en`), from
    /// the campaign's definition.
    #[serde(default = "default_form_language")]
    pub language: String,
    /// Who asked for the form, for its 填报人 and 填报单位 lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<Reporter>,
    /// With `by=unit`: the unit's own records (when it has any) and then
    /// each child unit's subtree; together they sum to `rows`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<super::rollup::UnitRows>,
    /// The unit's hand-in of this period, when it handed the form in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<super::rollup::Submission>,
    /// With `by=unit`, for the unit's own coordinator (and admins): one row
    /// set per person who logged records for the unit itself; together they
    /// sum to the unit's own records (not those of the units below it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<super::rollup::PersonRows>,
}

fn default_form_language() -> String {
    crate::domain::campaign::definition::DEFAULT_LANGUAGE.to_string()
}

/// The person a form is filed by (填报人) and their unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reporter {
    pub name: String,
    pub unit: UnitRef,
}

/// The sums of one period, per profession and indicator (or hours key):
/// what the server reads from its aggregates, or what `recompute` gives.
pub type PeriodTotals = HashMap<(Profession, String), (i64, i64)>;

impl StatsForm {
    /// Lays the sums out as the campaign's form. Professions outside the
    /// form's columns still count in the total.
    pub fn build(
        def: &CampaignDef,
        period: &Period,
        open: bool,
        scope: StatsScope,
        unit: Option<UnitRef>,
        totals: &PeriodTotals,
    ) -> StatsForm {
        let get = |p: Profession, code: &str| totals.get(&(p, code.to_string())).copied().unwrap_or((0, 0));
        Self::build_with(def, period, open, scope, unit, get)
    }

    /// [`StatsForm::build`] over any lookup of a profession's sums of an
    /// indicator (or hours key): the roll-up's per-unit forms read arrays,
    /// without a string key per cell.
    pub fn build_with(
        def: &CampaignDef,
        period: &Period,
        open: bool,
        scope: StatsScope,
        unit: Option<UnitRef>,
        get: impl Fn(Profession, &str) -> (i64, i64),
    ) -> StatsForm {
        let rows = def
            .indicators
            .iter()
            .map(|ind| {
                let cell = |(v1, v2): (i64, i64)| StatsCell {
                    value1: v1,
                    value2: ind.two_valued().then_some(v2),
                };
                let sum = Profession::ALL
                    .into_iter()
                    .map(|p| get(p, &ind.code))
                    .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
                StatsRow {
                    indicator: ind.code.clone(),
                    name_zh: ind.name_zh.clone(),
                    name_en: ind.name_en.clone(),
                    unit_zh: ind.unit_zh.clone(),
                    unit_en: ind.unit_en.clone(),
                    unit2_zh: ind.unit2_zh.clone(),
                    unit2_en: ind.unit2_en.clone(),
                    money: ind.money,
                    cells: def.columns.iter().map(|p| cell(get(*p, &ind.code))).collect(),
                    total: cell(sum),
                }
            })
            .collect();
        let hours = |key: &str| Profession::ALL.into_iter().map(|p| get(p, key).0).sum();
        StatsForm {
            campaign_id: def.id.clone(),
            campaign_name_zh: def.name_zh.clone(),
            campaign_name_en: def.name_en.clone(),
            period: PeriodInfo::new(def, period, open),
            scope,
            unit,
            columns: def.columns.clone(),
            rows,
            hours: HoursSummary {
                total_minutes: hours(HOURS_TOTAL),
                green_channel_minutes: hours(HOURS_GREEN_CHANNEL),
                duty_minutes: hours(HOURS_DUTY),
            },
            my_minutes_by_day: Vec::new(),
            note_zh: def.note_zh.clone(),
            note_en: def.note_en.clone(),
            language: def.language.clone(),
            reporter: None,
            units: Vec::new(),
            submission: None,
            people: Vec::new(),
        }
    }
}

impl From<&CampaignDef> for super::Campaign {
    fn from(def: &CampaignDef) -> Self {
        use crate::domain::campaign::Cadence as DomainCadence;
        let (cadence, deadline_day) = match def.cadence {
            DomainCadence::HalfMonthly => (super::Cadence::HalfMonthly, None),
            // 1..=28 by the definition's check, so the cast cannot wrap.
            DomainCadence::Monthly { deadline_day } => (super::Cadence::Monthly, Some(deadline_day as u8)),
        };
        super::Campaign {
            id: def.id.clone(),
            name_zh: def.name_zh.clone(),
            name_en: def.name_en.clone(),
            starts_on: def.starts_on.to_string(),
            ends_on: def.ends_on.to_string(),
            timezone: def.timezone_name.clone(),
            cadence,
            deadline_day,
            indicators: def
                .indicators
                .iter()
                .map(|i| super::IndicatorDef {
                    code: i.code.clone(),
                    name_zh: i.name_zh.clone(),
                    name_en: i.name_en.clone(),
                    unit_zh: i.unit_zh.clone(),
                    unit_en: i.unit_en.clone(),
                    unit2_zh: i.unit2_zh.clone(),
                    unit2_en: i.unit2_en.clone(),
                    money: i.money,
                    activity: def.rules.iter().any(|r| {
                        matches!(r, crate::domain::campaign::Rule::Activity { indicators } if indicators.contains(&i.code))
                    }),
                    max_count: i.max_count(),
                })
                .collect(),
        }
    }
}
