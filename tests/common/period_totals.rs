//! One period's totals out of `recompute`'s cells: the oracle the stats
//! tests build expected forms from (the server reads its aggregates).

use dutydesk::api::stats::PeriodTotals;
use dutydesk::domain::Profession;
use dutydesk::domain::campaign::{AggregateKey, Period};

/// For one reporting unit or (with `None`) for all of them.
pub fn period_totals(
    cells: &std::collections::BTreeMap<AggregateKey, (i64, i64)>,
    period: &Period,
    unit_id: Option<i64>,
) -> PeriodTotals {
    let mut out = PeriodTotals::new();
    for (key, (v1, v2)) in cells {
        let wanted = key.period_start == period.start && unit_id.is_none_or(|u| u == key.unit_id);
        if let (true, Some(p)) = (wanted, Profession::parse(key.profession)) {
            let cell = out.entry((p, key.indicator.clone())).or_default();
            cell.0 += v1;
            cell.1 += v2;
        }
    }
    out
}
