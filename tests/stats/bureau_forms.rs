//! The forms as the bureau takes them: no CSV cell a spreadsheet runs as a
//! formula or reads as a date, and the reporting unit's name on a form that
//! counts one member's work.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use dutydesk::api::stats::{PeriodTotals, Reporter};
use dutydesk::api::{StatsForm, StatsScope, UnitRef};
use dutydesk::domain::Profession;
use dutydesk::domain::campaign::parse_period;
use dutydesk::i18n::Language;
use dutydesk::report::{render_csv, render_xlsx};

use super::shipped;

fn my_form() -> StatsForm {
    let def = shipped("form1-enterprise-service");
    let period = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    let mut totals = PeriodTotals::new();
    totals.insert((Profession::Lawyer, "trainings".into()), (1, 25));
    let mut form = StatsForm::build(&def, &period, true, StatsScope::Me, None, &totals);
    form.reporter = Some(Reporter {
        name: "王律师".into(),
        unit: UnitRef {
            id: 3,
            name: "明德律师事务所".into(),
        },
    });
    form
}

fn csv_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_cells_that_start_like_a_formula_are_quoted_every_one() {
    let mut form = my_form();
    let hostile = [
        "=HYPERLINK(\"http://x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
    ];
    for (row, text) in form.rows.iter_mut().zip(hostile) {
        row.name_zh = text.into();
        row.unit_zh = "件".into();
    }
    let cells = csv_cells(&render_csv(&form, Language::ZhCn).unwrap());
    for text in hostile {
        let label = format!("{text}（件）");
        assert!(
            cells.iter().any(|r| r[0] == format!("'{label}")),
            "{label:?} is quoted: {cells:?}"
        );
    }
    for cell in cells.iter().flatten() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a cell a spreadsheet would run: {cell:?}"
        );
    }
}

#[test]
fn csv_gives_each_value_of_a_two_valued_row_its_own_column() {
    let cells = csv_cells(&render_csv(&my_form(), Language::ZhCn).unwrap());
    let header = &cells[0];
    assert_eq!(header[1], "律师");
    assert_eq!(header[2], "律师（第二值）");
    let training = cells
        .iter()
        .find(|r| r[0] == "开展专项培训（次/人次）")
        .expect("the training row");
    assert_eq!((training[1].as_str(), training[2].as_str()), ("1", "25"));
    let total = header.iter().position(|h| h == "累计").unwrap();
    assert_eq!(
        (training[total].as_str(), training[total + 1].as_str()),
        ("1", "25")
    );
    assert!(
        cells
            .iter()
            .flatten()
            .all(|c| !c.contains('/') || c.contains('（')),
        "no `a/b` value a spreadsheet would read as a date: {cells:?}"
    );
}

#[test]
fn xlsx_names_the_unit_and_who_filed_it_on_a_members_form() {
    let bytes = render_xlsx(&my_form(), Language::ZhCn, "2026-04-16").unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let texts: Vec<String> = range
        .cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        texts.contains(&"填报单位：明德律师事务所".to_string()),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("本人")), "{texts:?}");
    assert!(texts.contains(&"填报人：王律师".to_string()), "{texts:?}");
    assert!(texts.contains(&"联系电话：".to_string()), "{texts:?}");
    assert!(texts.contains(&"填报日期：2026-04-16".to_string()), "{texts:?}");
}

#[test]
fn a_campaign_names_its_forms_language_or_gets_chinese() {
    assert_eq!(shipped("form1-enterprise-service").language, "zh-CN");
    let text = std::fs::read_to_string(super::repo_file("campaigns/form2-legal-aid.toml")).unwrap();
    let unnamed = text.replace("language = \"zh-CN\"\n", "");
    assert_eq!(
        dutydesk::domain::campaign::parse_definition(&unnamed)
            .unwrap()
            .language,
        "zh-CN"
    );
    let french = text.replace("language = \"zh-CN\"", "language = \"fr\"");
    let err = dutydesk::domain::campaign::parse_definition(&french).unwrap_err();
    assert!(
        err.message.contains("zh-CN or en") && err.line.is_some(),
        "{err:?}"
    );
}
