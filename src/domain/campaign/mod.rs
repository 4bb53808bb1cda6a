//! Campaigns (专项行动): definitions as data, reporting periods, and the
//! rules that turn logged work into the bureau's indicators. Pure: no I/O,
//! no clock.
//!
//! # The definition file (`campaigns/*.toml`)
//! ```toml
//! id = "form2-legal-aid"            # lowercase letters, digits, - and _
//! name_zh = "…法律援助统计表"
//! name_en = "…: legal aid"
//! starts_on = "2026-03-01"          # first and last day, in the zone below
//! ends_on = "2026-12-31"
//! timezone = "Asia/Shanghai"        # the default
//! cadence = "monthly"               # or "half-monthly" (due the 16th and the 1st)
//! deadline_day = 23                 # monthly only: 1..=28 of the next month
//! columns = ["lawyer", "notary", "grassroots_worker"]   # the default; the total follows
//! note_zh = "请于当月23日报…"          # optional text under the form
//! language = "zh-CN"                # the form's own language: zh-CN (the default) or en
//!
//! [[indicators]]                    # one per row, in form order
//! code = "group_aid_cases"
//! name_zh = "群体性法律援助案件"
//! name_en = "Group legal aid cases"
//! unit_zh = "件"
//! unit_en = "cases"
//! unit2_zh = "人数"                  # a second value: shown as a/b
//! unit2_en = "people"
//! # money = true                    # fen inside, 万元 with two decimals on the form
//! # max_count = 100000              # the most one activity adds (default 10,000)
//!
//! [[rules]]                         # an outcome: every condition given must hold
//! on = "outcome"
//! kind = "mediation"                # consultation | mediation | pro_bono
//! codes = ["agreement", "partial_agreement"]
//! category = "labour"               # a category, or labour = labour_contract | wages
//! green_channel = true
//! channels = ["walk_in"]            # walk_in | hotline | online | wechat | video | letter
//! enterprise_party = true           # only items with an enterprise party
//! effects = ["disputes_mediated += 1", "losses_recovered += settled_amount"]
//!
//! [[rules]]                         # stand-alone activities logged against these rows
//! on = "activity"                   # add count, and count2 on two-valued rows
//! indicators = ["trainings"]
//!
//! [[rules]]                         # time entries, as minutes
//! on = "time"
//! activity = "duty"                 # optional; green_channel = true also filters
//! effects = ["hours_duty += minutes"]   # hours_total | hours_green_channel | hours_duty
//! ```
//! `settled_amount` and `fee_waived` go only into money rows, whole numbers
//! only into the others. Anything else is refused with its line.

pub mod definition;
pub mod evaluate;
pub mod period;
pub mod rules;

pub use definition::{Cadence, CampaignDef, DefinitionError, Indicator, SHIPPED, parse_definition};
pub use evaluate::{
    AggregateKey, FactItem, FactOwner, Increment, OutcomeFigures, RecordFact, RecordKind, contributions,
    recompute,
};
pub use period::{Period, PeriodError, parse_period, period_of};
pub use rules::Rule;
