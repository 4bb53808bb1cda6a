//! The Detail screen's note and typical-case flag through the real
//! backend, client core and server: each reaches the server once.

use dutydesk::api::{ItemDetail, ItemList};
use dutydesk::tui::run::Backend;
use dutydesk::tui::{Command, Message};
use tokio::sync::mpsc;

use super::backend::{backend, until};
use super::support::{get_json, spawn_server, token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_and_the_typical_flag_reach_the_server_once() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let list: ItemList = get_json(&server.url, &lawyer, "/api/v1/items").await;
    let item = list
        .items
        .iter()
        .find(|i| !i.typical_case)
        .expect("the demo lawyer has an unflagged item")
        .clone();
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer).await;

    let (tx, mut rx) = mpsc::channel(256);
    let note = "当事人下周一补交证据".to_string();
    b.run(
        Command::AddNote {
            request: 11,
            item_id: item.id,
            note: note.clone(),
        },
        tx,
    );
    let seen = until(&mut rx, |m| {
        matches!(m, Message::Sent { request: 11 } | Message::Failed { .. })
    })
    .await;
    assert!(
        matches!(seen[0], Message::Saved { request: 11 }),
        "saved first: {seen:?}"
    );
    assert!(
        matches!(seen.last(), Some(Message::Sent { request: 11 })),
        "{seen:?}"
    );

    let (tx, mut rx) = mpsc::channel(256);
    b.run(
        Command::FlagTypical {
            id: item.id,
            typical: true,
            version: item.version + 1,
        },
        tx,
    );
    let seen = until(&mut rx, |m| matches!(m, Message::Online(_))).await;
    assert!(
        !seen.iter().any(|m| matches!(m, Message::Failed { .. })),
        "the flag is not refused: {seen:?}"
    );
    assert!(matches!(seen.last(), Some(Message::Online(true))), "{seen:?}");

    // A second flush sends nothing again.
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Refresh, tx);
    until(&mut rx, |m| matches!(m, Message::Synced(_))).await;

    let check = token(&server.url, "lawyer").await;
    let detail: ItemDetail = get_json(&server.url, &check, &format!("/api/v1/items/{}", item.id)).await;
    let notes: Vec<_> = detail
        .history
        .iter()
        .filter(|h| h.action == dutydesk::api::HistoryAction::Note)
        .collect();
    assert_eq!(notes.len(), 1, "the note is on the server once: {notes:?}");
    assert_eq!(notes[0].note, note);
    assert!(detail.item.typical_case, "the flag is set on the server");
    assert_eq!(detail.item.version, item.version + 2);
}
