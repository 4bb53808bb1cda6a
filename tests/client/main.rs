//! Integration tests of the client core and the scriptable CLI: real SQLite
//! files in temp dirs, the real binary, temp XDG dirs.

mod cache_keys;
mod cli_offline;
mod cli_online;
mod config;
mod credentials;
#[path = "../common/demo_server.rs"]
mod demo_server;
mod edit;
#[cfg(feature = "server")]
mod exits;
mod flush;
#[cfg(feature = "server")]
mod flush_interrupted;
mod fullwidth;
#[path = "../common/home.rs"]
mod home;
mod hostile;
#[cfg(feature = "server")]
mod initial_sync;
mod json_escape;
mod loopback;
mod manpage;
mod not_the_answer;
mod outbox_kind;
mod outbox_leases;
mod pull;
mod queue_rows;
mod report;
mod resent_writes;
#[cfg(feature = "server")]
#[path = "../../benches/support/seed_items.rs"]
mod seed_items;
mod store;
mod support;
mod terminal_text;
mod text;
// Against the real reference server.
#[cfg(feature = "server")]
mod assign_cli;
#[cfg(feature = "server")]
mod counting_cli;
#[cfg(feature = "server")]
mod firstrun;
#[cfg(feature = "server")]
mod intake_cli;
#[cfg(feature = "server")]
mod middlebox;
#[cfg(feature = "server")]
mod report_lang;
#[cfg(feature = "server")]
mod rollup_cli;
#[cfg(feature = "server")]
mod rollup_people_cli;
#[cfg(feature = "server")]
mod serve_tls;
#[cfg(feature = "server")]
mod server_writes;
#[cfg(feature = "server")]
mod with_server;
#[cfg(feature = "server")]
mod words;
#[path = "../common/work_item.rs"]
mod work_item;
#[cfg(feature = "server")]
mod writers;
