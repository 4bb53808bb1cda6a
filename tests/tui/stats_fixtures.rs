//! A district centre's campaign numbers: form 1 of the shipped campaigns
//! filled in for the second half of November, with my hours by day and two
//! records still in the outbox.

use std::collections::{BTreeMap, HashMap};

use dutydesk::api::{Campaign, CampaignList, PeriodList, StatsCell, StatsForm, StatsScope, UnitRef};
use dutydesk::domain::Profession;
use dutydesk::domain::campaign::period::{self, Period};
use dutydesk::domain::campaign::rules::{HOURS_DUTY, HOURS_GREEN_CHANNEL, HOURS_TOTAL};
use dutydesk::domain::campaign::{CampaignDef, SHIPPED, parse_definition};
use dutydesk::tui::model::StatsPending;
use dutydesk::tui::{Command, Message, Model, update};

use crate::fixtures::NOW;
use crate::press;

/// `0` is form 1 (enterprise service, half-monthly), `1` form 2 (legal aid).
pub fn def(i: usize) -> CampaignDef {
    parse_definition(SHIPPED[i].1).expect("shipped campaign parses")
}

pub fn campaigns() -> Message {
    Message::CampaignsLoaded(CampaignList {
        campaigns: vec![Campaign::from(&def(0)), Campaign::from(&def(1))],
    })
}

/// Form 1 for `p`: what the lawyers, notaries and grassroots workers of the
/// unit logged, money in fen.
pub fn form(p: &Period, scope: StatsScope) -> StatsForm {
    use Profession::*;
    let d = def(0);
    let mut totals = HashMap::new();
    let rows: &[(Profession, &str, i64, i64)] = &[
        (Lawyer, "enterprises_visited", 12, 0),
        (Lawyer, "contact_points", 3, 0),
        (Lawyer, "enterprise_disputes_resolved", 4, 0),
        (Lawyer, "contact_cards", 85, 0),
        (Lawyer, "consultations", 46, 0),
        (Lawyer, "risk_notices", 9, 0),
        (Lawyer, "cases_represented", 5, 0),
        (Lawyer, "enterprise_adviser", 7, 0),
        (Lawyer, "legal_aid_cases", 2, 0),
        (Lawyer, "disputes_mediated", 6, 0),
        // ¥123,456 recovered: 12.35 万元.
        (Lawyer, "losses_recovered", 12_345_600, 0),
        (Lawyer, "labour_disputes", 3, 0),
        (Lawyer, "trainings", 2, 140),
        (Notary, "consultations", 8, 0),
        (Notary, "risk_notices", 2, 0),
        (GrassrootsWorker, "enterprises_visited", 5, 0),
        (GrassrootsWorker, "consultations", 31, 0),
        (GrassrootsWorker, "disputes_mediated", 9, 0),
        (GrassrootsWorker, "losses_recovered", 3_560_000, 0),
        (GrassrootsWorker, "labour_disputes", 4, 0),
        (GrassrootsWorker, "trainings", 1, 60),
        (Lawyer, HOURS_TOTAL, 1_230, 0),
        (Lawyer, HOURS_GREEN_CHANNEL, 180, 0),
        (Lawyer, HOURS_DUTY, 480, 0),
    ];
    for (p, code, v1, v2) in rows {
        totals.insert((*p, code.to_string()), (*v1, *v2));
    }
    let unit = UnitRef {
        id: 1,
        name: "朝阳区公共法律服务中心".into(),
    };
    StatsForm::build(&d, p, true, scope, Some(unit), &totals)
}

/// The form of the period `at` falls in, as the backend would answer.
pub fn loaded_at(at: i64, scope: StatsScope) -> Message {
    let d = def(0);
    let p = period::period_of(&d, at);
    let mut hours_by_day = vec![120, 240, 0, 0, 90, 300, 180, 45, 60];
    hours_by_day.resize((p.end - p.start).get_days() as usize + 1, 0);
    Message::StatsLoaded {
        periods: PeriodList::of(&d, NOW),
        form: Box::new(form(&p, scope)),
        hours_by_day,
    }
}

/// An outcome (consultation answered) and a mediation agreement of ¥8,000
/// still in the outbox.
pub fn pending() -> StatsPending {
    let cell = |value1| StatsCell { value1, value2: None };
    StatsPending {
        records: 2,
        by_indicator: BTreeMap::from([
            ("consultations".to_string(), cell(1)),
            ("disputes_mediated".to_string(), cell(1)),
            ("losses_recovered".to_string(), cell(800_000)),
        ]),
    }
}

/// The Stats screen with form 1 of the current period on it.
pub fn on_stats(m: &mut Model) {
    assert_eq!(
        press(m, crossterm::event::KeyCode::Char('5')),
        Some(Command::FetchCampaigns)
    );
    let fetch = update(m, campaigns());
    assert!(matches!(fetch, Some(Command::FetchStats { .. })), "{fetch:?}");
    update(m, loaded_at(NOW, StatsScope::Me));
    update(m, Message::StatsPending(pending()));
}

/// Form 2 (legal aid, monthly, 19 rows) with nothing logged yet.
pub fn loaded_form2() -> Message {
    let d = def(1);
    let p = period::current(&d, NOW);
    Message::StatsLoaded {
        periods: PeriodList::of(&d, NOW),
        form: Box::new(StatsForm::build(
            &d,
            &p,
            true,
            StatsScope::Me,
            None,
            &HashMap::new(),
        )),
        hours_by_day: Vec::new(),
    }
}
