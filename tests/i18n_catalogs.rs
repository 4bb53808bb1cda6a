//! Every user-facing key exists in both zh-CN and en, and the catalogs load.

use std::collections::BTreeMap;

const LOCALES: [&str; 2] = ["en", "zh-CN"];

fn walk(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, Vec<String>>) {
    for (key, value) in table {
        if key == "_version" {
            continue;
        }
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let Some(sub) = value.as_table() else {
            continue;
        };
        if sub.values().all(|v| v.is_str()) {
            out.insert(full, sub.keys().cloned().collect());
        } else {
            walk(&full, sub, out);
        }
    }
}

#[test]
fn every_key_has_both_languages() {
    let mut keys = BTreeMap::new();
    let mut files = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/locales")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            files += 1;
            let table: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
            assert_eq!(
                table.get("_version").and_then(|v| v.as_integer()),
                Some(2),
                "{path:?}"
            );
            walk("", &table, &mut keys);
        }
    }
    assert!(files > 0);
    let mut missing = Vec::new();
    for (key, langs) in &keys {
        for want in LOCALES {
            if !langs.iter().any(|l| l == want) {
                missing.push(format!("{key}: no {want}"));
            }
        }
        for have in langs {
            if !LOCALES.contains(&have.as_str()) {
                missing.push(format!("{key}: unexpected locale {have}"));
            }
        }
    }
    assert!(missing.is_empty(), "catalog gaps:\n{}", missing.join("\n"));
}

#[test]
fn catalogs_load_in_both_languages() {
    assert_eq!(dutydesk::i18n::text("kind.mediation", "en"), "Mediation");
    assert_eq!(dutydesk::i18n::text("kind.mediation", "zh-CN"), "调解");
}
