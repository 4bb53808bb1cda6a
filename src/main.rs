//! The `dutydesk` binary: parse the command line, run the command, turn the
//! result into an exit code (see README: 0 ok, 1 error, 2 usage or bad
//! input, 3 saved offline and not yet sent, 4 refused and kept in the
//! outbox, 5 refused and nothing kept).

use std::process::ExitCode;

use clap::Parser;
use dutydesk::cli::Cli;

fn main() -> ExitCode {
    // `dutydesk` alone opens the terminal app: its first frame does not
    // wait for the whole command tree to be built.
    if std::env::args_os().len() == 1
        && let Some(global) = dutydesk::cli::GlobalArgs::from_env_alone()
    {
        return dutydesk::run(Cli {
            global,
            command: None,
        });
    }
    let cli = Cli::parse();
    dutydesk::run(cli)
}
