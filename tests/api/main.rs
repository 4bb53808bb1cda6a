//! API tests against the real server (one test binary for the server).
#![cfg(feature = "server")]

mod support;

mod auth;
mod authz;
mod bad_input;
mod bus;
mod commands;
mod corrections;
mod counting;
mod echo;
mod group_commit;
mod intake;
mod intake_admin;
mod intake_authz;
mod intake_units;
mod items;
mod list_encoding;
mod live;
mod login_guard;
mod notes;
mod ops;
mod outcome_corrections;
mod people;
#[path = "../common/period_totals.rs"]
mod period_totals;
#[path = "../common/pg_schema.rs"]
mod pg_schema;
mod read_path;
mod records;
mod rollup;
mod rollup_people;
mod schedule;
mod schedule_live;
mod serve_logs;
mod stats_access;
mod stats_concurrency;
mod stats_consistency;
mod stats_golden;
mod storage;
mod stream_connections;
mod units;
