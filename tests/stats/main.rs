//! Campaign statistics: definitions, periods, rules and the report formats.
//! One test binary for the whole area (each binary costs a slow link).

mod bureau_forms;
mod definitions;
#[path = "../common/period_totals.rs"]
mod period_totals;
mod periods;
mod reports;
mod rules;

use std::path::PathBuf;

use dutydesk::domain::campaign::{CampaignDef, parse_definition};

pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn shipped(name: &str) -> CampaignDef {
    let path = repo_file(&format!("campaigns/{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    parse_definition(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares with `tests/stats/golden/<name>`; `UPDATE_GOLDEN=1` rewrites it.
pub fn golden(name: &str, actual: &[u8]) {
    let path = repo_file(&format!("tests/stats/golden/{name}"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file.\n--- expected\n{}\n--- actual\n{}",
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}
