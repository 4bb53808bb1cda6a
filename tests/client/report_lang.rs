//! `dutydesk report` against the real server writes the form in the
//! campaign's own language, whatever the user's: on a shared server with
//! `LANG=C.UTF-8` the bureau still gets its Chinese form.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::support::Home;
use crate::with_server::{login, run, spawn_server, text};

fn plain_c_locale(home: &Home) -> assert_cmd::Command {
    let mut c = home.cmd();
    c.env_remove("DUTYDESK_LANG").env("LANG", "C.UTF-8");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_lang_c_the_form_is_in_chinese_and_names_the_unit() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let mut c = home.cmd();
    c.args(["whoami", "--json"]);
    let me: serde_json::Value = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let unit = me["user"]["unit"]["name"]
        .as_str()
        .or_else(|| me["unit"]["name"].as_str())
        .unwrap_or_else(|| panic!("whoami names the unit: {me}"))
        .to_string();

    let mut c = plain_c_locale(&home);
    c.args([
        "report",
        "--campaign",
        "form1-enterprise-service",
        "--format",
        "csv",
    ]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("走访企业"), "{csv}");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert!(rows.iter().flatten().all(|c| !c.starts_with('=')), "{rows:?}");
    let training = rows
        .iter()
        .find(|r| r[0].starts_with("开展专项培训"))
        .expect("the training row");
    assert!(
        training[1..]
            .iter()
            .all(|v| v.is_empty() || v.parse::<i64>().is_ok()),
        "次 and 人次 as separate numbers: {training:?}"
    );
    // Messages stay in the user's language.
    let messages = text(&out.stderr);
    assert!(
        !messages.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{messages}"
    );

    let xlsx = home.tmp.path().join("form1.xlsx");
    let mut c = plain_c_locale(&home);
    c.args([
        "report",
        "--campaign",
        "form1-enterprise-service",
        "--format",
        "xlsx",
        "--output",
    ])
    .arg(&xlsx);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let texts: Vec<String> = range
        .cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&format!("填报单位：{unit}")), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("填报人：") && t.len() > "填报人：".len()),
        "{texts:?}"
    );

    // `--lang` on the command line asks for another language.
    let mut c = plain_c_locale(&home);
    c.args([
        "--lang",
        "en",
        "report",
        "--campaign",
        "form1-enterprise-service",
        "--format",
        "csv",
    ]);
    let out = run(c).await;
    assert!(
        text(&out.stdout).contains("Enterprises visited"),
        "{}",
        text(&out.stdout)
    );
}
