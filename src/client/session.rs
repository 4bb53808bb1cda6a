//! Opening everything a signed-in client needs, without printing: the TUI
//! owns the terminal and shows `notices` itself; the CLI prints them.

use rust_i18n::t;

use super::config::Config;
use super::credentials::{CredError, Credentials, StoreKind};
use super::http::{Api, HttpError, Timeouts};
use super::store::{LocalStore, OpenNotice, StoreError, Writer};
use super::sync::Engine;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{}", t!("cli.no_server", profile = .0))]
    NoServer(String),
    #[error("{}", t!("cli.not_signed_in", profile = .0))]
    NotSignedIn(String),
    #[error(transparent)]
    Credentials(#[from] CredError),
    #[error(transparent)]
    LocalStore(#[from] StoreError),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    PlainHttp(#[from] super::plain_http::PlainHttpRefused),
}

/// A signed-in client: the engine (store + API) and what to tell the user.
pub struct Session {
    pub engine: Engine,
    pub token_store: StoreKind,
    /// One line each, already in the user's language (e.g. the store was
    /// corrupt and moved aside).
    pub notices: Vec<String>,
}

/// Opens this profile's store and, when signed in, its engine. `env_token`
/// is `DUTYDESK_TOKEN` as the caller read it.
pub async fn open(config: &Config, env_token: Option<String>) -> Result<Session, SessionError> {
    open_with(config, env_token, true).await
}

/// Like [`open`], leaving the store's integrity check to the caller (the
/// terminal app runs it right after its first frame).
pub async fn open_unchecked(config: &Config, env_token: Option<String>) -> Result<Session, SessionError> {
    open_with(config, env_token, false).await
}

async fn open_with(config: &Config, env_token: Option<String>, check: bool) -> Result<Session, SessionError> {
    let creds = Credentials::new(config, env_token);
    let (token, token_store) = creds
        .load()
        .await?
        .ok_or_else(|| SessionError::NotSignedIn(config.profile_name.clone()))?;
    let server = config
        .server()
        .ok_or_else(|| SessionError::NoServer(config.profile_name.clone()))?;
    super::plain_http::check(config, &server, super::plain_http::Secret::Token)?;
    // The HTTP client itself (every system root certificate) is built on
    // the first request, after the terminal app's first frame.
    let api = Api::new(
        &server,
        Some(token),
        config.profile.ca_file.as_deref(),
        Timeouts::configured(),
    )?;
    let (store, notices) = open_store_with(config, check).await?;
    Ok(Session {
        engine: Engine::new(store, api),
        token_store,
        notices,
    })
}

/// Opens this profile's store alone (reading offline, the timer, drafts).
pub async fn open_store(config: &Config) -> Result<(LocalStore, Vec<String>), SessionError> {
    open_store_with(config, true).await
}

async fn open_store_with(config: &Config, check: bool) -> Result<(LocalStore, Vec<String>), SessionError> {
    let path = LocalStore::path_for(&config.dirs.data, &config.profile_name);
    let (mut store, notice) = if check {
        LocalStore::open(&path).await?
    } else {
        LocalStore::open_unchecked(&path).await?
    };
    // Entries are queued and sent as the lawyer last signed in here, for
    // the server they signed in to (a config pointed elsewhere for a while
    // does not make their work someone else's).
    let me = store
        .doc(super::sync::ME_KEY)
        .await?
        .and_then(|d| serde_json::from_str::<crate::api::User>(&d.json).ok());
    let signed_in_to = store
        .doc(super::sync::ME_SERVER_KEY)
        .await?
        .and_then(|d| serde_json::from_str::<String>(&d.json).ok());
    if let (Some(me), Some(server)) = (me, signed_in_to.or_else(|| config.server())) {
        store = store.with_writer(Writer {
            user: me.username,
            server,
        });
        store.adopt_unowned().await?;
    }
    let notices = match notice {
        Some(OpenNotice::MovedAside(aside)) => {
            vec![t!("cli.store.moved_aside", path = aside.display()).into_owned()]
        }
        None => vec![],
    };
    Ok((store, notices))
}
