use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use dutydesk::api::stats::PeriodTotals;
use dutydesk::api::{StatsForm, StatsScope, UnitRef};
use dutydesk::domain::Profession;
use dutydesk::domain::campaign::parse_period;
use dutydesk::i18n::Language;
use dutydesk::report::{cell_text, render_csv, render_json, render_table, render_xlsx, wan_text};

use super::{golden, shipped};

/// Form 1 for the first half of April 2026, with a few of every kind of row.
fn sample_form() -> StatsForm {
    let def = shipped("form1-enterprise-service");
    let period = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    let mut totals = PeriodTotals::new();
    let mut put = |p: Profession, code: &str, v1: i64, v2: i64| {
        totals.insert((p, code.to_string()), (v1, v2));
    };
    put(Profession::Lawyer, "enterprises_visited", 12, 0);
    put(Profession::GrassrootsWorker, "enterprises_visited", 3, 0);
    put(Profession::Lawyer, "consultations", 128, 0);
    put(Profession::Notary, "consultations", 7, 0);
    put(Profession::Lawyer, "disputes_mediated", 5, 0);
    // 123,456.78 yuan and 2,000 yuan: 12.35 and 0.20 万元, 12.55 in total.
    put(Profession::Lawyer, "losses_recovered", 12_345_678, 0);
    put(Profession::GrassrootsWorker, "losses_recovered", 200_000, 0);
    put(Profession::Lawyer, "trainings", 2, 45);
    put(Profession::Notary, "trainings", 1, 20);
    put(Profession::Lawyer, "mass_incidents_prevented", 1, 30);
    put(Profession::Lawyer, "hours_total", 1_530, 0);
    put(Profession::Notary, "hours_total", 95, 0);
    put(Profession::Lawyer, "hours_green_channel", 240, 0);
    put(Profession::Lawyer, "hours_duty", 480, 0);
    let unit = UnitRef {
        id: 3,
        name: "江苏常州某某律师事务所".into(),
    };
    StatsForm::build(&def, &period, true, StatsScope::Unit, Some(unit), &totals)
}

#[test]
fn cells_read_as_on_the_paper_form() {
    let form = sample_form();
    let row = |code: &str| form.rows.iter().find(|r| r.indicator == code).unwrap();
    let losses = row("losses_recovered");
    assert_eq!(cell_text(losses, &losses.cells[0]), "12.35");
    assert_eq!(cell_text(losses, &losses.total), "12.55");
    let trainings = row("trainings");
    assert_eq!(cell_text(trainings, &trainings.total), "3/65");
    assert_eq!(
        cell_text(row("consultations"), &row("consultations").total),
        "135"
    );
    assert_eq!(form.hours.total_minutes, 1_625);
    assert_eq!(form.period.deadline, "2026-04-16");
    assert_eq!(wan_text(4_999), "0.00");
    assert_eq!(wan_text(5_000), "0.01");
}

#[test]
fn table_aligns_chinese_by_display_width() {
    let table = render_table(&sample_form(), Language::ZhCn, "2026-04-16");
    golden("form1-2026-04-01.zh.txt", table.as_bytes());
    // Every numeric column ends at the same display column on every row.
    use unicode_width::UnicodeWidthStr;
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("走访企业") || l.starts_with("项目"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].width(), rows[1].width());
    let english = render_table(&sample_form(), Language::En, "2026-04-16");
    golden("form1-2026-04-01.en.txt", english.as_bytes());
}

#[test]
fn csv_has_a_bom_and_matches_its_golden_file() {
    let csv = render_csv(&sample_form(), Language::ZhCn).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    golden("form1-2026-04-01.zh.csv", &csv);
}

#[test]
fn json_round_trips() {
    let form = sample_form();
    let text = render_json(&form).unwrap();
    let back: StatsForm = serde_json::from_str(&text).unwrap();
    assert_eq!(back, form);
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn s(text: &str) -> Data {
    Data::String(text.to_string())
}

#[test]
fn xlsx_reproduces_the_paper_form_cell_by_cell() {
    let bytes = render_xlsx(&sample_form(), Language::ZhCn, "2026-04-16").unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["2026-04-01"]);
    let range = book.worksheet_range("2026-04-01").unwrap();

    assert_eq!(cell(&range, 0, 0), s("“双促双助”法律服务专项活动工作情况统计表"));
    assert_eq!(cell(&range, 1, 0), s("统计期间：2026-04-01 至 2026-04-15"));
    assert_eq!(cell(&range, 2, 0), s("填报单位：江苏常州某某律师事务所"));
    assert_eq!(cell(&range, 2, 1), s("填报日期：2026-04-16"));
    let header: Vec<Data> = (0..5).map(|c| cell(&range, 3, c)).collect();
    assert_eq!(
        header,
        [
            s("项目"),
            s("律师"),
            s("公证"),
            s("基层法律服务工作者"),
            s("累计")
        ]
    );

    // Row by row: the label with its unit, then lawyers, notaries, grassroots, total.
    let n = Data::Float;
    let expected: [(u32, &str, [Data; 4]); 6] = [
        (4, "走访企业（家）", [n(12.0), n(0.0), n(3.0), n(15.0)]),
        (5, "建立联系点（个）", [n(0.0), n(0.0), n(0.0), n(0.0)]),
        (8, "提供法律咨询（次）", [n(128.0), n(7.0), n(0.0), n(135.0)]),
        (
            16,
            "挽回企业经济损失（万元）",
            [n(12.35), n(0.0), n(0.2), n(12.55)],
        ),
        (
            18,
            "开展专项培训（次/人次）",
            [s("2/45"), s("1/20"), s("0/0"), s("3/65")],
        ),
        (
            19,
            "防止群体性事件（件数/人数）",
            [s("1/30"), s("0/0"), s("0/0"), s("1/30")],
        ),
    ];
    for (row, label, values) in expected {
        assert_eq!(cell(&range, row, 0), s(label), "row {row}");
        for (c, v) in values.iter().enumerate() {
            assert_eq!(
                &cell(&range, row, c as u32 + 1),
                v,
                "row {row} ({label}) column {}",
                c + 1
            );
        }
    }
    // Sixteen indicator rows (4..=19), then the hours in the total column.
    assert_eq!(cell(&range, 20, 0), s("工作时长（小时）"));
    assert_eq!(cell(&range, 20, 4), n(27.1));
    assert_eq!(cell(&range, 21, 4), n(4.0));
    assert_eq!(cell(&range, 22, 4), n(8.0));
    // Signed under the table: 填报人 and 联系电话 (left for the hand).
    assert_eq!(cell(&range, 24, 0), s("填报人："));
    assert_eq!(cell(&range, 24, 1), s("联系电话："));
    assert_eq!(cell(&range, 26, 0), s("注：本期报表请于 2026-04-16 前报送。"));
    assert_eq!(
        cell(&range, 27, 0),
        s("请于当月16日和次月1日报送区局律师工作管理科。")
    );
}

#[test]
fn xlsx_columns_are_wide_enough_for_chinese() {
    // The widest label, 参与社会矛盾纠纷调解（件）, is 26 display columns: the
    // sheet's first column must hold it. Read the width from the sheet XML.
    let widths = column_widths(&render_xlsx(&sample_form(), Language::ZhCn, "2026-04-16").unwrap());
    assert!(widths[0] >= 28.0, "{widths:?}");
    // 基层法律服务工作者: 18 columns wide.
    assert!(widths[3] >= 20.0, "{widths:?}");
    assert!(widths[1] < widths[3], "{widths:?}");
}

/// The `<col width=...>` values of the first sheet, in order.
fn column_widths(bytes: &[u8]) -> Vec<f64> {
    // An XLSX is a zip; calamine does not expose widths, so read the XML.
    let xml = sheet_xml(bytes);
    xml.split("<col ")
        .skip(1)
        .filter_map(|c| c.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect()
}

fn sheet_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name("xl/worksheets/sheet1.xml").unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).unwrap();
    text
}

#[test]
fn server_text_with_escape_sequences_never_reaches_the_terminal() {
    let mut form = sample_form();
    form.unit = Some(UnitRef {
        id: 3,
        name: "恶意\u{1b}[2J律所\r".into(),
    });
    form.rows[0].name_zh = "走访\u{1b}]0;pwned\u{7}企业".into();
    let table = render_table(&form, Language::ZhCn, "2026-04-16");
    assert!(!table.chars().any(|c| c.is_control() && c != '\n'), "{table:?}");
    // The whole sequence goes (the shared sanitizer, crate::text), not just ESC.
    assert!(table.contains("填报单位：恶意律所"), "{table}");
    assert!(!table.contains("pwned"), "{table}");
}

#[test]
fn every_format_renders_through_one_entry_point() {
    use dutydesk::report::Format;
    use dutydesk::report::render;
    let form = sample_form();
    let table = render(&form, Format::Table, Language::En, "2026-04-16").unwrap();
    assert!(
        String::from_utf8(table)
            .unwrap()
            .contains("Reporting date: 2026-04-16")
    );
    let csv = render(&form, Format::Csv, Language::ZhCn, "2026-04-16").unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let xlsx = render(&form, Format::Xlsx, Language::ZhCn, "2026-04-16").unwrap();
    assert!(xlsx.starts_with(b"PK"), "an XLSX is a zip file");
    let json = render(&form, Format::Json, Language::ZhCn, "2026-04-16").unwrap();
    let back: StatsForm = serde_json::from_slice(&json).unwrap();
    assert_eq!(back.rows.len(), 16);
}

#[test]
fn a_form_with_fewer_columns_still_counts_everyone_in_the_total() {
    let text = std::fs::read_to_string(super::repo_file("campaigns/form1-enterprise-service.toml"))
        .unwrap()
        .replace(
            "cadence = \"half-monthly\"",
            "cadence = \"half-monthly\"\ncolumns = [\"lawyer\"]",
        );
    let def = dutydesk::domain::campaign::parse_definition(&text).unwrap();
    let period = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    let mut totals = PeriodTotals::new();
    totals.insert((Profession::Lawyer, "consultations".into()), (4, 0));
    totals.insert((Profession::Notary, "consultations".into()), (3, 0));
    let form = StatsForm::build(&def, &period, true, StatsScope::All, None, &totals);
    let row = form.rows.iter().find(|r| r.indicator == "consultations").unwrap();
    assert_eq!(form.columns, [Profession::Lawyer]);
    assert_eq!(row.cells.len(), 1);
    assert_eq!((row.cells[0].value1, row.total.value1), (4, 7));
    let table = render_table(&form, Language::ZhCn, "2026-04-16");
    assert!(table.contains("填报单位：全部单位"), "{table}");
    let bytes = render_xlsx(&form, Language::ZhCn, "2026-04-16").unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("2026-04-01").unwrap();
    assert_eq!(cell(&range, 3, 2), s("累计"));
    assert_eq!(cell(&range, 8, 2), Data::Float(7.0));
}

#[test]
fn the_api_document_describes_the_stats_form() {
    let doc = dutydesk::api::openapi::document_json();
    for schema in [
        "StatsForm",
        "StatsRow",
        "StatsCell",
        "PeriodList",
        "PeriodInfo",
        "HoursSummary",
        "StatsScope",
    ] {
        assert!(
            doc.contains(&format!("\"{schema}\"")),
            "{schema} missing from the OpenAPI document"
        );
    }
}

#[test]
fn recorded_facts_become_a_unit_form_through_recompute() {
    use crate::period_totals::period_totals;
    use dutydesk::domain::campaign::{RecordFact, RecordKind, SHIPPED, parse_definition, recompute};
    use dutydesk::domain::{Category, ItemKind, OutcomeCode};

    // The built-in copies are the files in campaigns/.
    for (name, text) in SHIPPED {
        let on_disk = std::fs::read_to_string(super::repo_file(&format!("campaigns/{name}"))).unwrap();
        assert_eq!(on_disk, text, "{name}");
        parse_definition(text).unwrap();
    }
    let def = shipped("form1-enterprise-service");
    let mut mediation = super::rules::outcome(ItemKind::Mediation, OutcomeCode::Agreement, Category::Wages);
    mediation.settled_fen = 8_000_000; // 80,000 yuan = 8.00 万元
    mediation.enterprise_party = true;
    let other_unit = RecordFact {
        unit_id: 2,
        ..mediation.clone()
    };
    let notary = RecordFact {
        profession: Profession::Notary,
        ..super::rules::outcome(ItemKind::Consultation, OutcomeCode::Answered, Category::Other)
    };
    let training = RecordFact {
        indicator: Some("trainings".into()),
        count: 1,
        count2: 25,
        ..super::rules::blank(RecordKind::Activity)
    };
    let cells = recompute(&def, &[mediation, other_unit, notary, training]);
    let period = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    let unit = UnitRef {
        id: 1,
        name: "一号所".into(),
    };
    let form = StatsForm::build(
        &def,
        &period,
        false,
        StatsScope::Unit,
        Some(unit),
        &period_totals(&cells, &period, Some(1)),
    );
    let csv = String::from_utf8(render_csv(&form, Language::ZhCn).unwrap()).unwrap();
    assert!(
        csv.contains("\n挽回企业经济损失（万元）,8.00,,0.00,,0.00,,8.00,\n"),
        "{csv}"
    );
    assert!(csv.contains("\n调处劳资纠纷（件）,1,,0,,0,,1,\n"), "{csv}");
    assert!(csv.contains("\n提供法律咨询（次）,0,,1,,0,,1,\n"), "{csv}");
    // 次 and 人次 in columns of their own: `1/25` would open as a date.
    assert!(
        csv.contains("\n开展专项培训（次/人次）,1,25,0,0,0,0,1,25\n"),
        "{csv}"
    );
    let all = StatsForm::build(
        &def,
        &period,
        false,
        StatsScope::All,
        None,
        &period_totals(&cells, &period, None),
    );
    let losses = all
        .rows
        .iter()
        .find(|r| r.indicator == "losses_recovered")
        .unwrap();
    assert_eq!(losses.total.value1, 16_000_000);
}

#[test]
fn the_stats_query_reads_as_the_url_writes_it() {
    use dutydesk::api::StatsQuery;
    use dutydesk::api::paths::{CAMPAIGN_PERIODS, CAMPAIGN_STATS};
    let q: StatsQuery =
        serde_json::from_value(serde_json::json!({"period": "2026-04-01..2026-04-15", "scope": "unit"}))
            .unwrap();
    assert_eq!(q.scope, Some(StatsScope::Unit));
    assert_eq!(q.unit, None);
    assert!(serde_json::from_value::<StatsQuery>(serde_json::json!({"scope": "bureau"})).is_err());
    assert_eq!(
        dutydesk::api::paths::with_id(CAMPAIGN_STATS, "form2-legal-aid"),
        "/api/v1/campaigns/form2-legal-aid/stats"
    );
    assert!(CAMPAIGN_PERIODS.starts_with(dutydesk::api::paths::CAMPAIGNS));
}

#[test]
fn write_replaces_the_output_file_whole() {
    use dutydesk::report::Format;
    use dutydesk::report::write;
    let form = sample_form();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("form1.csv");
    std::fs::write(&out, "an older, longer report that must not survive in part").unwrap();
    write(&form, Format::Csv, Language::ZhCn, Some(&out)).unwrap();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        render_csv(&form, Language::ZhCn).unwrap()
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no partial file left behind: {names:?}");

    // An XLSX that opens as a workbook with the form's title.
    let xlsx = dir.path().join("form1.xlsx");
    write(&form, Format::Xlsx, Language::ZhCn, Some(&xlsx)).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = book.worksheet_range("2026-04-01").unwrap();
    assert_eq!(cell(&range, 0, 0), s(&form.campaign_name_zh));

    // A folder that does not exist: a message naming the file, nothing written.
    let missing = dir.path().join("no-such-dir").join("form1.csv");
    let err = write(&form, Format::Csv, Language::En, Some(&missing))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("could not write") && err.contains("no-such-dir"),
        "{err}"
    );
}
