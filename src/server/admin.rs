//! `dutydesk serve` and `dutydesk admin ...` (users, tokens, demo seed).

use rust_i18n::t;

use super::ServerConfig;
use super::auth::{hash_password, new_secret};
use super::db::{Store, audit, database_url};
use super::demo::{DEMO_USERS, seed_if_empty};
use super::listen::TlsFiles;
use super::storage::sql::SqlStorage;
use super::storage::units::unit_exists;
use super::storage::user_admin::{
    AddUserError, NewUser, end_sessions, insert_user, list_users, reset_password, set_disabled,
    user_id as stored_user_id,
};
use super::storage::{RevokeTarget, TokenStore};
use crate::cli::{
    AdminCampaignCommand, AdminCommand, AdminImportCommand, AdminStatsCommand, AdminTokenCommand,
    AdminUnitCommand, AdminUserCommand, LogFormat, ServeArgs,
};
use crate::domain::clock::now_ms;
use crate::domain::{Profession, Role};

pub async fn run_serve(args: ServeArgs) -> anyhow::Result<()> {
    // The server owns no terminal UI: its log goes to stderr (RUST_LOG),
    // as text or, for a log collector, one JSON object a line.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal: a file or a
        // journal gets plain lines.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = match args.log_format {
        LogFormat::Text => log.try_init(),
        LogFormat::Json => log.json().try_init(),
    };
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        // clap requires both or neither.
        _ => None,
    };
    let tuning = super::ServerTuning {
        duty_grace: std::time::Duration::from_secs(u64::from(args.duty_grace_minutes) * 60),
        ..Default::default()
    };
    let config = ServerConfig {
        db: args.db,
        listen: args.listen,
        demo: args.demo,
        tls,
        trusted_proxies: args.trusted_proxies,
    };
    super::serve_tuned(config, tuning).await
}

async fn open(db: Option<&str>) -> anyhow::Result<Store> {
    Store::connect(&database_url(db)?).await
}

/// Runs one admin command. `campaign` and `stats` belong to the statistics
/// work and are answered by their own module.
pub async fn run_admin(cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::User(AdminUserCommand::Add {
            db,
            username,
            name,
            role,
            profession,
            unit,
        }) => {
            if !crate::domain::username_fits(&username) {
                anyhow::bail!(t!(
                    "ops.username_too_long",
                    max = crate::domain::MAX_USERNAME_CHARS
                ));
            }
            let role =
                Role::parse(&role).ok_or_else(|| anyhow::anyhow!(t!("server.bad_role", value = role)))?;
            let profession = Profession::parse(&profession)
                .ok_or_else(|| anyhow::anyhow!(t!("server.bad_profession", value = profession)))?;
            let store = open(db.db.as_deref()).await?;
            if !unit_exists(&store.pool, unit).await? {
                anyhow::bail!(t!("server.no_unit", unit = unit));
            }
            let password = new_secret()[..16].to_string();
            let pw = password.clone();
            let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
            let mut w = store.begin_write().await?;
            let display = name.unwrap_or_else(|| username.clone());
            let user = NewUser {
                username: &username,
                display_name: &display,
                role,
                profession,
                unit_id: unit,
            };
            match insert_user(&mut w.tx, &user, &hash, now_ms()).await {
                Ok(_) => {}
                Err(AddUserError::Exists) => anyhow::bail!(t!("server.user_exists", username = username)),
                Err(AddUserError::Sql(e)) => return Err(e.into()),
            }
            audit(&mut w.tx, now_ms(), "user.add", &username).await?;
            w.tx.commit().await?;
            println!(
                "{}",
                t!("server.user_added", username = username, password = password)
            );
        }
        AdminCommand::User(AdminUserCommand::List { db }) => {
            let store = open(db.db.as_deref()).await?;
            for r in list_users(&store.pool).await? {
                println!("{}\t{}\t{}\t{}\t{}\t{}", r.0, r.1, r.2, r.3, r.4, r.5);
            }
        }
        AdminCommand::Token(AdminTokenCommand::Revoke { db, user, id }) => {
            let target = match (user, id) {
                (_, Some(id)) => RevokeTarget::Token(id),
                (Some(user), None) => RevokeTarget::User(user),
                (None, None) => anyhow::bail!(t!("server.revoke_what")),
            };
            let storage = SqlStorage::new(open(db.db.as_deref()).await?);
            let count = storage
                .revoke_tokens(target, now_ms())
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            storage.store.close().await;
            println!("{}", t!("server.tokens_revoked", count = count));
        }
        AdminCommand::User(AdminUserCommand::ResetPassword { db, username }) => {
            let store = open(db.db.as_deref()).await?;
            let password = new_secret()[..16].to_string();
            let pw = password.clone();
            let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
            let mut w = store.begin_write().await?;
            let now = now_ms();
            let id = user_id(&mut w.tx, &username).await?;
            reset_password(&mut w.tx, id, &hash).await?;
            end_sessions(&mut w.tx, id, now).await?;
            audit(&mut w.tx, now, "user.reset_password", &username).await?;
            w.tx.commit().await?;
            println!(
                "{}",
                t!("intake.password_reset", username = username, password = password)
            );
        }
        AdminCommand::User(AdminUserCommand::Disable { db, username }) => {
            let store = open(db.db.as_deref()).await?;
            let mut w = store.begin_write().await?;
            let now = now_ms();
            let id = user_id(&mut w.tx, &username).await?;
            set_disabled(&mut w.tx, id, Some(now)).await?;
            let ended = end_sessions(&mut w.tx, id, now).await?;
            audit(&mut w.tx, now, "user.disable", &username).await?;
            w.tx.commit().await?;
            println!(
                "{}",
                t!("intake.user_disabled", username = username, count = ended)
            );
        }
        AdminCommand::User(AdminUserCommand::Unlock { db, username }) => {
            let store = open(db.db.as_deref()).await?;
            let mut w = store.begin_write().await?;
            let id = user_id(&mut w.tx, &username).await?;
            set_disabled(&mut w.tx, id, None).await?;
            audit(&mut w.tx, now_ms(), "user.unlock", &username).await?;
            w.tx.commit().await?;
            println!("{}", t!("intake.user_unlocked", username = username));
        }
        AdminCommand::Import(AdminImportCommand::Items {
            db,
            file,
            unit,
            dry_run,
        }) => {
            let store = open(db.db.as_deref()).await?;
            super::import::run(&store, &file, unit, dry_run).await?;
        }
        AdminCommand::Unit(cmd) => {
            let db = match &cmd {
                AdminUnitCommand::Add { db, .. }
                | AdminUnitCommand::Move { db, .. }
                | AdminUnitCommand::List { db } => db.db.clone(),
            };
            let store = open(db.as_deref()).await?;
            super::admin_units::run(&store, cmd).await?;
        }
        AdminCommand::Seed(args) => {
            if !args.demo {
                anyhow::bail!(t!("server.seed_what"));
            }
            let store = open(args.db.db.as_deref()).await?;
            if seed_if_empty(&store, now_ms()).await? {
                println!("{}", t!("server.demo_logins", users = DEMO_USERS.join(", ")));
            } else {
                println!("{}", t!("server.not_empty"));
            }
        }
        AdminCommand::Campaign(AdminCampaignCommand::Import { db, file }) => {
            let store = open(db.db.as_deref()).await?;
            super::stats_admin::import(&store, &file).await?;
        }
        AdminCommand::Stats(AdminStatsCommand::Rebuild { db }) => {
            let store = open(db.db.as_deref()).await?;
            let report = super::stats_admin::rebuild_all(&store).await?;
            for line in super::stats_admin::report_lines(&report) {
                println!("{line}");
            }
        }
    }
    Ok(())
}

/// Runs a server command on a fresh runtime and turns its error into a
/// message and exit code 1.
pub fn block_on(fut: impl std::future::Future<Output = anyhow::Result<()>>) -> std::process::ExitCode {
    let result = tokio::runtime::Runtime::new()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(fut));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", t!("server.failed", error = format!("{e:#}")));
            std::process::ExitCode::from(1)
        }
    }
}

/// The id of a user named on the command line.
async fn user_id(tx: &mut sqlx::Transaction<'static, sqlx::Any>, username: &str) -> anyhow::Result<i64> {
    stored_user_id(tx, username)
        .await?
        .ok_or_else(|| anyhow::anyhow!(t!("intake.no_user", username = username)))
}

#[cfg(test)]
mod tests {
    /// Production `admin user add` stores users with its own storage
    /// function: of the demo, this file uses only what `admin seed --demo`
    /// needs (the seeder and the names it prints).
    #[test]
    fn admin_commands_reach_the_demo_only_to_seed_it() {
        let source = include_str!("admin.rs");
        let code = source.split("#[cfg(test)]").next().unwrap_or(source);
        let allowed = ["DEMO_USERS", "seed_if_empty"];
        for line in code.lines().filter(|l| l.contains("demo::")) {
            let names = line
                .trim()
                .strip_prefix("use super::demo::{")
                .and_then(|rest| rest.strip_suffix("};"))
                .unwrap_or_else(|| panic!("admin.rs reaches the demo outside its one import: {line}"));
            for name in names.split(',').map(str::trim) {
                assert!(allowed.contains(&name), "admin.rs takes {name} from the demo");
            }
        }
    }
}
