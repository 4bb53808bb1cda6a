use dutydesk::domain::Profession;
use dutydesk::domain::campaign::{Cadence, parse_definition};

use super::shipped;

#[test]
fn form1_has_the_sixteen_rows_of_the_paper_form() {
    let def = shipped("form1-enterprise-service");
    assert_eq!(def.cadence, Cadence::HalfMonthly);
    assert_eq!(def.indicators.len(), 16);
    assert_eq!(def.columns, Profession::ALL.to_vec());
    assert_eq!(def.timezone_name, "Asia/Shanghai");
    let names: Vec<&str> = def.indicators.iter().map(|i| i.name_zh.as_str()).collect();
    assert_eq!(names[0], "走访企业");
    assert_eq!(names[15], "防止群体性事件");
    let losses = def.indicator("losses_recovered").unwrap();
    assert!(losses.money && losses.unit_zh == "万元");
    let trainings = def.indicator("trainings").unwrap();
    assert_eq!(trainings.unit2_zh.as_deref(), Some("人次"));
}

#[test]
fn form2_is_monthly_due_the_23rd_with_two_money_rows() {
    let def = shipped("form2-legal-aid");
    assert_eq!(def.cadence, Cadence::Monthly { deadline_day: 23 });
    let money: Vec<&str> = def
        .indicators
        .iter()
        .filter(|i| i.money)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(money, ["losses_recovered", "fees_waived"]);
    let two: Vec<&str> = def
        .indicators
        .iter()
        .filter(|i| i.two_valued())
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(two, ["petition_reception", "group_aid_cases"]);
}

const HEAD: &str = r#"id = "t"
name_zh = "测试"
name_en = "Test"
starts_on = "2026-01-01"
ends_on = "2026-12-31"
cadence = "half-monthly"

[[indicators]]
code = "consultations"
name_zh = "提供法律咨询"
name_en = "Consultations"
unit_zh = "次"
unit_en = "times"

[[indicators]]
code = "losses_recovered"
name_zh = "挽回经济损失"
name_en = "Losses recovered"
unit_zh = "万元"
unit_en = "10k CNY"
money = true
"#;

/// Parses HEAD plus `tail` and returns the refusal, which must exist.
fn refusal(tail: &str) -> (Option<usize>, String) {
    let text = format!("{HEAD}{tail}");
    let err = parse_definition(&text).expect_err("a bad definition was accepted");
    (err.line, err.to_string())
}

/// HEAD is 21 lines; `tail` starts with a blank line, so its `[[rules]]` is on 23.
const RULE_LINE: usize = 23;

#[test]
fn a_valid_head_parses_with_the_default_zone() {
    let def = parse_definition(HEAD).unwrap();
    assert_eq!(def.timezone_name, "Asia/Shanghai");
    assert_eq!(HEAD.lines().count(), 21);
}

#[test]
fn unknown_indicator_is_refused_with_its_line() {
    let (line, msg) = refusal("\n[[rules]]\non = \"outcome\"\neffects = [\"visits += 1\"]\n");
    assert_eq!(line, Some(RULE_LINE), "{msg}");
    assert!(msg.contains("unknown indicator “visits”"), "{msg}");
    assert!(msg.starts_with(&format!("line {RULE_LINE}: ")), "{msg}");
}

#[test]
fn unknown_outcome_code_is_refused_with_its_line() {
    let (line, msg) =
        refusal("\n[[rules]]\non = \"outcome\"\ncodes = [\"settled\"]\neffects = [\"consultations += 1\"]\n");
    assert_eq!(line, Some(RULE_LINE + 2), "{msg}");
    assert!(msg.contains("settled"), "{msg}");
}

#[test]
fn money_into_a_count_row_is_refused() {
    let (line, msg) = refusal(
        "\n[[rules]]\non = \"outcome\"\nkind = \"mediation\"\neffects = [\"consultations += settled_amount\"]\n",
    );
    assert_eq!(line, Some(RULE_LINE), "{msg}");
    assert!(msg.contains("not a money row"), "{msg}");
}

#[test]
fn a_count_into_a_money_row_is_refused() {
    let (_, msg) = refusal("\n[[rules]]\non = \"outcome\"\neffects = [\"losses_recovered += 1\"]\n");
    assert!(msg.contains("is a money row"), "{msg}");
}

#[test]
fn a_code_of_another_kind_is_refused() {
    let (_, msg) = refusal(
        "\n[[rules]]\non = \"outcome\"\nkind = \"consultation\"\ncodes = [\"agreement\"]\neffects = [\"consultations += 1\"]\n",
    );
    assert!(
        msg.contains("“agreement” is not an outcome of a consultation item"),
        "{msg}"
    );
}

#[test]
fn other_mistakes_are_refused_with_reasons() {
    let cases = [
        (
            "\n[[rules]]\non = \"outcome\"\ncategory = \"food\"\neffects = [\"consultations += 1\"]\n",
            "unknown category",
        ),
        ("\n[[rules]]\non = \"outcome\"\n", "at least one effect"),
        (
            "\n[[rules]]\non = \"visit\"\neffects = [\"consultations += 1\"]\n",
            "unknown rule",
        ),
        (
            "\n[[rules]]\non = \"activity\"\nindicators = [\"losses_recovered\"]\n",
            "money row",
        ),
        (
            "\n[[rules]]\non = \"time\"\neffects = [\"consultations += minutes\"]\n",
            "hours_total",
        ),
        (
            "\n[[rules]]\non = \"outcome\"\neffects = [\"consultations = 1\"]\n",
            "indicator += amount",
        ),
        (
            "\n[[rules]]\non = \"outcome\"\neffects = [\"consultations += -2\"]\n",
            "positive whole number",
        ),
        ("\n[[rules]]\non = \"outcome\"\nkinds = \"mediation\"\n", "kinds"),
    ];
    for (tail, reason) in cases {
        let (line, msg) = refusal(tail);
        assert!(line.is_some_and(|l| l >= RULE_LINE), "{tail}: {msg}");
        assert!(msg.contains(reason), "{tail}: expected “{reason}” in {msg}");
    }
}

#[test]
fn head_mistakes_name_their_line() {
    let bad_date = HEAD.replace("ends_on = \"2026-12-31\"", "ends_on = \"2026-13-01\"");
    let err = parse_definition(&bad_date).unwrap_err();
    assert_eq!(err.line, Some(5));
    assert!(err.message.contains("YYYY-MM-DD"), "{err}");

    let monthly = HEAD.replace(
        "cadence = \"half-monthly\"",
        "cadence = \"monthly\"\ndeadline_day = 31",
    );
    let err = parse_definition(&monthly).unwrap_err();
    assert_eq!(err.line, Some(7));
    assert!(err.message.contains("between 1 and 28"), "{err}");

    let zone = HEAD.replace("cadence =", "timezone = \"Mars/Olympus\"\ncadence =");
    let err = parse_definition(&zone).unwrap_err();
    assert_eq!(err.line, Some(6));
    assert!(err.message.contains("Mars/Olympus"), "{err}");

    let syntax = HEAD.replace("name_en = \"Test\"", "name_en = Test");
    let err = parse_definition(&syntax).unwrap_err();
    assert_eq!(err.line, Some(3), "{err}");
}

#[test]
fn repeated_indicator_is_refused() {
    let text = format!(
        "{HEAD}\n[[indicators]]\ncode = \"consultations\"\nname_zh = \"x\"\nname_en = \"x\"\nunit_zh = \"次\"\nunit_en = \"t\"\n"
    );
    let err = parse_definition(&text).unwrap_err();
    assert_eq!(err.line, Some(23), "{err}");
    assert!(err.message.contains("repeated"), "{err}");
}

#[test]
fn a_definition_becomes_the_campaign_clients_list() {
    use dutydesk::api::{Cadence as WireCadence, Campaign};
    let form2 = Campaign::from(&shipped("form2-legal-aid"));
    assert_eq!(form2.cadence, WireCadence::Monthly);
    assert_eq!(form2.deadline_day, Some(23));
    assert_eq!(form2.starts_on, "2026-03-01");
    let fees = form2.indicators.iter().find(|i| i.code == "fees_waived").unwrap();
    assert!(fees.money && fees.unit_zh == "万元");
    let form1 = Campaign::from(&shipped("form1-enterprise-service"));
    assert_eq!(
        (form1.cadence, form1.deadline_day),
        (WireCadence::HalfMonthly, None)
    );
    assert_eq!(form1.indicators.len(), 16);
}
