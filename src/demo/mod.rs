//! `dutydesk demo`: a reference server with demo data on 127.0.0.1, signed
//! in as one demo user, and the TUI on it. Everything (server database,
//! config, token file, client store, logs) lives in one temp dir that is
//! removed afterwards: the user's own files are never touched.

use std::path::Path;
use std::process::ExitCode;

use rust_i18n::t;

use crate::api::{LoginRequest, LoginResponse, paths};
use crate::cli::{DemoArgs, DemoRole, GlobalArgs};
use crate::client::config::{Config, Dirs};
use crate::client::credentials::{Credentials, Token};
use crate::client::http::{Api, Timeouts};
use crate::client::session;
use crate::client::sync::ME_KEY;
use crate::server::{ServerConfig, start};
use crate::tui::app;

mod stale;

/// Every demo user's password (see the server's demo data).
const DEMO_PASSWORD: &str = "demo";
const SHUTDOWN_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

pub fn run(args: &DemoArgs, global: &GlobalArgs) -> ExitCode {
    let role = args.as_role;
    let global = global.clone();
    app::with_runtime(|| async move {
        let temp = std::env::temp_dir();
        // Demos killed before they could clean up (SIGKILL, a power cut)
        // left their server database and token behind: removed here.
        stale::sweep(&temp);
        let root = temp.join(format!("{}{}", stale::PREFIX, uuid::Uuid::new_v4()));
        crate::client::fsutil::private_dir(&root)
            .and_then(|()| stale::mark(&root))
            .map_err(|e| t!("app.demo.temp_dir", path = root.display(), error = e).into_owned())?;
        let result = demo_in(&root, role, &global).await;
        // Best effort: a temp dir left behind is the OS's to clean.
        let _ = std::fs::remove_dir_all(&root);
        result
    })
}

fn username(role: DemoRole) -> &'static str {
    match role {
        DemoRole::Lawyer => "lawyer",
        DemoRole::Operator => "operator",
        DemoRole::Coordinator => "coordinator",
    }
}

async fn demo_in(root: &Path, role: DemoRole, global: &GlobalArgs) -> Result<(), String> {
    let dirs = Dirs {
        config: root.join("config"),
        data: root.join("data"),
        state: root.join("state"),
    };
    crate::client::startup::init_logs(&dirs.state, global.verbose);
    let server = start(ServerConfig {
        db: Some(root.join("server.sqlite").display().to_string()),
        listen: "127.0.0.1:0".into(),
        demo: true,
        ..Default::default()
    })
    .await
    .map_err(|e| t!("app.demo.server_failed", error = e).into_owned())?;
    let url = format!("http://{}", server.addr);
    tracing::info!(%url, "demo server started");
    // Without it the Stats screen shows zeros; the demo works either way.
    let now = server.state.clock.now();
    if let Err(e) = crate::server::demo_work::log_recent_work(&server.state, now).await {
        tracing::warn!(error = ?e, "demo: recent work not logged");
    }
    let result = async {
        // Only the demo's own settings: not the user's config file, profile
        // or DUTYDESK_* variables, and the token in a file in the temp dir.
        let mut args = global.clone();
        args.config = None;
        args.profile = None;
        args.server = Some(url.clone());
        let mut config = Config::load(&args, dirs, |k| {
            (k == "DUTYDESK_CREDENTIAL_STORE").then(|| "file".to_string())
        })
        .map_err(|e| e.to_string())?;
        // An explicit `--config` lends the demo how it looks and speaks
        // (language, borders, theme, bell, keys), never its profiles.
        if global.config.is_some() {
            let dirs = Dirs::from_platform().map_err(|e| e.to_string())?;
            let mut looks = global.clone();
            looks.profile = None;
            let theirs = Config::load(&looks, dirs, |_| None).map_err(|e| e.to_string())?;
            if global.lang.is_none()
                && let Some(lang) = theirs.language.as_deref().and_then(crate::i18n::Language::parse)
            {
                crate::i18n::set_language(lang);
            }
            config.language = theirs.language;
            config.borders = theirs.borders;
            config.theme = theirs.theme;
            config.bell = theirs.bell;
            config.keys = theirs.keys;
        }
        sign_in(&config, &url, username(role)).await?;
        app::open_tui(&config, None).await
    }
    .await;
    // Open event streams end when the server stops; a request still
    // running could hold it, and the demo's data is thrown away anyway, so
    // the user is never kept waiting longer than this.
    match tokio::time::timeout(SHUTDOWN_WAIT, server.shutdown()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "demo server did not stop cleanly"),
        Err(_) => tracing::info!("demo server still draining; leaving it to the runtime"),
    }
    result
}

async fn sign_in(config: &Config, url: &str, user: &str) -> Result<(), String> {
    let api = Api::new(url, None, None, Timeouts::default()).map_err(|e| e.to_string())?;
    let request = LoginRequest {
        username: user.into(),
        password: DEMO_PASSWORD.into(),
        device: Some("demo".into()),
    };
    let body = serde_json::to_value(&request).map_err(|e| e.to_string())?;
    let reply: LoginResponse = api
        .post(paths::LOGIN, &body)
        .await
        .map_err(|e| t!("app.demo.login_failed", user = user, error = e).into_owned())?;
    Credentials::new(config, None)
        .save(&Token::new(reply.token))
        .await
        .map_err(|e| e.to_string())?;
    // The status bar shows who is signed in from the cache.
    let (store, _) = session::open_store(config).await.map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&reply.user).map_err(|e| e.to_string())?;
    store
        .put_doc(ME_KEY, &json, None)
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    Ok(())
}
