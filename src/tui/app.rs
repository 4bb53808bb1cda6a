//! Opening the terminal app: config → session (store + token) → model from
//! the config's keys, theme, borders and bell → the first frame from the
//! local cache (its first screenful), timer and drafts. Nothing touches the network before that
//! frame; the backend refreshes right after it.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use rust_i18n::t;

use super::backend::{ClientBackend, draft_key_prefix, outbox_summary};
use super::keymap::Keymap;
use super::model::{Draft, Identity, Message, Model, QueueTab, RunningTimer, SortOrder};
use super::role_screens::home_action;
use super::screens::queue::index::tab_rows;
use super::theme::{Borders, Theme};
use crate::cli::GlobalArgs;
use crate::client::config::Config;
use crate::client::session;
use crate::client::startup;
use crate::client::store::{LocalStore, MINE, POOL};
use crate::client::sync::ME_KEY;
use crate::domain::Role;

/// `dutydesk` with no subcommand: the TUI for the current profile.
pub fn run(global: &GlobalArgs) -> ExitCode {
    // Before the runtime starts its threads.
    super::heap::tune_for_app();
    with_runtime(|| async {
        let config = startup::load_config(global).map_err(|e| e.to_string())?;
        open_tui(&config, std::env::var("DUTYDESK_TOKEN").ok()).await
    })
}

/// Runs `body` on the client's runtime and maps its error to exit code 1.
pub fn with_runtime<F, Fut>(body: F) -> ExitCode
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    match startup::block_on(body())
        .map_err(|e| e.to_string())
        .and_then(|r| r)
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dutydesk: {}", crate::client::text::sanitize(&message));
            ExitCode::from(1)
        }
    }
}

/// Opens the TUI for a loaded config. Not signed in is an error before
/// the terminal is touched. A store found damaged after the first frame
/// is moved aside and the app opens again on a fresh one, saying so.
pub async fn open_tui(config: &Config, env_token: Option<String>) -> Result<(), String> {
    let mut notices = Vec::new();
    // A fresh store is sound; twice is only for a disk going bad meanwhile.
    for _ in 0..3 {
        match open_once(config, env_token.clone(), std::mem::take(&mut notices)).await? {
            Ended::Quit => return Ok(()),
            Ended::MovedAside(aside) => {
                notices.push(t!("cli.store.moved_aside", path = aside.display()).into_owned());
            }
        }
    }
    Err(notices.pop().unwrap_or_default())
}

/// How one run of the app ended.
enum Ended {
    Quit,
    /// The store was damaged and now lives here.
    MovedAside(std::path::PathBuf),
}

async fn open_once(
    config: &Config,
    env_token: Option<String>,
    notices: Vec<String>,
) -> Result<Ended, String> {
    let started = std::time::Instant::now();
    // The integrity check reads the whole file: it runs after the first
    // frame (`Command::Start`).
    let session = session::open_unchecked(config, env_token)
        .await
        .map_err(|e| e.to_string())?;
    let opened = started.elapsed();
    // Without a terminal the app cannot draw (ratatui's init would panic).
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(t!("app.no_terminal").into_owned());
    }
    let store = session.engine.store().clone();
    let (model, role) = build_model(config, &session.engine).await?;
    // Rows of the first screen: the terminal's height is more than enough.
    let rows = crossterm::terminal::size().map_or(200, |(_, h)| usize::from(h));
    let mut startup = match startup_messages(&store, &model, rows).await {
        Ok(startup) => startup,
        // The cache could not be read: a damaged store goes aside now.
        Err(e) => {
            return match store.integrity_problem().await {
                Ok(Some(_)) => {
                    let aside = store.close_and_move_aside().await.map_err(|e| e.to_string())?;
                    Ok(Ended::MovedAside(aside))
                }
                _ => Err(e),
            };
        }
    };
    tracing::info!(
        "start: session and store open in {opened:?}, cache read in {:?}",
        started.elapsed() - opened
    );
    // Before any draft's form, which then opens over the home screen.
    if let Some(action) = role.and_then(home_action) {
        startup.insert(0, Message::Home(action));
    }
    startup.extend(notices.into_iter().chain(session.notices).map(Message::Error));
    let backend = Arc::new(ClientBackend::new(
        session.engine,
        tokio::runtime::Handle::current(),
    ));
    let result = super::run::run(model, backend.clone(), startup).await;
    // The event stream could still start a refresh on a closing store.
    backend.stop();
    if backend.damaged().is_some() {
        let aside = store.close_and_move_aside().await.map_err(|e| e.to_string())?;
        return Ok(Ended::MovedAside(aside));
    }
    store.close().await;
    result
        .map(|()| Ended::Quit)
        .map_err(|e| t!("app.terminal_failed", error = e).into_owned())
}

/// The model from the config, and the role of whoever is signed in (from
/// the cache), if known.
async fn build_model(
    config: &Config,
    engine: &crate::client::sync::Engine,
) -> Result<(Model, Option<Role>), String> {
    let keymap = Keymap::with_overrides(Some(&config.keys)).map_err(|e| t!("app.bad_config", error = e))?;
    let (name, overrides) = match &config.theme {
        Some(toml::Value::String(name)) => (name.as_str(), None),
        Some(toml::Value::Table(table)) => ("default", Some(table)),
        _ => ("default", None),
    };
    let mut theme = Theme::from_env(name, overrides).map_err(|e| t!("app.bad_config", error = e))?;
    if config.borders == Borders::Ascii {
        theme.borders = Borders::Ascii;
    }
    let me = engine.cached_doc::<crate::api::User>(ME_KEY).await.ok().flatten();
    let role = me.as_ref().map(|u| u.role);
    let me_id = me.as_ref().map(|u| u.id);
    let identity = Identity {
        user: me
            .map(|u| u.display_name)
            .or_else(|| config.profile.user.clone())
            .unwrap_or_default(),
        profile: config.profile_name.clone(),
    };
    let mut model = Model::new(identity, keymap, theme, crate::domain::clock::now_ms());
    model.bell = config.bell;
    // The screens and actions offered follow the role; `/me` confirms it
    // after the first refresh.
    model.role = role;
    model.me_id = me_id;
    // A coordinator logs no work of their own: their form is the unit's.
    if role == Some(Role::Coordinator) {
        model.stats.scope = crate::api::StatsScope::Unit;
    }
    Ok((model, role))
}

/// What the local store already knows, drawn in the first frame: the
/// first screenful of the queue, the running timer, the outbox and an
/// unsent form. The whole cached lists follow right after the first frame
/// ([`Command::Start`]): decoding 10,000 cached items took longer than
/// everything else before the first frame together.
pub async fn startup_messages(
    store: &LocalStore,
    model: &Model,
    rows: usize,
) -> Result<Vec<Message>, String> {
    let e = |e: crate::client::store::StoreError| e.to_string();
    let tab = model.queue.tab();
    let list = if tab == QueueTab::Pool { POOL } else { MINE };
    let first = if model.queue.sort == SortOrder::Due && model.queue.filter.is_empty() {
        // Ordered by SQLite from the keys' index; only the shown rows are read.
        store
            .first_queue_items(list, tab_rows(tab), model.now, rows)
            .await
            .map_err(e)?
    } else {
        store.queue_items(list).await.map_err(e)?
    };
    let timer = store.timer().await.map_err(e)?;
    // The newest draft of an item still cached, with that item (it need
    // not be on the first screen). A draft that no longer parses (an older
    // version's) is not offered.
    let mut draft = None;
    for (_, json) in store
        .drafts_of_cached_items(&draft_key_prefix())
        .await
        .map_err(e)?
    {
        let Ok(found) = serde_json::from_str::<Draft>(&json) else {
            continue;
        };
        if let Some(item) = store.cached_item(found.item_id).await.map_err(e)? {
            draft = Some(Message::DraftFound {
                draft: found,
                item: Box::new(item),
            });
            break;
        }
    }
    let mut out = vec![
        if list == POOL {
            Message::PoolLoaded(first)
        } else {
            Message::ItemsLoaded(first)
        },
        Message::TimerChanged(timer.map(|t| RunningTimer {
            item_id: t.item_id,
            started_at: t.started_at,
        })),
        Message::OutboxChanged(outbox_summary(store).await?),
    ];
    out.extend(draft);
    Ok(out)
}
