//! The event loop: one task owns the model; terminal events, ticks and
//! background results arrive as messages on one channel. The terminal is
//! restored on quit, on panic (ratatui::init installs the hook), and on
//! SIGTERM and SIGHUP (an SSH drop), after an open form is saved as a draft.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::model::{Command, Draft, Message, Model};
use super::{update, view};
use crate::domain::clock::now_ms;

/// Does the work `update` asks for. The client core implements it; tests
/// use one that records commands.
pub trait Backend: Send + Sync {
    /// Starts `cmd` in the background; results come back on `tx`. Must not
    /// block: the loop that calls it also draws.
    fn run(&self, cmd: Command, tx: mpsc::Sender<Message>);
    /// Stores a draft durably before the process exits on a signal.
    fn save_draft_now(&self, draft: &Draft) -> anyhow::Result<()>;
    /// Called once after the first frame: start live updates that send
    /// messages on their own (the server's event stream).
    fn start(&self, _tx: mpsc::Sender<Message>) {}
}

/// Runs the app until the user quits or a signal arrives. `startup` are
/// messages from the local cache (items, timer, a found draft) drawn at
/// once, before the first refresh from the server.
pub async fn run(mut model: Model, backend: Arc<dyn Backend>, startup: Vec<Message>) -> anyhow::Result<()> {
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, &mut model, backend, startup).await;
    ratatui::restore();
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    model: &mut Model,
    backend: Arc<dyn Backend>,
    startup: Vec<Message>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::channel::<Message>(1024);
    let size = terminal.size()?;
    update::update(model, Message::Resize(size.width, size.height));
    update::update(model, Message::Tick(now_ms()));
    let first = std::time::Instant::now();
    for msg in startup {
        if let Some(cmd) = update::update(model, msg) {
            backend.run(cmd, tx.clone());
        }
    }
    terminal.draw(|f| view::view(model, f))?;
    tracing::info!(
        "start: cache applied and first frame drawn in {:?}",
        first.elapsed()
    );
    backend.run(Command::Start, tx.clone());
    backend.start(tx.clone());

    let input_tx = tx.clone();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(Ok(ev)) = events.next().await {
            let msg = match ev {
                Event::Key(k) => Message::Key(k),
                Event::Resize(w, h) => Message::Resize(w, h),
                _ => continue,
            };
            if input_tx.send(msg).await.is_err() {
                break;
            }
        }
    });
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;

    loop {
        let msg = tokio::select! {
            Some(msg) = rx.recv() => msg,
            _ = ticks.tick() => Message::Tick(now_ms()),
            _ = term.recv() => return save_draft(model, &*backend),
            _ = hup.recv() => return save_draft(model, &*backend),
        };
        let mut list_replaced = replaces_a_list(&msg);
        if let Some(cmd) = update::update(model, msg)
            && run_command(cmd, &*backend, &tx)?
        {
            return Ok(());
        }
        // Draw once for everything that arrived meanwhile.
        while let Ok(msg) = rx.try_recv() {
            list_replaced |= replaces_a_list(&msg);
            if let Some(cmd) = update::update(model, msg)
                && run_command(cmd, &*backend, &tx)?
            {
                return Ok(());
            }
        }
        terminal.draw(|f| view::view(model, f))?;
        if list_replaced {
            // The list it replaced is freed now: its pages go back.
            super::heap::give_back_freed();
        }
    }
}

/// A whole list of items arrives (thousands of them from the cache); the
/// overdue ones are dropped once the notice is written.
fn replaces_a_list(msg: &Message) -> bool {
    matches!(
        msg,
        Message::ItemsLoaded(_) | Message::PoolLoaded(_) | Message::OverdueLoaded(_)
    )
}

fn save_draft(model: &Model, backend: &dyn Backend) -> anyhow::Result<()> {
    if let Some(draft) = update::open_draft(model) {
        backend.save_draft_now(&draft)?;
    }
    Ok(())
}

/// Runs one command: the terminal's own (quit, clipboard, bell) here, the
/// rest through the backend. True when the app should end.
pub fn run_command(cmd: Command, backend: &dyn Backend, tx: &mpsc::Sender<Message>) -> anyhow::Result<bool> {
    match cmd {
        Command::Quit => return Ok(true),
        Command::CopyToClipboard(text) => {
            let mut out = std::io::stdout();
            write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
            out.flush()?;
        }
        Command::Bell => {
            let mut out = std::io::stdout();
            out.write_all(b"\x07")?;
            out.flush()?;
            backend.run(Command::Refresh, tx.clone());
        }
        other => backend.run(other, tx.clone()),
    }
    Ok(false)
}

/// Standard base64, for the OSC 52 clipboard sequence.
pub fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
