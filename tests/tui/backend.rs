//! The seam to the client core: commands reach the `Backend`, results come
//! back as messages on the same channel the keys use.

use std::sync::Mutex;

use dutydesk::tui::run::{Backend, run_command};
use dutydesk::tui::{Command, Draft, Message, update};
use tokio::sync::mpsc;

use crate::fixtures::{self, lang};

/// Records commands and answers a save the way the outbox would.
#[derive(Default)]
struct Recording {
    commands: Mutex<Vec<Command>>,
}

impl Backend for Recording {
    fn run(&self, cmd: Command, tx: mpsc::Sender<Message>) {
        if let Command::SaveOutcome { request, .. } = &cmd {
            let _ = tx.try_send(Message::Saved { request: *request });
        }
        self.commands.lock().unwrap_or_else(|e| e.into_inner()).push(cmd);
    }

    fn save_draft_now(&self, _draft: &Draft) -> anyhow::Result<()> {
        Ok(())
    }
}

#[test]
fn commands_go_to_the_backend_and_results_come_back_as_messages() {
    let _l = lang("en");
    let backend = Recording::default();
    let (tx, mut rx) = mpsc::channel(8);
    let mut m = fixtures::model();
    m.detail_id = Some(1);
    m.screen = dutydesk::tui::Screen::Detail;
    update(&mut m, crate::key(crossterm::event::KeyCode::Char('o')));
    let cmd = update(&mut m, crate::key(crossterm::event::KeyCode::Enter)).expect("save");
    assert!(
        !run_command(cmd, &backend, &tx).expect("runs"),
        "saving does not end the app"
    );
    let reply = rx.try_recv().expect("the backend answered");
    update(&mut m, reply);
    assert!(crate::render(&mut m, 80, 24).contains("Saved. Sending…"));
    assert!(
        run_command(Command::Quit, &backend, &tx).expect("runs"),
        "quit ends the app"
    );
    let seen = backend.commands.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(seen.len(), 1, "quit is the loop's own business: {seen:?}");
}
