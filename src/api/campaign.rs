//! Campaigns (专项行动) as the client lists them. Statistics endpoints come
//! with the statistics work.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::EpochMs;
use crate::domain::records::ActivityTarget;

/// How often a campaign's form is filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Cadence {
    /// Due on the 16th and on the 1st of the next month (半月表).
    HalfMonthly,
    /// Due on a fixed day of the next month.
    Monthly,
}

/// One row of a statistics form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IndicatorDef {
    /// Stable code, e.g. `consultations`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Unit of the first value, e.g. 次 / times.
    pub unit_zh: String,
    pub unit_en: String,
    /// Unit of the second value for two-valued rows (场次/人数).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit2_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit2_en: Option<String>,
    /// Money rows are reported in 万元 with two decimals.
    #[serde(default)]
    pub money: bool,
    /// Whether stand-alone activities may be logged against this row
    /// (`POST /activities`); other rows count from items' outcomes and time.
    #[serde(default)]
    pub activity: bool,
    /// The most one activity may add to each value of this row.
    #[serde(default = "default_max_count")]
    pub max_count: i64,
}

fn default_max_count() -> i64 {
    crate::domain::records::DEFAULT_MAX_COUNT
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Campaign {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// First day, `YYYY-MM-DD`, in `timezone`.
    pub starts_on: String,
    /// Last day, inclusive.
    pub ends_on: String,
    pub timezone: String,
    pub cadence: Cadence,
    /// For `monthly`: the day of the following month the form is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_day: Option<u8>,
    pub indicators: Vec<IndicatorDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CampaignList {
    pub campaigns: Vec<Campaign>,
}

impl Campaign {
    /// Whether the campaign runs on the day `at` falls on, in its zone.
    /// A campaign whose dates or zone do not read is taken as running: the
    /// server has the last word.
    pub fn runs_at(&self, at: EpochMs) -> bool {
        let (Ok(start), Ok(end)) = (self.starts_on.parse::<Date>(), self.ends_on.parse::<Date>()) else {
            return true;
        };
        let zone = TimeZone::get(&self.timezone)
            .or_else(|_| jiff::tz::TimeZoneDatabase::bundled().get(&self.timezone))
            .unwrap_or(TimeZone::UTC);
        let Ok(ts) = jiff::Timestamp::from_millisecond(at) else {
            return false;
        };
        let day = zone.to_datetime(ts).date();
        start <= day && day <= end
    }
}

impl CampaignList {
    /// The rows that campaigns running at `at` take activities on, for the
    /// check before saving (`domain::records::check_activity`) and the
    /// pickers. `None` when the list says nothing of activities (a server
    /// older than that field): then only the server can check.
    pub fn activity_targets(&self, at: EpochMs) -> Option<Vec<ActivityTarget>> {
        let all = self.campaigns.iter().flat_map(|c| c.indicators.iter());
        if !all.clone().any(|i| i.activity) {
            return None;
        }
        let running = self
            .campaigns
            .iter()
            .filter(|c| c.runs_at(at))
            .flat_map(|c| c.indicators.iter())
            .filter(|i| i.activity)
            .map(|i| ActivityTarget {
                code: i.code.clone(),
                name_zh: i.name_zh.clone(),
                name_en: i.name_en.clone(),
                two_valued: i.unit2_zh.is_some(),
                max_count: i.max_count,
            })
            .collect();
        Some(ActivityTarget::merge(running))
    }
}
