//! Writing a profile's `server` and `user` into config.toml after a
//! successful `login --server`, so the next `dutydesk list` finds them.
//! The file is edited, not rewritten: the user's comments, order and
//! layout stay as they were (toml_edit keeps them).

use std::path::{Path, PathBuf};

use rust_i18n::t;
use toml_edit::{DocumentMut, Item, Table, value};

#[derive(Debug, thiserror::Error)]
pub enum ProfileFileError {
    #[error("{}", t!("firstrun.config_write.unreadable", path = path.display(), error = source))]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{}", t!("firstrun.config_write.invalid", path = path.display(), error = message))]
    Invalid { path: PathBuf, message: String },
    #[error("{}", t!("firstrun.config_write.not_a_table", path = path.display(), key = key))]
    NotATable { path: PathBuf, key: String },
    #[error("{}", t!("firstrun.config_write.unwritable", path = path.display(), error = source))]
    Unwritable { path: PathBuf, source: std::io::Error },
}

/// What to record for one profile; `None` leaves a key as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate<'a> {
    pub server: Option<&'a str>,
    pub user: Option<&'a str>,
}

/// Sets the keys of `[profiles.<profile>]` in the file at `path`, creating
/// the file (0600, in a 0700 dir) or the table as needed. Returns whether
/// anything changed: an unchanged file is not written.
pub fn record_profile(
    path: &Path,
    profile: &str,
    update: &ProfileUpdate<'_>,
) -> Result<bool, ProfileFileError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ProfileFileError::Unreadable {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let Some(edited) = edit_text(&text, profile, update).map_err(|e| e.at(path))? else {
        return Ok(false);
    };
    let unwritable = |source| ProfileFileError::Unwritable {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        super::fsutil::private_dir(dir).map_err(unwritable)?;
    }
    super::fsutil::write_private(path, edited.as_bytes()).map_err(unwritable)?;
    Ok(true)
}

/// Why a text could not be edited, before the path is known.
#[derive(Debug)]
pub enum EditError {
    Invalid(String),
    NotATable(String),
}

impl EditError {
    fn at(self, path: &Path) -> ProfileFileError {
        let path = path.to_path_buf();
        match self {
            EditError::Invalid(message) => ProfileFileError::Invalid { path, message },
            EditError::NotATable(key) => ProfileFileError::NotATable { path, key },
        }
    }
}

/// The config text with the profile's keys set, or `None` when they
/// already had these values.
pub fn edit_text(text: &str, profile: &str, update: &ProfileUpdate<'_>) -> Result<Option<String>, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Invalid(e.message().to_string()))?;
    let profiles = doc
        .entry("profiles")
        .or_insert_with(|| {
            // `[profiles.NAME]` headers only, no bare `[profiles]` line.
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| EditError::NotATable("profiles".into()))?;
    let table = profiles
        .entry(profile)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| EditError::NotATable(format!("profiles.{profile}")))?;
    let mut changed = false;
    for (key, wanted) in [("server", update.server), ("user", update.user)] {
        let Some(wanted) = wanted else { continue };
        if table.get(key).and_then(Item::as_str) == Some(wanted) {
            continue;
        }
        // Keeps a comment written after the old value on the same line.
        match table.get_mut(key).and_then(Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = wanted.into();
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(key, value(wanted));
            }
        }
        changed = true;
    }
    Ok(changed.then(|| doc.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, profile: &str, server: &str, user: &str) -> String {
        edit_text(
            text,
            profile,
            &ProfileUpdate {
                server: Some(server),
                user: Some(user),
            },
        )
        .unwrap()
        .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn an_empty_file_gets_the_profile_table() {
        let out = set("", "default", "https://a.example", "zhang.wei");
        assert_eq!(
            out,
            "[profiles.default]\nserver = \"https://a.example\"\nuser = \"zhang.wei\"\n"
        );
    }

    #[test]
    fn comments_and_other_profiles_stay() {
        let text = "# mine\nlanguage = \"en\" # keep\n\n[profiles.room2]\n# the room's PC\nserver = \"https://old\" # old one\nuser = \"li.na\"\n";
        let out = set(text, "room2", "https://new", "li.na");
        assert_eq!(
            out,
            "# mine\nlanguage = \"en\" # keep\n\n[profiles.room2]\n# the room's PC\nserver = \"https://new\" # old one\nuser = \"li.na\"\n"
        );
        let other = set(text, "default", "https://x", "u");
        assert!(other.starts_with(text), "{other}");
        assert!(
            other.contains("[profiles.default]\nserver = \"https://x\""),
            "{other}"
        );
    }

    #[test]
    fn the_same_values_change_nothing() {
        let text = "[profiles.default]\nserver = \"https://a\"\nuser = \"u\"\n";
        let update = ProfileUpdate {
            server: Some("https://a"),
            user: Some("u"),
        };
        assert!(edit_text(text, "default", &update).unwrap().is_none());
    }

    #[test]
    fn a_profiles_key_that_is_not_a_table_is_named() {
        let update = ProfileUpdate {
            server: Some("https://a"),
            user: None,
        };
        assert!(matches!(
            edit_text("profiles = 3\n", "default", &update),
            Err(EditError::NotATable(k)) if k == "profiles"
        ));
    }
}
