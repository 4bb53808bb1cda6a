//! Who may read which statistics, the periods endpoint, bad queries, and
//! `admin campaign import` / `admin stats rebuild` as an admin runs them.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use dutydesk::domain::campaign::SHIPPED;
use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, json as body, problem};

const FORM1: &str = "/api/v1/campaigns/form1-enterprise-service";
const FORM2: &str = "/api/v1/campaigns/form2-legal-aid";
/// A period of form 1 (half-monthly).
const P: &str = "period=2026-04-01..2026-04-15";

fn today_in_beijing() -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    tz.to_datetime(jiff::Timestamp::now()).date()
}

async fn status(ctx: &Ctx, token: &str, query: &str) -> u16 {
    ctx.get(token, &format!("{FORM1}/stats?{P}&{query}"))
        .await
        .status()
        .as_u16()
}

async fn authorization_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let coordinator = ctx.login("coordinator").await;
    let operator = ctx.login("operator").await;
    let admin = ctx.login("admin").await;
    let my_unit = body(ctx.get(&lawyer, "/api/v1/me").await, 200).await["unit"]["id"]
        .as_i64()
        .unwrap();
    let other = if my_unit == 1 { 2 } else { 1 };

    // Lawyers: their own work and their unit; by default their own work.
    let f = body(ctx.get(&lawyer, &format!("{FORM1}/stats?{P}")).await, 200).await;
    assert_eq!(f["scope"], "me");
    assert_eq!(status(ctx, &lawyer, "scope=me").await, 200);
    let f = body(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&scope=unit")).await,
        200,
    )
    .await;
    assert_eq!(f["unit"]["id"], my_unit, "the form names the reporting unit");
    assert_eq!(
        status(ctx, &lawyer, &format!("scope=unit&unit={my_unit}")).await,
        200
    );
    problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&scope=all")).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&scope=unit&unit={other}"))
            .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&unit={other}")).await,
        403,
        "forbidden",
    )
    .await;

    // Coordinators: their unit only, and that by default.
    let f = body(ctx.get(&coordinator, &format!("{FORM1}/stats?{P}")).await, 200).await;
    assert_eq!(f["scope"], "unit");
    problem(
        ctx.get(&coordinator, &format!("{FORM1}/stats?{P}&scope=me"))
            .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        ctx.get(&coordinator, &format!("{FORM1}/stats?{P}&scope=all"))
            .await,
        403,
        "forbidden",
    )
    .await;

    // Room operators file no forms.
    problem(
        ctx.get(&operator, &format!("{FORM1}/stats?{P}")).await,
        403,
        "forbidden",
    )
    .await;

    // Admins: everything, any unit; an unknown unit is 404.
    let f = body(ctx.get(&admin, &format!("{FORM1}/stats?{P}")).await, 200).await;
    assert_eq!(f["scope"], "all");
    assert_eq!(
        status(ctx, &admin, &format!("scope=unit&unit={other}")).await,
        200
    );
    problem(
        ctx.get(&admin, &format!("{FORM1}/stats?{P}&unit=9999")).await,
        404,
        "not_found",
    )
    .await;

    // Without a token: 401; an unknown campaign: 404.
    let r = ctx
        .http
        .get(ctx.url(&format!("{FORM1}/stats")))
        .send()
        .await
        .unwrap();
    problem(r, 401, "unauthorized").await;
    problem(
        ctx.get(&admin, "/api/v1/campaigns/no-such/stats").await,
        404,
        "not_found",
    )
    .await;
    problem(
        ctx.get(&admin, "/api/v1/campaigns/no-such/periods").await,
        404,
        "not_found",
    )
    .await;
}
on_all_backends!(stats_authorization, authorization_case);

async fn bad_query_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let v = problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?period=April")).await,
        400,
        "invalid_parameter",
    )
    .await;
    let detail = v["detail"].as_str().unwrap();
    assert!(
        detail.contains("“April”") && detail.contains("YYYY-MM-DD..YYYY-MM-DD"),
        "{detail}"
    );
    // A month is not a period of a half-monthly form.
    let v = problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?period=2026-04-01..2026-04-30"))
            .await,
        400,
        "invalid_parameter",
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("16th"), "{v}");
    problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&scope=everyone"))
            .await,
        400,
        "invalid_parameter",
    )
    .await;
    problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&unit=abc")).await,
        400,
        "invalid_parameter",
    )
    .await;
    let v = problem(
        ctx.get(&lawyer, &format!("{FORM1}/stats?{P}&scope=me&unit=1"))
            .await,
        400,
        "invalid_parameter",
    )
    .await;
    assert!(v["detail"].as_str().unwrap().contains("scope=unit"), "{v}");
    // Without a period: the current one.
    let f = body(ctx.get(&lawyer, &format!("{FORM2}/stats")).await, 200).await;
    let today = today_in_beijing();
    let start: jiff::civil::Date = f["period"]["start"].as_str().unwrap().parse().unwrap();
    let end: jiff::civil::Date = f["period"]["end"].as_str().unwrap().parse().unwrap();
    assert!(start <= today && today <= end, "{f}");
}
on_all_backends!(stats_bad_queries, bad_query_case);

async fn periods_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let today = today_in_beijing();
    let v = body(ctx.get(&lawyer, &format!("{FORM1}/periods")).await, 200).await;
    let periods = v["periods"].as_array().unwrap();
    // March to December, two halves each.
    assert_eq!(periods.len(), 20);
    assert_eq!(
        periods[0],
        json!({"start": "2026-03-01", "end": "2026-03-15", "deadline": "2026-03-16",
               "open": today <= jiff::civil::date(2026, 3, 16), "due_by": periods[0]["due_by"]})
    );
    assert_eq!(periods[3]["start"], "2026-04-16");
    assert_eq!(periods[3]["end"], "2026-04-30");
    assert_eq!(periods[3]["deadline"], "2026-05-01");
    // The end of 2026-03-16 in Beijing is 16:00 UTC that day.
    assert_eq!(periods[0]["due_by"], 1_773_676_800_000_i64);
    for p in periods {
        let deadline: jiff::civil::Date = p["deadline"].as_str().unwrap().parse().unwrap();
        assert_eq!(p["open"], today <= deadline, "{p}");
    }
    let v = body(ctx.get(&lawyer, &format!("{FORM2}/periods")).await, 200).await;
    let periods = v["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 10);
    assert_eq!(periods[1]["start"], "2026-04-01");
    assert_eq!(periods[1]["end"], "2026-04-30");
    assert_eq!(
        periods[1]["deadline"], "2026-05-23",
        "monthly forms are due on the 23rd"
    );
}
on_all_backends!(stats_periods, periods_case);

fn dutydesk(lang: &str) -> Command {
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.env("DUTYDESK_LANG", lang).env("LANG", "C");
    c
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_refuses_bad_files_and_rebuild_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stats.db");
    let db = db.to_str().unwrap();
    let (ok, _, err) = run(dutydesk("en").args(["admin", "seed", "--demo", "--db", db]));
    assert!(ok, "{err}");

    // A rule naming an indicator the form does not have: refused with its line.
    let (_, form2) = SHIPPED[1];
    let bad = format!("{form2}\n[[rules]]\non = \"outcome\"\neffects = [\"visits += 1\"]\n");
    let line = form2.lines().count() + 2;
    let bad_path = dir.path().join("bad.toml");
    std::fs::write(&bad_path, &bad).unwrap();
    let bad_arg = bad_path.to_str().unwrap();
    let (ok, _, err) = run(dutydesk("en").args(["admin", "campaign", "import", "--db", db, bad_arg]));
    assert!(!ok);
    assert!(
        err.contains("bad.toml") && err.contains(&format!("line {line}:")),
        "{err}"
    );
    assert!(err.contains("visits") && err.contains("import again"), "{err}");
    let (ok, _, err) = run(dutydesk("zh-CN").args(["admin", "campaign", "import", "--db", db, bad_arg]));
    assert!(!ok);
    assert!(err.contains(&format!("第 {line} 行")), "{err}");
    let (ok, _, err) = run(dutydesk("en").args(["admin", "campaign", "import", "--db", db, "/no/such.toml"]));
    assert!(!ok && err.contains("cannot read /no/such.toml"), "{err}");

    // A fixed file goes in, and the campaign list shows the change.
    let good = form2.replacen("name_en = \"", "name_en = \"Revised: ", 1);
    let good_path = dir.path().join("good.toml");
    std::fs::write(&good_path, &good).unwrap();
    let (ok, out, err) = run(dutydesk("en").args([
        "admin",
        "campaign",
        "import",
        "--db",
        db,
        good_path.to_str().unwrap(),
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("Imported campaign form2-legal-aid"), "{out}");

    let (ok, out, err) = run(dutydesk("en").args(["admin", "stats", "rebuild", "--db", db]));
    assert!(ok, "{err}");
    assert!(
        out.contains("for 2 campaigns") && out.contains("0 changed"),
        "{out}"
    );
}
