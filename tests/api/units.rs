//! The tree of units: the demo's bureau and `dutydesk admin unit add|move|list`.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

fn dutydesk(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("dutydesk")
        .unwrap()
        .env("DUTYDESK_LANG", "en")
        .env("LANG", "C")
        .args(args)
        .args(["--db", db])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_demo_bureau_and_admin_unit_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("units.db");
    let db = db.to_str().unwrap();
    assert!(dutydesk(db, &["admin", "seed", "--demo"]).0);
    let (ok, list, err) = dutydesk(db, &["admin", "unit", "list"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines[0], "4\t钟楼区司法局\tdistrict_bureau", "{list}");
    for child in [
        "  1\t明德律师事务所\tlaw_firm",
        "  2\t城关基层法律服务所\tgrassroots_office",
        "  3\t钟楼区法律援助中心\tlegal_aid_centre",
        "  5\t正衡律师事务所\tlaw_firm",
        "  6\t钟楼公证处\tnotary_office",
    ] {
        assert!(lines.contains(&child), "{child} under the bureau:\n{list}");
    }
    // Every unit has people.
    let (_, users, _) = dutydesk(db, &["admin", "user", "list"]);
    for unit in [
        "明德律师事务所",
        "城关基层法律服务所",
        "钟楼区法律援助中心",
        "钟楼区司法局",
        "正衡律师事务所",
        "钟楼公证处",
    ] {
        assert!(
            users.lines().any(|l| l.ends_with(unit)),
            "{unit} has people:\n{users}"
        );
    }

    let (ok, out, err) = dutydesk(
        db,
        &[
            "admin",
            "unit",
            "add",
            "新桥人民调解委员会",
            "--kind",
            "mediation_committee",
            "--parent",
            "2",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("unit 7 added"), "{out}");
    let (_, list, _) = dutydesk(db, &["admin", "unit", "list"]);
    assert!(
        list.contains("\n    7\t新桥人民调解委员会\tmediation_committee"),
        "{list}"
    );

    let (ok, _, err) = dutydesk(db, &["admin", "unit", "add", "X", "--kind", "bank"]);
    assert!(
        !ok && err.contains("unknown unit kind bank") && err.contains("law_firm"),
        "{err}"
    );
    let (ok, _, err) = dutydesk(
        db,
        &[
            "admin", "unit", "add", "X", "--kind", "law_firm", "--parent", "99",
        ],
    );
    assert!(!ok && err.contains("no reporting unit 99"), "{err}");

    // A bureau cannot go under its own grassroots office's committee.
    let (ok, _, err) = dutydesk(db, &["admin", "unit", "move", "4", "--parent", "7"]);
    assert!(!ok && err.contains("cannot go under itself"), "{err}");
    let (ok, _, err) = dutydesk(db, &["admin", "unit", "move", "7", "--parent", "4"]);
    assert!(ok, "{err}");
    let (_, list, _) = dutydesk(db, &["admin", "unit", "list"]);
    assert!(list.contains("\n  7\t新桥人民调解委员会"), "{list}");
    let (ok, _, _) = dutydesk(db, &["admin", "unit", "move", "7", "--root"]);
    assert!(ok);
    let (_, list, _) = dutydesk(db, &["admin", "unit", "list"]);
    assert!(
        list.lines()
            .any(|l| l == "7\t新桥人民调解委员会\tmediation_committee"),
        "{list}"
    );
}
