//! `dutydesk man`: manual pages generated from the clap tree (clap_mangen),
//! so they always say what `--help` says.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use rust_i18n::t;

use crate::cli::{Cli, ManArgs};

pub fn run(args: &ManArgs) -> ExitCode {
    let result = match &args.out_dir {
        None => render(&Cli::command()).and_then(|page| std::io::stdout().write_all(&page)),
        Some(dir) => write_all(dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dutydesk: {}", t!("firstrun.man.failed", error = e));
            ExitCode::from(1)
        }
    }
}

/// One command's page as roff.
pub fn render(cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    Ok(page)
}

/// `dutydesk.1`, and `dutydesk-login.1` and so on for every command and
/// subcommand (`dutydesk-admin-user-add.1`), into `dir`.
pub fn write_all(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = Cli::command();
    // Gives every subcommand its display name, `dutydesk-admin-user`: the
    // name `man` looks its page up by.
    cmd.build();
    write_tree(dir, &cmd)
}

fn write_tree(dir: &Path, cmd: &clap::Command) -> std::io::Result<()> {
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name());
    std::fs::write(dir.join(format!("{name}.1")), render(cmd)?)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        write_tree(dir, sub)?;
    }
    Ok(())
}
