//! The bureau's roll-up from the command line, against the real server:
//! `report --by-unit` as JSON, CSV and an XLSX with a 汇总 sheet and one
//! sheet per unit (read back with calamine); `submission submit|return|
//! status`, a record in a handed-in period refused with exit 2 and the
//! reason, and the handed-in form's XLSX with its 填报人, 联系电话 and status.

use calamine::{Data, Reader, Xlsx};
use dutydesk::api::StatsForm;

use crate::support::Home;
use crate::with_server::{campaigns_running, login, ok, run, spawn_server, text};

const FORM1: &str = "form1-enterprise-service";

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => 0.0,
    }
}

/// Every text cell of a sheet.
fn texts(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_reports_by_unit_and_units_hand_their_forms_in() {
    if !campaigns_running() {
        return;
    }
    let server = spawn_server().await;
    // The grassroots office's worker logs something, so the roll-up is not empty.
    let worker = Home::new();
    login(&worker, &server.url, "worker").await;
    ok(
        &worker,
        &["activity", "--indicator", "enterprises_visited", "--count", "3"],
    )
    .await;

    let bureau = Home::new();
    login(&bureau, &server.url, "bureau").await;
    let out = ok(
        &bureau,
        &["report", "--campaign", FORM1, "--by-unit", "--format", "json"],
    )
    .await;
    let form: StatsForm = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(form.unit.as_ref().unwrap().name, "钟楼区司法局");
    assert_eq!(form.units.len(), 5, "one row set per unit under the bureau");
    for (i, row) in form.rows.iter().enumerate() {
        let sum: i64 = form.units.iter().map(|u| u.rows[i].total.value1).sum();
        assert_eq!(
            sum, row.total.value1,
            "{}: the units sum to the bureau",
            row.indicator
        );
    }
    let visited = form
        .rows
        .iter()
        .find(|r| r.indicator == "enterprises_visited")
        .unwrap();
    assert!(visited.total.value1 >= 3);

    // CSV: a unit column before the indicator.
    let out = ok(
        &bureau,
        &["report", "--campaign", FORM1, "--by-unit", "--format", "csv"],
    )
    .await;
    let csv = text(&out.stdout);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .starts_with("单位,"),
        "{csv}"
    );
    assert!(csv.contains("\n钟楼区司法局（汇总）,走访企业"), "{csv}");
    assert!(csv.contains("\n城关基层法律服务所,走访企业"), "{csv}");

    // XLSX: 汇总 first, then one sheet per unit; the summary's totals are the units' sums.
    let xlsx = bureau.tmp.path().join("bureau.xlsx");
    let xlsx_arg = xlsx.to_str().unwrap();
    ok(
        &bureau,
        &[
            "report",
            "--campaign",
            FORM1,
            "--by-unit",
            "--format",
            "xlsx",
            "--output",
            xlsx_arg,
        ],
    )
    .await;
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "汇总");
    assert_eq!(names.len(), 6, "{names:?}");
    for u in &form.units {
        assert!(names.contains(&u.unit.name), "{names:?}");
    }
    let summary = book.worksheet_range("汇总").unwrap();
    let total_col = (form.columns.len() + 1) as u32;
    let row = 4 + form
        .rows
        .iter()
        .position(|r| r.indicator == "enterprises_visited")
        .unwrap() as u32;
    let mut sum = 0.0;
    for u in &form.units {
        let sheet = book.worksheet_range(&u.unit.name).unwrap();
        sum += number(sheet.get_value((row, total_col)).unwrap());
    }
    assert_eq!(number(summary.get_value((row, total_col)).unwrap()), sum);
    assert_eq!(sum, visited.total.value1 as f64);

    // The office's coordinator hands its form in; the worker's next record is refused.
    let office = Home::new();
    login(&office, &server.url, "coordinator").await;
    ok(
        &office,
        &[
            "submission",
            "submit",
            "--campaign",
            FORM1,
            "--filled-by",
            "陈静",
            "--phone",
            "029-87654321",
        ],
    )
    .await;
    let mut c = worker.cmd();
    c.args(["activity", "--indicator", "enterprises_visited", "--count", "1"]);
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("handed in") && err.contains("钟楼区司法局"), "{err}");

    // The bureau sees it handed in, returns it; the office's record lands again.
    let out = ok(&bureau, &["submission", "status", "--campaign", FORM1]).await;
    assert!(
        text(&out.stdout).contains("2\t城关基层法律服务所\thanded in on time"),
        "{}",
        text(&out.stdout)
    );
    ok(
        &bureau,
        &[
            "submission",
            "return",
            "--campaign",
            FORM1,
            "--unit",
            "2",
            "--reason",
            "数字有误",
        ],
    )
    .await;
    ok(
        &worker,
        &["activity", "--indicator", "enterprises_visited", "--count", "1"],
    )
    .await;
    ok(
        &office,
        &[
            "submission",
            "submit",
            "--campaign",
            FORM1,
            "--filled-by",
            "陈静",
            "--phone",
            "029-87654321",
        ],
    )
    .await;

    // The deadlines, and where the bureau's units stand.
    let out = ok(&bureau, &["report", "--due"]).await;
    let due = text(&out.stdout);
    assert!(due.contains("due ") && due.contains(" left)"), "{due}");
    assert!(due.contains("2\t城关基层法律服务所\thanded in on time"), "{due}");
    assert!(due.contains("5\t正衡律师事务所\tnot yet handed in"), "{due}");

    // The handed-in form's XLSX carries its 填报人, 联系电话 and status.
    let mine = office.tmp.path().join("office.xlsx");
    ok(
        &office,
        &[
            "report",
            "--campaign",
            FORM1,
            "--scope",
            "unit",
            "--format",
            "xlsx",
            "--output",
            mine.to_str().unwrap(),
        ],
    )
    .await;
    let mut book: Xlsx<_> = calamine::open_workbook(&mine).unwrap();
    let first = book.sheet_names()[0].clone();
    let cells = texts(&book.worksheet_range(&first).unwrap());
    for want in ["填报人：陈静", "联系电话：029-87654321", "状态：已报送"] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_time_entry_is_withdrawn_once() {
    if !campaigns_running() {
        return;
    }
    let server = spawn_server().await;
    let lawyer = Home::new();
    login(&lawyer, &server.url, "lawyer").await;
    let id = crate::with_server::open_consultation(&lawyer).await;
    ok(
        &lawyer,
        &[
            "time",
            &id.to_string(),
            "--minutes",
            "37",
            "--activity",
            "session",
        ],
    )
    .await;
    let out = ok(&lawyer, &["show", &id.to_string(), "--json"]).await;
    let detail: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    let entry = detail.time_entries.iter().find(|e| e.minutes == 37).unwrap();
    let before: i64 = detail.time_entries.iter().map(|e| e.minutes).sum();
    let out = ok(&lawyer, &["withdraw", "time", &entry.id]).await;
    assert!(text(&out.stdout).contains("withdrawn"), "{}", text(&out.stdout));
    let out = ok(&lawyer, &["show", &id.to_string(), "--json"]).await;
    let detail: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    let total: i64 = detail.time_entries.iter().map(|e| e.minutes).sum::<i64>();
    assert!(
        detail.time_entries.iter().any(|e| e.minutes == -37),
        "the counter-record is listed"
    );
    assert_eq!(total, before - 37, "the item's minutes drop by exactly the entry");
    // Once only.
    let mut c = lawyer.cmd();
    c.args(["withdraw", "time", &entry.id]);
    let again = run(c).await;
    assert_ne!(again.status.code(), Some(0));
    assert!(
        text(&again.stderr).contains("withdrawn already"),
        "{}",
        text(&again.stderr)
    );
}
