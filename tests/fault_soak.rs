//! A short seeded round of the randomized fault soak (issue 14; the long
//! one is `examples/fault_soak.rs`): random writes through the real binary
//! against the real server behind a fault-injecting proxy, kill -9 of both;
//! fails on any entry lost or doubled, anything left unsent, or an
//! aggregate cell that `admin stats rebuild` had to change. On PostgreSQL
//! too where DUTYDESK_TEST_POSTGRES_URL is set.

#![cfg(feature = "server")]

#[path = "common/fault_proxy.rs"]
mod fault_proxy;
#[path = "common/soak.rs"]
mod soak;
#[path = "common/soak_parts.rs"]
mod soak_parts;

use soak::{Backend, SoakConfig, soak};

fn config(backend: Backend, runs: u32) -> SoakConfig {
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_dutydesk"));
    let mut cfg = SoakConfig::new(bin, backend, 14, runs);
    cfg.postgres_url = std::env::var("DUTYDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    cfg
}

async fn round(cfg: SoakConfig) {
    let report = match soak(&cfg).await {
        Ok(r) => r,
        Err(e) => panic!("the soak could not run: {e:#}"),
    };
    println!("{report}");
    assert!(report.saved_total() > 0, "some entries were saved: {report}");
    assert!(report.lost.is_empty(), "lost: {report}");
    assert!(report.doubled.is_empty(), "doubled: {report}");
    assert!(report.left_in_outbox.is_empty(), "left unsent: {report}");
    assert_eq!(report.rebuild_changed, Some(0), "{report}");
    assert_eq!(report.server_crashes, 0, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_seeded_soak_on_sqlite_loses_and_doubles_nothing() {
    round(config(Backend::Sqlite, 40)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_seeded_soak_on_postgres_loses_and_doubles_nothing() {
    let cfg = config(Backend::Postgres, 25);
    if cfg.postgres_url.is_none() {
        eprintln!("DUTYDESK_TEST_POSTGRES_URL is not set: the PostgreSQL soak is skipped");
        return;
    }
    round(cfg).await;
}
