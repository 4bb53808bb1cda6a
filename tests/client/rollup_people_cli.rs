//! From the command line, against the real server: a unit's coordinator's
//! `report --by-unit` with one row set per person (JSON `people`, a CSV
//! person column, an XLSX sheet per person read back with calamine), and
//! `dutydesk correct ID --outcome … --reason …` by the bureau, exit 2 with
//! the server's reason once the unit has handed the period's form in.

use calamine::{Data, Reader, Xlsx};
use dutydesk::api::StatsForm;

use crate::support::Home;
use crate::with_server::{campaigns_running, login, ok, open_consultation, run, spawn_server, text};

const FORM1: &str = "form1-enterprise-service";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_units_coordinator_reports_per_person() {
    if !campaigns_running() {
        return;
    }
    let server = spawn_server().await;
    let worker = Home::new();
    login(&worker, &server.url, "worker").await;
    ok(
        &worker,
        &["activity", "--indicator", "enterprises_visited", "--count", "3"],
    )
    .await;
    let office = Home::new();
    login(&office, &server.url, "coordinator").await;
    let out = ok(
        &office,
        &["report", "--campaign", FORM1, "--by-unit", "--format", "json"],
    )
    .await;
    let form: StatsForm = serde_json::from_slice(&out.stdout).unwrap();
    let person = form
        .people
        .iter()
        .find(|p| p.user.username == "worker")
        .unwrap_or_else(|| panic!("{}", text(&out.stdout)));
    let row = form
        .rows
        .iter()
        .position(|r| r.indicator == "enterprises_visited")
        .unwrap();
    let people_sum: i64 = form.people.iter().map(|p| p.rows[row].total.value1).sum();
    assert_eq!(
        people_sum, form.rows[row].total.value1,
        "a leaf unit: its people are its whole"
    );
    assert!(person.rows[row].total.value1 >= 3);

    // CSV: a person column after the unit's.
    let out = ok(
        &office,
        &["report", "--campaign", FORM1, "--by-unit", "--format", "csv"],
    )
    .await;
    let csv = text(&out.stdout);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .starts_with("单位,人员,"),
        "{csv}"
    );
    assert!(csv.contains("\n城关基层法律服务所,刘洋,走访企业"), "{csv}");

    // XLSX: one sheet per person, named 人员·name.
    let xlsx = office.tmp.path().join("office.xlsx");
    ok(
        &office,
        &[
            "report",
            "--campaign",
            FORM1,
            "--by-unit",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
    )
    .await;
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert!(
        book.sheet_names().contains(&"人员·刘洋".to_string()),
        "{:?}",
        book.sheet_names()
    );
    let sheet = book.worksheet_range("人员·刘洋").unwrap();
    let col = (form.columns.len() + 1) as u32;
    let value = match sheet.get_value((4 + row as u32, col)).unwrap() {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        other => panic!("{other:?}"),
    };
    assert_eq!(value, person.rows[row].total.value1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_corrects_an_outcome_until_the_form_is_handed_in() {
    if !campaigns_running() {
        return;
    }
    let server = spawn_server().await;
    let lawyer = Home::new();
    login(&lawyer, &server.url, "lawyer").await;
    let id = open_consultation(&lawyer).await.to_string();
    ok(&lawyer, &["log", &id, "--outcome", "answered"]).await;

    let bureau = Home::new();
    login(&bureau, &server.url, "bureau").await;
    let out = ok(
        &bureau,
        &[
            "correct",
            &id,
            "--outcome",
            "case_accepted",
            "--reason",
            "已委托代理",
        ],
    )
    .await;
    assert!(
        text(&out.stdout).contains("case_accepted"),
        "{}",
        text(&out.stdout)
    );
    let out = ok(&lawyer, &["show", &id, "--json"]).await;
    let detail: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    let last = detail.history.last().unwrap();
    assert_eq!(last.action, dutydesk::api::HistoryAction::OutcomeCorrected);
    assert!(last.note.contains("已委托代理"), "{}", last.note);

    // A lawyer may not correct: refused, not a usage error.
    let mut c = lawyer.cmd();
    c.args(["correct", &id, "--outcome", "answered", "--reason", "x"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));

    // The firm's form handed in (by an admin: the firm has no coordinator).
    let admin = Home::new();
    login(&admin, &server.url, "admin").await;
    ok(
        &admin,
        &[
            "submission",
            "submit",
            "--campaign",
            FORM1,
            "--unit",
            "1",
            "--filled-by",
            "管理员",
            "--phone",
            "029-1",
        ],
    )
    .await;
    let mut c = bureau.cmd();
    c.args(["correct", &id, "--outcome", "answered", "--reason", "再次更正"]);
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("handed in"), "{err}");
}
