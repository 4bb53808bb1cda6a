//! API tests against the real server (one test binary for the server).
#![cfg(feature = "server")]

mod support;

mod auth;
mod authz;
mod bad_input;
mod commands;
mod items;
mod live;
mod records;
mod schedule;
mod storage;
