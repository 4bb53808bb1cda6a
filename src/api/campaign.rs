//! Campaigns (专项行动) as the client lists them. Statistics endpoints come
//! with the statistics work.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
