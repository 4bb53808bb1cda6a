//! The next deadline of each campaign the user reports into, for the status
//! bar: shown, with the days and hours left, once it is under 48 hours away.

use rust_i18n::t;

use crate::domain::EpochMs;
use crate::domain::rollup::{deadline_near, time_left};

/// A campaign's next form deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub campaign_zh: String,
    pub campaign_en: String,
    /// When the form becomes late, epoch ms.
    pub due_by: EpochMs,
}

/// The nearest deadline under 48 hours away, in the user's language.
pub fn status_text(deadlines: &[Deadline], now: EpochMs) -> Option<String> {
    let d = deadlines
        .iter()
        .filter(|d| deadline_near(now, d.due_by))
        .min_by_key(|d| d.due_by)?;
    let (days, hours) = time_left(now, d.due_by)?;
    let zh = rust_i18n::locale().starts_with("zh");
    let name = crate::text::clean(if zh { &d.campaign_zh } else { &d.campaign_en });
    Some(
        t!(
            "rollup.status_deadline",
            campaign = name,
            days = days,
            hours = hours
        )
        .into_owned(),
    )
}
