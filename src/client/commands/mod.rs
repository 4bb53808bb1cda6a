//! The scriptable CLI commands. Each group lives in its own file; this one
//! sets up a run (config, logs, store, token) and maps errors to exit codes:
//! 0 ok, 1 error, 2 usage or bad input, 3 saved offline and not yet sent,
//! 4 the server refused a write (kept in the outbox as failed), 5 the server
//! refused a request that nothing keeps (a wrong password, no such item).

mod auth;
mod correct;
mod day;
pub(super) mod dispatch;
mod due;
pub mod items;
mod outbox;
mod people;
mod record;
mod report;
mod submission;

use std::process::ExitCode;

use rust_i18n::t;

use super::config::{Config, ConfigError};
use super::credentials::{CredError, Credentials, StoreKind, Token};
use super::http::{Api, HttpError, Timeouts};
use super::session::{self, SessionError};
use super::store::{LocalStore, StoreError};
use super::sync::{Engine, FlushReport};
use crate::cli::{Command, GlobalArgs};

/// How a command ended, as the shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Error = 1,
    Usage = 2,
    /// Saved in the outbox, not yet on the server.
    SavedOffline = 3,
    /// The server refused a write, which stays in the outbox as failed.
    Refused = 4,
    /// The server refused a request that is not kept anywhere: a wrong
    /// password, an item that does not exist or is not yours to see.
    Denied = 5,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// A failed command: what to tell the user and how to exit.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub exit: Exit,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            exit: Exit::Error,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            exit: Exit::Usage,
        }
    }
}

impl From<HttpError> for CliError {
    fn from(e: HttpError) -> Self {
        // Writes reach the server only from the outbox (`report_flush`
        // says 4 for those); a refusal here was a read or a sign-in.
        let exit = match e {
            HttpError::Refused { .. } => Exit::Denied,
            _ => Exit::Error,
        };
        CliError {
            message: e.to_string(),
            exit,
        }
    }
}

macro_rules! plain_error {
    ($($t:ty),*) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                CliError::new(e.to_string())
            }
        }
    )*};
}
plain_error!(ConfigError, CredError);

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            // The user named an outbox entry that is not there (or not
            // failed): bad input, nothing changed.
            StoreError::NoSuchEntry(_) | StoreError::NotRetryable(_) => CliError::usage(e.to_string()),
            other => CliError::new(other.to_string()),
        }
    }
}

impl From<SessionError> for CliError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::Http(h) => h.into(),
            // Nothing was sent: the configured address is the mistake.
            SessionError::PlainHttp(p) => CliError::usage(p.to_string()),
            other => CliError::new(other.to_string()),
        }
    }
}

impl From<super::sync::PullError> for CliError {
    fn from(e: super::sync::PullError) -> Self {
        match e {
            super::sync::PullError::Http(h) => h.into(),
            super::sync::PullError::LocalStore(s) => s.into(),
        }
    }
}

/// How long one command may take in all, whatever its requests do; a
/// backstop over the per-request deadline and the retries.
pub const COMMAND_DEADLINE: std::time::Duration = std::time::Duration::from_secs(90);
/// Shortens [`COMMAND_DEADLINE`] (tests, scripts with their own budget).
pub const COMMAND_DEADLINE_ENV: &str = "DUTYDESK_COMMAND_DEADLINE_MS";

/// Runs one client command with the platform's dirs and the process env.
pub fn run(cmd: Command, global: &GlobalArgs) -> ExitCode {
    let result = super::startup::block_on(async {
        let config = super::startup::load_config(global)?;
        let ctx = Ctx::new(config, std::env::var("DUTYDESK_TOKEN").ok());
        // Login waits for a typed password: no deadline there.
        if matches!(cmd, Command::Login(_)) {
            return dispatch(cmd, &ctx).await;
        }
        let writes = saves_work(&cmd);
        let deadline = super::http::env_ms(COMMAND_DEADLINE_ENV).unwrap_or(COMMAND_DEADLINE);
        match tokio::time::timeout(deadline, dispatch(cmd, &ctx)).await {
            Ok(result) => result,
            // A write was committed to the outbox before any request went
            // out: it is saved, and a later sync sends it.
            Err(_) => Err(CliError {
                message: t!(
                    "net.command_deadline",
                    secs = format!("{:.1}", deadline.as_secs_f64())
                )
                .into_owned(),
                exit: if writes { Exit::SavedOffline } else { Exit::Error },
            }),
        }
    });
    match result {
        Ok(Ok(exit)) => exit.into(),
        Ok(Err(e)) => {
            // Messages may quote the server's words: no escape sequences.
            eprintln!("dutydesk: {}", super::text::sanitize(&e.message));
            e.exit.into()
        }
        Err(e) => {
            eprintln!("dutydesk: {e}");
            Exit::Error.into()
        }
    }
}

/// Commands that put work in the outbox before they talk to the server.
fn saves_work(cmd: &Command) -> bool {
    match cmd {
        Command::Claim(_)
        | Command::Start(_)
        | Command::Stop
        | Command::Log(_)
        | Command::Time(_)
        | Command::Activity(_)
        | Command::Sync => true,
        Command::Duty(a) => a.action.is_some(),
        _ => false,
    }
}

async fn dispatch(cmd: Command, ctx: &Ctx) -> Result<Exit, CliError> {
    match cmd {
        Command::Login(a) => auth::login(ctx, a).await,
        Command::Logout => auth::logout(ctx).await,
        Command::Whoami(a) => auth::whoami(ctx, a.json).await,
        Command::List(a) => items::list(ctx, a).await,
        Command::Show(a) => items::show(ctx, a).await,
        Command::Claim(a) => items::claim(ctx, a.id).await,
        Command::Start(a) => items::start(ctx, a.id).await,
        Command::Stop => items::stop(ctx).await,
        Command::Log(a) => record::log(ctx, a).await,
        Command::Time(a) => record::time(ctx, a).await,
        Command::Activity(a) => record::activity(ctx, a).await,
        Command::Schedule(a) => match a.id {
            Some(id) => dispatch::book(ctx, id, a).await,
            None => day::schedule(ctx, a).await,
        },
        Command::New(c) => dispatch::new(ctx, c).await,
        Command::Assign(a) => dispatch::assign(ctx, a).await,
        Command::Release(a) => dispatch::release(ctx, a).await,
        Command::Cancel(a) => dispatch::cancel(ctx, a).await,
        Command::Passwd(a) => dispatch::passwd(ctx, a).await,
        Command::Reveal(a) => dispatch::reveal(ctx, a).await,
        Command::Duty(a) => day::duty(ctx, a).await,
        Command::Sync => outbox::sync(ctx).await,
        Command::Outbox(a) => outbox::outbox(ctx, a).await,
        Command::Report(a) => report::report(ctx, a).await,
        Command::Submission(c) => submission::run(ctx, c).await,
        Command::Withdraw(a) => submission::withdraw(ctx, a).await,
        Command::Correct(a) => correct::correct(ctx, a).await,
        // `lib::run` sends completions and the server's commands elsewhere.
        _ => Err(CliError::usage("not a client command")),
    }
}

/// What one run knows: its settings and credential stores. The store and
/// the token are opened when a command asks for them.
pub struct Ctx {
    pub config: Config,
    pub creds: Credentials,
}

impl Ctx {
    pub fn new(config: Config, env_token: Option<String>) -> Self {
        let creds = Credentials::new(&config, env_token);
        Ctx { config, creds }
    }

    pub fn server(&self) -> Result<String, CliError> {
        self.config
            .server()
            .ok_or_else(|| CliError::new(t!("cli.no_server", profile = self.config.profile_name.as_str())))
    }

    /// Opens this profile's store, telling the user if a corrupt one was moved aside.
    pub async fn store(&self) -> Result<LocalStore, CliError> {
        let (store, notices) = session::open_store(&self.config).await?;
        for n in notices {
            eprintln!("{n}");
        }
        Ok(store)
    }

    pub async fn token(&self) -> Result<(Token, StoreKind), CliError> {
        self.creds.load().await?.ok_or_else(|| {
            CliError::new(t!(
                "cli.not_signed_in",
                profile = self.config.profile_name.as_str()
            ))
        })
    }

    pub fn api(&self, token: Option<Token>) -> Result<Api, CliError> {
        let server = self.server()?;
        if token.is_some() {
            super::plain_http::check(&self.config, &server, super::plain_http::Secret::Token)
                .map_err(|e| CliError::usage(e.to_string()))?;
        }
        Ok(Api::new(
            &server,
            token,
            self.config.profile.ca_file.as_deref(),
            Timeouts::configured(),
        )?)
    }

    /// The engine for a signed-in command.
    pub async fn engine(&self) -> Result<Engine, CliError> {
        let s = session::open(
            &self.config,
            self.creds.env_token.as_ref().map(|t| t.secret().to_string()),
        )
        .await?;
        for n in s.notices {
            eprintln!("{n}");
        }
        Ok(s.engine)
    }
}

/// After a write was saved: one flush, then say what happened and pick the exit.
pub fn report_flush(report: &FlushReport, entry_id: Option<&str>) -> Exit {
    for s in &report.sent {
        println!("{}", t!("cli.sent", summary = s.summary.as_str()));
    }
    let mut exit = Exit::Ok;
    for (id, summary, msg) in &report.failed {
        eprintln!(
            "{}",
            t!(
                "cli.refused_entry",
                summary = summary.as_str(),
                // The server's words: no escape sequences reach the terminal.
                message = super::text::sanitize(msg),
                id = short(id)
            )
        );
        if entry_id.is_none_or(|e| e == id) {
            exit = Exit::Refused;
        }
    }
    if let Some(why) = &report.offline {
        eprintln!(
            "{}",
            t!(
                "cli.offline",
                reason = super::text::sanitize(why),
                count = report.waiting
            )
        );
        let ours_waiting = entry_id.is_none_or(|e| !report.sent.iter().any(|s| s.id == e));
        if exit == Exit::Ok && ours_waiting && report.waiting > 0 {
            exit = Exit::SavedOffline;
        }
    }
    exit
}

/// The last 8 characters of an outbox id name it well enough on screen (a
/// UUIDv7 starts with the time, so its head is shared by entries saved the
/// same minute; its tail is random). Commands accept any unique head or tail.
pub fn short(id: &str) -> &str {
    id.get(id.len().saturating_sub(8)..).unwrap_or(id)
}

/// `--json` output: server text stays whole, but no control, bidi or
/// zero-width character reaches the terminal raw (each is a `\uXXXX`).
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::new(e.to_string()))?;
    println!("{}", crate::text::escape_json(&text));
    Ok(())
}

/// Formats epoch ms as local wall time in Asia/Shanghai (the users' zone).
pub fn when(ms: i64) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
        return ms.to_string();
    };
    ts.to_zoned_datetime(crate::domain::clock::shanghai())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A fetched document's value; a copy from the cache says so (and why) on
/// standard error first.
pub(crate) fn shown<T>(fetched: crate::client::sync::Fetch<T>) -> T {
    if let Some(stale) = &fetched.stale {
        eprintln!("{}", t!("cli.showing_cache", reason = stale.reason.as_str()));
    }
    fetched.value
}
