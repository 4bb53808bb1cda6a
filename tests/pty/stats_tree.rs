//! The Stats screen's walk down the unit tree against the real server: the
//! demo's bureau coordinator asks for the bureau's form by unit, then for
//! one child unit's form, through the TUI backend's Commands.

use dutydesk::api::{CampaignList, StatsScope};
use dutydesk::tui::run::Backend;
use dutydesk::tui::{Command, Message};
use tokio::sync::mpsc;

use super::backend::{backend, until};
use super::support::{get_json, spawn_server, token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_reads_its_units_and_then_one_unit_below() {
    let server = spawn_server().await;
    let bureau = token(&server.url, "bureau").await;
    let campaigns: CampaignList = get_json(&server.url, &bureau, "/api/v1/campaigns").await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, bureau).await;
    let (tx, mut rx) = mpsc::channel(256);
    let fetch = |unit| Command::FetchStats {
        campaign_id: campaigns.campaigns[0].id.clone(),
        period: None,
        scope: StatsScope::Unit,
        unit,
        by_unit: true,
    };
    let loaded = |m: &Message| matches!(m, Message::StatsLoaded { .. } | Message::Error(_));
    b.run(fetch(None), tx.clone());
    let seen = until(&mut rx, loaded).await;
    let Some(Message::StatsLoaded { form, .. }) = seen.last() else {
        panic!("no form: {seen:?}");
    };
    assert_eq!(form.unit.as_ref().map(|u| u.name.as_str()), Some("钟楼区司法局"));
    let child = form
        .units
        .iter()
        .find(|u| u.unit.name == "正衡律师事务所")
        .unwrap_or_else(|| panic!("the units below the bureau: {:?}", form.units));
    let child_id = child.unit.id;
    b.run(fetch(Some(child_id)), tx);
    let seen = until(&mut rx, loaded).await;
    let Some(Message::StatsLoaded { form, .. }) = seen.last() else {
        panic!("no form: {seen:?}");
    };
    assert_eq!(form.unit.as_ref().map(|u| u.id), Some(child_id));
    b.stop();
}
