//! What every client entry point does first, shared by the CLI and the
//! terminal app: a runtime, the config (and the language it names), and the
//! log file.

use std::path::Path;
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::client::config::{Config, ConfigError, Dirs};

/// Runs `fut` on a two-worker multi-thread runtime (the TUI's backend
/// blocks in place on it to save a draft on a signal).
pub fn block_on<F: std::future::Future>(fut: F) -> std::io::Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let out = runtime.block_on(fut);
    // A keyring call that never answered still holds a blocking thread; it
    // must not keep the process alive after the answer is out.
    runtime.shutdown_timeout(Duration::from_millis(300));
    Ok(out)
}

/// The config from the platform's dirs and the environment; its language
/// applies unless `--lang` chose one; logs start in its state dir.
pub fn load_config(global: &GlobalArgs) -> Result<Config, ConfigError> {
    let dirs = Dirs::from_platform()?;
    let config = Config::load(global, dirs, |k| std::env::var(k).ok())?;
    if global.lang.is_none()
        && let Some(lang) = config.language.as_deref().and_then(crate::i18n::Language::parse)
    {
        crate::i18n::set_language(lang);
    }
    init_logs(&config.dirs.state, global.verbose);
    Ok(config)
}

/// Logs go to a daily file in the state dir: the terminal is for output.
pub fn init_logs(state_dir: &Path, verbose: u8) {
    let level = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    if super::fsutil::private_dir(state_dir).is_err() {
        return;
    }
    let appender = tracing_appender::rolling::daily(state_dir, "dutydesk.log");
    // Only our own crate at the chosen level: reqwest/hyper at debug would
    // log request headers, and with them the token.
    let filter = tracing_subscriber::EnvFilter::new(format!("warn,dutydesk={level}"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(appender)
        .with_ansi(false)
        .try_init();
}
