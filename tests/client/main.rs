//! Integration tests of the client core and the scriptable CLI: real SQLite
//! files in temp dirs, the real binary, temp XDG dirs.

mod cli_offline;
mod cli_online;
mod config;
mod credentials;
mod flush;
mod loopback;
mod pull;
mod store;
mod support;
mod text;
// Runs once the reference server (issue 2) is merged: declare it then.
#[cfg(feature = "server")]
mod with_server;
