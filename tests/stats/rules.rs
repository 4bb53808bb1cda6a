use dutydesk::domain::campaign::{CampaignDef, Increment, RecordFact, RecordKind, contributions, recompute};
use dutydesk::domain::{Category, EpochMs, ItemKind, OutcomeCode, Profession, TimeActivity};
use jiff::Timestamp;
use jiff::civil::date;

use super::shipped;

/// 10:00 on 3 April 2026 in Beijing: the first half of April.
const APRIL_3: &str = "2026-04-03T02:00:00Z";

fn at(text: &str) -> EpochMs {
    text.parse::<Timestamp>().unwrap().as_millisecond()
}

pub fn blank(record: RecordKind) -> RecordFact {
    RecordFact::new(record, at(APRIL_3), Profession::Lawyer, 1, 7)
}

pub fn outcome(kind: ItemKind, code: OutcomeCode, category: Category) -> RecordFact {
    RecordFact {
        kind: Some(kind),
        code: Some(code),
        category: Some(category),
        ..blank(RecordKind::Outcome)
    }
}

/// (indicator, value1, value2), sorted: what a person reads off the form.
fn effects(def: &CampaignDef, fact: &RecordFact) -> Vec<(String, i64, i64)> {
    let mut out: Vec<_> = contributions(def, fact)
        .into_iter()
        .map(|i: Increment| {
            assert_eq!(i.campaign_id, def.id);
            assert_eq!(i.period_start, date(2026, 4, 1));
            (i.indicator, i.value1, i.value2)
        })
        .collect();
    out.sort();
    out
}

fn e(code: &str, v1: i64, v2: i64) -> (String, i64, i64) {
    (code.to_string(), v1, v2)
}

#[test]
fn an_answered_consultation_counts_once() {
    let def = shipped("form1-enterprise-service");
    let fact = outcome(
        ItemKind::Consultation,
        OutcomeCode::Answered,
        Category::HousingLease,
    );
    assert_eq!(effects(&def, &fact), [e("consultations", 1, 0)]);
    let check = outcome(
        ItemKind::Consultation,
        OutcomeCode::Answered,
        Category::EnterpriseHealthCheck,
    );
    assert_eq!(
        effects(&def, &check),
        [e("consultations", 1, 0), e("risk_notices", 1, 0)]
    );
    let aid = outcome(
        ItemKind::Consultation,
        OutcomeCode::ReferredLegalAid,
        Category::Other,
    );
    assert_eq!(
        effects(&def, &aid),
        [e("consultations", 1, 0), e("legal_aid_cases", 1, 0)]
    );
}

#[test]
fn a_mediation_agreement_adds_the_settled_amount_and_labour_counts_apart() {
    let def = shipped("form1-enterprise-service");
    let mut fact = outcome(
        ItemKind::Mediation,
        OutcomeCode::Agreement,
        Category::HousingLease,
    );
    fact.settled_fen = 1_234_500;
    // A dispute between people (neighbours): mediated, but no enterprise's loss.
    assert_eq!(effects(&def, &fact), [e("disputes_mediated", 1, 0)]);
    fact.enterprise_party = true;
    assert_eq!(
        effects(&def, &fact),
        [e("disputes_mediated", 1, 0), e("losses_recovered", 1_234_500, 0)]
    );

    let mut wages = outcome(
        ItemKind::Mediation,
        OutcomeCode::PartialAgreement,
        Category::Wages,
    );
    wages.settled_fen = 50_000;
    wages.enterprise_party = true;
    assert_eq!(
        effects(&def, &wages),
        [
            e("disputes_mediated", 1, 0),
            e("labour_disputes", 1, 0),
            e("losses_recovered", 50_000, 0)
        ]
    );
    // No agreement: nothing to report.
    let failed = outcome(ItemKind::Mediation, OutcomeCode::NoAgreement, Category::Wages);
    assert_eq!(effects(&def, &failed), []);
}

#[test]
fn a_completed_pro_bono_request_adds_the_fee_waived_on_form2() {
    let def = shipped("form2-legal-aid");
    let mut fact = outcome(ItemKind::ProBono, OutcomeCode::Completed, Category::Epidemic);
    fact.green_channel = true;
    fact.fee_waived_fen = 300_000;
    assert_eq!(
        effects(&def, &fact),
        [e("fees_waived", 300_000, 0), e("legal_aid_cases", 1, 0)]
    );
    // A waived fee of zero adds the case, not an empty money increment.
    fact.fee_waived_fen = 0;
    assert_eq!(effects(&def, &fact), [e("legal_aid_cases", 1, 0)]);
}

#[test]
fn activities_count_into_their_indicator_with_a_second_value_on_two_valued_rows() {
    let def = shipped("form1-enterprise-service");
    let visit = RecordFact {
        indicator: Some("enterprises_visited".into()),
        count: 3,
        count2: 9, // ignored: a one-valued row
        ..blank(RecordKind::Activity)
    };
    assert_eq!(effects(&def, &visit), [e("enterprises_visited", 3, 0)]);
    let training = RecordFact {
        indicator: Some("trainings".into()),
        count: 1,
        count2: 45,
        ..blank(RecordKind::Activity)
    };
    assert_eq!(effects(&def, &training), [e("trainings", 1, 45)]);
    // Not an activity indicator of this form: nothing.
    let stray = RecordFact {
        indicator: Some("volunteers_registered".into()),
        count: 2,
        ..blank(RecordKind::Activity)
    };
    assert_eq!(effects(&def, &stray), []);
}

#[test]
fn hours_are_minutes_under_the_hours_keys() {
    let def = shipped("form1-enterprise-service");
    let session = RecordFact {
        minutes: 90,
        activity: Some(TimeActivity::Session),
        ..blank(RecordKind::TimeEntry)
    };
    assert_eq!(effects(&def, &session), [e("hours_total", 90, 0)]);
    let green = RecordFact {
        green_channel: true,
        ..session.clone()
    };
    assert_eq!(
        effects(&def, &green),
        [e("hours_green_channel", 90, 0), e("hours_total", 90, 0)]
    );
    let duty = RecordFact {
        minutes: 240,
        activity: Some(TimeActivity::Duty),
        ..blank(RecordKind::TimeEntry)
    };
    assert_eq!(
        effects(&def, &duty),
        [e("hours_duty", 240, 0), e("hours_total", 240, 0)]
    );
}

#[test]
fn records_outside_the_campaign_dates_count_nowhere() {
    let def = shipped("form1-enterprise-service");
    let mut fact = outcome(ItemKind::Consultation, OutcomeCode::Answered, Category::Other);
    // 23:00 on 28 February in Beijing: the day before the campaign starts.
    fact.occurred_at = at("2026-02-28T15:00:00Z");
    assert!(contributions(&def, &fact).is_empty());
    // An hour later it is 1 March in Beijing.
    fact.occurred_at = at("2026-02-28T16:00:00Z");
    assert_eq!(contributions(&def, &fact)[0].period_start, date(2026, 3, 1));
}

#[test]
fn recompute_sums_per_period_profession_unit_and_indicator() {
    let def = shipped("form1-enterprise-service");
    let mut facts = Vec::new();
    for (profession, unit) in [
        (Profession::Lawyer, 1),
        (Profession::Lawyer, 1),
        (Profession::Notary, 2),
    ] {
        facts.push(RecordFact {
            profession,
            unit_id: unit,
            ..outcome(ItemKind::Consultation, OutcomeCode::Answered, Category::Other)
        });
    }
    let mut late = outcome(ItemKind::Consultation, OutcomeCode::Answered, Category::Other);
    late.occurred_at = at("2026-04-15T16:10:00Z"); // 16 April in Beijing
    facts.push(late);
    facts.push(RecordFact {
        indicator: Some("trainings".into()),
        count: 1,
        count2: 30,
        ..blank(RecordKind::Activity)
    });
    facts.push(RecordFact {
        indicator: Some("trainings".into()),
        count: 2,
        count2: 12,
        ..blank(RecordKind::Activity)
    });

    let sums = recompute(&def, &facts);
    let get = |start, prof: Profession, unit, code: &str| {
        sums.iter()
            .find(|(k, _)| {
                k.period_start == start
                    && k.profession == prof.as_str()
                    && k.unit_id == unit
                    && k.indicator == code
            })
            .map(|(_, v)| *v)
    };
    assert_eq!(
        get(date(2026, 4, 1), Profession::Lawyer, 1, "consultations"),
        Some((2, 0))
    );
    assert_eq!(
        get(date(2026, 4, 1), Profession::Notary, 2, "consultations"),
        Some((1, 0))
    );
    assert_eq!(
        get(date(2026, 4, 16), Profession::Lawyer, 1, "consultations"),
        Some((1, 0))
    );
    assert_eq!(
        get(date(2026, 4, 1), Profession::Lawyer, 1, "trainings"),
        Some((3, 42))
    );
    assert_eq!(sums.len(), 4);
}

/// A seeded random workload on Form 1, checked against totals counted by
/// hand from the raw facts: what the bureau would count with a tally sheet.
#[test]
fn a_random_workload_adds_up_as_counted_by_hand() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use std::collections::BTreeMap;

    let def = shipped("form1-enterprise-service");
    let mut rng = StdRng::seed_from_u64(20260401);
    let start = at("2026-03-01T00:00:00Z");
    let mut facts = Vec::new();
    for _ in 0..2_000 {
        let kind = ItemKind::ALL[rng.random_range(0..3)];
        let codes = OutcomeCode::for_kind(kind);
        let code = codes[rng.random_range(0..codes.len())];
        let category = Category::ALL[rng.random_range(0..Category::ALL.len())];
        let mut fact = outcome(kind, code, category);
        fact.profession = Profession::ALL[rng.random_range(0..3)];
        fact.unit_id = rng.random_range(1..4);
        fact.occurred_at = start + rng.random_range(0..90 * 86_400_000);
        if kind == ItemKind::Mediation && code.takes_settled_amount() {
            fact.settled_fen = rng.random_range(0..10_000_000);
        }
        fact.enterprise_party = rng.random_range(0..2) == 0;
        facts.push(fact);
    }
    let sums = recompute(&def, &facts);

    // By hand: per Beijing half-month, per indicator, over everyone.
    let mut tally: BTreeMap<(jiff::civil::Date, &str), i64> = BTreeMap::new();
    // Beijing time is UTC+8 all year (no daylight saving since 1991).
    const EIGHT_HOURS: i64 = 8 * 3_600_000;
    for f in &facts {
        let shifted = Timestamp::from_millisecond(f.occurred_at + EIGHT_HOURS).unwrap();
        let day = jiff::tz::TimeZone::UTC.to_datetime(shifted).date();
        let half = if day.day() <= 15 {
            day.first_of_month()
        } else {
            day.with().day(16).build().unwrap()
        };
        let mut add = |code, v| *tally.entry((half, code)).or_default() += v;
        let agreed = matches!(
            f.code,
            Some(OutcomeCode::Agreement | OutcomeCode::PartialAgreement)
        );
        match f.kind {
            Some(ItemKind::Consultation) => add("consultations", 1),
            Some(ItemKind::Mediation) if agreed => {
                add("disputes_mediated", 1);
                if f.enterprise_party {
                    add("losses_recovered", f.settled_fen);
                }
                if f.category.is_some_and(|c| c.is_labour()) {
                    add("labour_disputes", 1);
                }
            }
            _ => {}
        }
    }
    let mut from_rules: BTreeMap<(jiff::civil::Date, &str), i64> = BTreeMap::new();
    for (key, (v1, _)) in &sums {
        let code = [
            "consultations",
            "disputes_mediated",
            "losses_recovered",
            "labour_disputes",
        ]
        .into_iter()
        .find(|c| *c == key.indicator);
        if let Some(code) = code {
            *from_rules.entry((key.period_start, code)).or_default() += v1;
        }
    }
    from_rules.retain(|_, v| *v != 0);
    tally.retain(|_, v| *v != 0);
    assert_eq!(from_rules, tally);
    assert!(tally.len() > 20, "the workload spans several half-months");

    // The order records arrive in does not matter.
    let mut shuffled = facts.clone();
    shuffled.reverse();
    assert_eq!(recompute(&def, &shuffled), sums);
}

#[test]
fn form2_counts_answered_tickets_by_the_channel_they_came_in() {
    use dutydesk::domain::Channel;
    let def = shipped("form2-legal-aid");
    let answered = |channel| RecordFact {
        channel: Some(channel),
        ..outcome(ItemKind::Consultation, OutcomeCode::Answered, Category::Wages)
    };
    assert_eq!(
        effects(&def, &answered(Channel::WalkIn)),
        [e("walk_in_consultations", 1, 0)]
    );
    for remote in [
        Channel::Hotline,
        Channel::Online,
        Channel::Wechat,
        Channel::Letter,
    ] {
        assert_eq!(
            effects(&def, &answered(remote)),
            [e("remote_consultations", 1, 0)],
            "{remote:?}"
        );
    }
    // Referred to legal aid: a legal aid case, not an answered consultation.
    let referred = RecordFact {
        channel: Some(Channel::WalkIn),
        ..outcome(
            ItemKind::Consultation,
            OutcomeCode::ReferredLegalAid,
            Category::Wages,
        )
    };
    assert_eq!(effects(&def, &referred), [e("legal_aid_cases", 1, 0)]);
}

#[test]
fn rules_filter_on_channel_and_enterprise_party_and_caps_are_checked() {
    use dutydesk::domain::campaign::parse_definition;
    let base = r#"id = "t"
name_zh = "t"
name_en = "t"
starts_on = "2026-03-01"
ends_on = "2026-12-31"
cadence = "monthly"
deadline_day = 23

[[indicators]]
code = "n"
name_zh = "n"
name_en = "n"
unit_zh = "件"
unit_en = "cases"
"#;
    let with = |extra: &str| parse_definition(&format!("{base}{extra}"));
    let ok = with(
        "\n[[rules]]\non = \"outcome\"\nchannels = [\"walk_in\", \"letter\"]\nenterprise_party = false\neffects = [\"n += 1\"]\n",
    );
    assert!(ok.is_ok(), "{ok:?}");
    let err =
        with("\n[[rules]]\non = \"outcome\"\nchannels = [\"fax\"]\neffects = [\"n += 1\"]\n").unwrap_err();
    assert!(err.line.is_some() && err.message.contains("fax"), "{err}");
    let err =
        with("\n[[rules]]\non = \"activity\"\nindicators = [\"n\"]\nchannels = [\"walk_in\"]\n").unwrap_err();
    assert!(err.message.contains("only `indicators`"), "{err}");
    let capped =
        parse_definition(&base.replace("unit_en = \"cases\"", "unit_en = \"cases\"\nmax_count = 50"))
            .unwrap();
    assert_eq!(capped.indicator("n").unwrap().max_count(), 50);
    let err = parse_definition(&base.replace("unit_en = \"cases\"", "unit_en = \"cases\"\nmax_count = 0"))
        .unwrap_err();
    assert_eq!(err.line, Some(9), "{err}");
    assert!(err.message.contains("max_count"), "{err}");
}
