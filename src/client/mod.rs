//! Talking to a server: config, credentials, HTTP, the local store (cache,
//! outbox, drafts, timer) and the sync engine. The TUI and the CLI use this.

pub mod commands;
pub mod config;
pub mod counting;
pub mod credentials;
pub mod edit;
pub mod fsutil;
pub mod http;
pub mod intake_queue;
pub mod plain_http;
pub mod problem_text;
pub mod profile_file;
pub mod session;
pub mod startup;
pub mod store;
pub mod sync;
pub mod text;
pub mod workflow;
pub mod writes;
