//! `dutydesk man`: the manual page, generated from the clap tree, renders
//! and names every command; `--out-dir` writes one page per command.

use clap::CommandFactory;

use crate::support::Home;

#[test]
fn the_manual_page_renders_from_the_command_tree() {
    let home = Home::new();
    let out = home.cmd().arg("man").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH dutydesk 1"),
        "{page}"
    );
    assert!(page.contains(".TH dutydesk 1"), "{page}");
    let cli = dutydesk::cli::Cli::command();
    for sub in cli.get_subcommands() {
        assert!(
            page.contains(sub.get_name()),
            "the page names `{}`",
            sub.get_name()
        );
    }

    let dir = home.tmp.path().join("man1");
    let out = home.cmd().args(["man", "--out-dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let login = std::fs::read_to_string(dir.join("dutydesk-login.1")).unwrap();
    assert!(
        login.contains(".TH dutydesk-login 1") && login.contains("password\\-stdin"),
        "{login}"
    );
    assert!(dir.join("dutydesk-outbox-retry.1").exists());
}
