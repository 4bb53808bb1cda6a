//! login, logout, whoami.

use std::io::BufRead;

use rust_i18n::t;
use serde::Serialize;

use super::{CliError, Ctx, Exit, print_json};
use crate::api::{LoginRequest, LoginResponse, User, paths};
use crate::cli::LoginArgs;
use crate::client::credentials::{StoreKind, Token};
use crate::client::http::{Fetched, HttpError};
use crate::client::plain_http::{self, Secret};
use crate::client::profile_file::{self, ProfileUpdate};
use crate::client::store::Writer;
use crate::client::sync::{ME_KEY, ME_SERVER_KEY};

pub async fn login(ctx: &Ctx, args: LoginArgs) -> Result<Exit, CliError> {
    let server = ctx.server()?;
    let username = args
        .user
        .or_else(|| ctx.config.profile.user.clone())
        .ok_or_else(|| CliError::usage(t!("cli.login.no_user")))?;
    // Before the password is even asked for: it must not be typed for nothing.
    plain_http::check(&ctx.config, &server, Secret::Password).map_err(|e| CliError::usage(e.to_string()))?;
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::new(e.to_string()))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        rpassword::prompt_password(t!(
            "cli.login.password_prompt",
            user = username.as_str(),
            server = server.as_str()
        ))
        .map_err(|e| CliError::new(t!("cli.login.no_tty", error = e)))?
    };
    let device = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| format!("cli:{}", h.trim()))
        .filter(|h| h.len() > 4);
    let request = LoginRequest {
        username: username.clone(),
        password,
        device,
    };
    let body = serde_json::to_value(&request).map_err(|e| CliError::new(e.to_string()))?;
    let mut answer = ctx.api(None)?.post::<LoginResponse>(paths::LOGIN, &body).await;
    // A one-time password: change it now, then sign in with the new one.
    if let Err(HttpError::Refused { problem }) = &answer
        && problem.code == crate::api::ProblemCode::PasswordChangeRequired
    {
        let limited = problem
            .extra
            .get("token")
            .and_then(|t| t.as_str())
            .unwrap_or_default()
            .to_string();
        let new = super::dispatch::first_password(args.password_stdin)?;
        let change = crate::api::intake::PasswordChange {
            current: request.password.clone(),
            new: new.clone(),
        };
        let change = serde_json::to_value(&change).map_err(|e| CliError::new(e.to_string()))?;
        let _: serde_json::Value = ctx
            .api(Some(Token::new(limited)))?
            .post(crate::api::paths::ME_PASSWORD, &change)
            .await?;
        eprintln!("{}", t!("intake.cli.first_password_set"));
        let request = LoginRequest {
            password: new,
            ..request
        };
        let body = serde_json::to_value(&request).map_err(|e| CliError::new(e.to_string()))?;
        answer = ctx.api(None)?.post::<LoginResponse>(paths::LOGIN, &body).await;
    }
    let reply: LoginResponse = match answer {
        Ok(r) => r,
        // 401 on login means the name or password is wrong, not "sign in again".
        Err(HttpError::Unauthorized { .. }) => {
            return Err(CliError {
                message: t!("cli.login.bad_password", user = username.as_str()).into_owned(),
                exit: Exit::Denied,
            });
        }
        // 429 on login: too many wrong passwords for this name; waiting
        // (not retrying now) is the only way on.
        Err(HttpError::ServerTrouble {
            status: 429,
            retry_after,
            ..
        }) => {
            let minutes = retry_after.map_or(15, |d| d.as_secs().div_ceil(60).max(1));
            return Err(CliError {
                message: t!("cli.login.locked", user = username.as_str(), minutes = minutes).into_owned(),
                exit: Exit::Denied,
            });
        }
        Err(e) => return Err(e.into()),
    };
    // Stored only if every later request can carry it (no CR/LF).
    crate::client::http::check_server_token(&server, &reply.token)?;
    let token = Token::new(reply.token);
    let (kind, notice) = ctx.creds.save(&token).await?;
    if let Some(n) = notice {
        eprintln!("{n}");
    }
    // The next `dutydesk list` finds the server and user in the profile.
    let recorded = profile_file::record_profile(
        &ctx.config.path,
        &ctx.config.profile_name,
        &ProfileUpdate {
            server: Some(&server),
            user: Some(&reply.user.username),
        },
    )
    .map_err(|e| CliError::new(e.to_string()))?;
    if recorded {
        eprintln!(
            "{}",
            t!(
                "firstrun.config_write.done",
                server = server.as_str(),
                user = crate::client::text::sanitize(&reply.user.username),
                profile = ctx.config.profile_name.as_str(),
                path = ctx.config.path.display()
            )
        );
    }
    {
        // Another lawyer's (or another server's) cached work must not show
        // under this sign-in: the store switches owner, forgetting its reads.
        let store = ctx
            .store()
            .await?
            .switch_to(Writer {
                user: reply.user.username.clone(),
                server: server.clone(),
            })
            .await?;
        let json = serde_json::to_string(&reply.user).unwrap_or_default();
        store.put_doc(ME_KEY, &json, None).await?;
        let signed_in_to = serde_json::Value::String(server.clone()).to_string();
        store.put_doc(ME_SERVER_KEY, &signed_in_to, None).await?;
        // Work someone else queued here stays theirs: say so, or it would
        // seem lost (it is not sent with this lawyer's token).
        if let Ok(others) = store.others_pending(&reply.user.username, &server).await
            && !others.is_empty()
        {
            let mut whose: Vec<String> = others
                .iter()
                .filter_map(|e| e.writer_user.as_deref())
                .map(crate::client::text::sanitize)
                .collect();
            whose.sort();
            whose.dedup();
            eprintln!(
                "{}",
                t!(
                    "cli.login.others_pending",
                    count = others.len(),
                    users = whose.join(", ")
                )
            );
        }
    }
    tracing::info!(user = %reply.user.username, "signed in");
    println!(
        "{}",
        t!(
            "cli.login.done",
            name = crate::client::text::sanitize(&reply.user.display_name),
            server = server.as_str(),
            store = kind.describe(&ctx.creds.file)
        )
    );
    Ok(Exit::Ok)
}

pub async fn logout(ctx: &Ctx) -> Result<Exit, CliError> {
    // Nothing of the last user's reads stays for whoever sits down next,
    // signed in or not; their unsent outbox entries, drafts and timer stay
    // theirs for their return.
    let Some((token, kind)) = ctx.creds.load().await? else {
        ctx.store().await?.forget_reads().await?;
        println!("{}", t!("cli.logout.not_signed_in"));
        return Ok(Exit::Ok);
    };
    // The token is forgotten here even when the server cannot be told (or
    // may not be: plain http to another host).
    let revoked = match ctx.api(Some(token)) {
        Ok(api) => match api
            .post::<serde_json::Value>(paths::LOGOUT, &serde_json::json!({}))
            .await
        {
            Ok(_) | Err(HttpError::Unauthorized { .. }) => Ok(()),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.message),
    };
    ctx.creds.remove().await?;
    ctx.store().await?.forget_reads().await?;
    if kind == StoreKind::Env {
        eprintln!("{}", t!("cli.logout.env_token"));
    }
    match revoked {
        Ok(()) => {
            println!("{}", t!("cli.logout.done"));
            Ok(Exit::Ok)
        }
        Err(e) => Err(CliError::new(t!("cli.logout.not_revoked", error = e))),
    }
}

#[derive(Serialize)]
struct WhoAmI {
    user: Option<User>,
    server: String,
    profile: String,
    credential_store: &'static str,
    /// True when the user came from the local cache (server unreachable).
    offline: bool,
}

pub async fn whoami(ctx: &Ctx, json: bool) -> Result<Exit, CliError> {
    let (token, kind) = ctx.token().await?;
    let api = ctx.api(Some(token))?;
    let store = ctx.store().await?;
    let (user, offline) = match api.get::<User>(paths::ME, None).await {
        Ok(Fetched::Fresh { value, raw, .. }) => {
            store.put_doc(ME_KEY, &raw, None).await?;
            (Some(value), false)
        }
        Ok(Fetched::NotModified) => (None, false),
        Err(e) if e.is_transient() => {
            eprintln!("{e}");
            let cached = store
                .doc(ME_KEY)
                .await?
                .and_then(|d| serde_json::from_str(&d.json).ok());
            (cached, true)
        }
        Err(e) => return Err(e.into()),
    };
    let who = WhoAmI {
        user,
        server: api.base().to_string(),
        profile: ctx.config.profile_name.clone(),
        credential_store: match kind {
            StoreKind::Env => "env",
            StoreKind::Keyring => "keyring",
            StoreKind::File => "file",
        },
        offline,
    };
    if json {
        print_json(&who)?;
        return Ok(Exit::Ok);
    }
    let name = who
        .user
        .as_ref()
        .map(|u| {
            format!(
                "{} ({}, {})",
                crate::client::text::sanitize(&u.display_name),
                crate::client::text::sanitize(&u.username),
                u.role.as_str()
            )
        })
        .unwrap_or_else(|| "?".into());
    let rows = vec![
        vec![t!("cli.whoami.user").into_owned(), name],
        vec![t!("cli.whoami.server").into_owned(), who.server.clone()],
        vec![t!("cli.whoami.profile").into_owned(), who.profile.clone()],
        vec![
            t!("cli.whoami.store").into_owned(),
            kind.describe(&ctx.creds.file),
        ],
    ];
    print!("{}", crate::client::text::table(&rows));
    Ok(Exit::Ok)
}
