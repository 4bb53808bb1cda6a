//! `dutydesk activity`, `time` and `log` refuse what the domain's record
//! checks refuse before anything is saved: exit 2, the outbox stays empty,
//! and the message is in the user's language with what to use instead.
//! Against the real reference server (its campaigns, the signed-in role).

use crate::support::Home;
use crate::with_server::{campaigns_running, login, open_consultation, run, spawn_server, text};

async fn outbox_len(home: &Home) -> usize {
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let out = run(c).await;
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    v.len()
}

/// Runs the command; asserts exit 2 and returns stderr.
async fn refused(home: &Home, args: &[&str]) -> String {
    let mut c = home.cmd();
    c.args(args);
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}{}", text(&out.stdout));
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_before_saving_with_the_rows_to_use() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;

    let err = refused(&home, &["activity", "--indicator", "foo", "--count", "1"]).await;
    assert!(err.contains("No running campaign counts this indicator"), "{err}");
    assert!(err.contains("“foo” is not counted from activities"), "{err}");
    if campaigns_running() {
        assert!(err.contains("enterprises_visited  Enterprises visited"), "{err}");
        assert!(
            !err.contains("walk_in_consultations"),
            "counted from tickets: {err}"
        );
    }
    // Counted from tickets, not typed in: the issue's own example.
    refused(
        &home,
        &["activity", "--indicator", "consultations", "--count", "5"],
    )
    .await;
    let zh = refused(
        &home,
        &[
            "--lang",
            "zh-CN",
            "activity",
            "--indicator",
            "foo",
            "--count",
            "1",
        ],
    )
    .await;
    assert!(zh.contains("没有进行中的专项活动按活动统计此项目"), "{zh}");
    if campaigns_running() {
        assert!(zh.contains("走访企业"), "{zh}");
        let err = refused(
            &home,
            &["activity", "--indicator", "contact_cards", "--count", "0"],
        )
        .await;
        assert!(
            err.contains("positive number") && err.contains("allowed up to 10000"),
            "{err}"
        );
        refused(
            &home,
            &["activity", "--indicator", "contact_cards", "--count", "100000"],
        )
        .await;
        let err = refused(&home, &["activity", "--indicator", "trainings", "--count", "1"]).await;
        assert!(err.contains("--count2"), "{err}");
        let long = "字".repeat(4001);
        refused(
            &home,
            &[
                "activity",
                "--indicator",
                "contact_cards",
                "--count",
                "1",
                "--note",
                &long,
            ],
        )
        .await;
    }
    let id = open_consultation(&home).await.to_string();
    let err = refused(&home, &["time", &id, "--minutes", "721", "--activity", "session"]).await;
    assert!(err.contains("between 1 and 720"), "{err}");
    refused(&home, &["log", &id, "--outcome", "answered", "--minutes", "1440"]).await;
    assert_eq!(outbox_len(&home).await, 0, "nothing saved for a refusal");

    // A valid one is saved and sent.
    if campaigns_running() {
        let mut c = home.cmd();
        c.args([
            "activity",
            "--indicator",
            "trainings",
            "--count",
            "1",
            "--count2",
            "30",
        ]);
        let out = run(c).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_that_count_nothing_are_told_before_saving() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "coordinator").await;
    let err = refused(
        &home,
        &["activity", "--indicator", "contact_cards", "--count", "1"],
    )
    .await;
    assert!(err.contains("Your role logs no work of its own"), "{err}");
    assert_eq!(outbox_len(&home).await, 0);
}
