//! dutydesk: a terminal client for on-duty lawyers, mediators and mediation
//! room operators, and the reference server it talks to.
//!
//! The arrows point one way: `tui` and `cli` use `client`; `client` and
//! `server` use `api` and `domain`; `domain` uses nothing of the project.

// Catalogs in locales/*.toml; English where a key is somehow missing.
rust_i18n::i18n!("locales", fallback = "en");

pub mod api;
pub mod cli;
pub mod client;
#[cfg(feature = "server")]
pub mod demo;
pub mod domain;
pub mod i18n;
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
    match cli.command {
        Some(Command::Completions(args)) => {
            use clap::CommandFactory;
            let mut cmd = cli::Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "dutydesk", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
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
