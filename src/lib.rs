//! dutydesk: a terminal client for on-duty lawyers, mediators and mediation
//! room operators, and the reference server it talks to.
//!
//! The arrows point one way: `tui` uses `client`; `client`, `server` and
//! `report` use `api` and `domain`; `api` uses only `domain`, and `domain`
//! nothing of the project. `client` and `server` never import each other.
//! ARCHITECTURE.md has the map and where a change goes.

// Catalogs in locales/*.toml; English where a key is somehow missing.
rust_i18n::i18n!("locales", fallback = "en");

pub mod api;
pub mod cli;
pub mod cli_dispatch;
pub mod client;
#[cfg(feature = "server")]
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod manpage;
pub mod report;
#[cfg(feature = "server")]
pub mod server;
pub mod text;
pub mod tui;

use std::process::ExitCode;

/// Runs one parsed command line. Each command lives in the module that
/// owns its work; this only dispatches.
pub fn run(cli: cli::Cli) -> ExitCode {
    use cli::Command;
    if let Some(lang) = cli.global.lang.as_deref().and_then(i18n::Language::parse) {
        i18n::set_language(lang);
    } else {
        i18n::set_language(i18n::Language::from_env());
    }
    // Commands whose output is read by a pipe end as `cat` does when the
    // reader goes away (`| head -1`); the server and the terminal app keep
    // running whatever happens to a pipe.
    let serves = match &cli.command {
        #[cfg(feature = "server")]
        Some(Command::Serve(_) | Command::Demo(_)) => true,
        None => true,
        _ => false,
    };
    if !serves {
        end_quietly_on_closed_pipe();
    }
    match cli.command {
        Some(Command::Completions(args)) => {
            use clap::CommandFactory;
            let mut cmd = cli::Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "dutydesk", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Command::Man(args)) => manpage::run(&args),
        #[cfg(feature = "server")]
        Some(Command::Serve(args)) => server::admin::block_on(server::admin::run_serve(args)),
        #[cfg(feature = "server")]
        Some(Command::Admin(cmd)) => server::admin::block_on(server::admin::run_admin(cmd)),
        #[cfg(feature = "server")]
        Some(Command::Demo(args)) => demo::run(&args, &cli.global),
        Some(cmd) => client::commands::run(cmd, &cli.global),
        None => tui::app::run(&cli.global),
    }
}

/// Restores the default action of SIGPIPE (Rust ignores it, so every
/// `println!` into a closed pipe would panic): the process ends at once and
/// silently, as Unix tools do. Work is committed before anything is printed
/// (the outbox; a resend carries the same Idempotency-Key), so ending at a
/// print loses nothing.
fn end_quietly_on_closed_pipe() {
    // SAFETY: `signal` with SIG_DFL installs no handler of ours; it only
    // changes the disposition of SIGPIPE, here before any other thread
    // starts (the runtime is built later).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
