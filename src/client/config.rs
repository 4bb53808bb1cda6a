//! Settings, in layers: defaults, then `config.toml` in the config dir (or
//! `--config`), then `DUTYDESK_*` variables, then flags. Profiles let several
//! lawyers share one Unix account, each with their own server, user and token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_i18n::t;
use serde::Deserialize;

use crate::cli::GlobalArgs;

/// Where each kind of file lives. Built once at the edge and passed down, so
/// tests can point everything at temp dirs.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub state: PathBuf,
}

impl Dirs {
    /// The platform's dirs; on Linux `XDG_CONFIG_HOME`, `XDG_DATA_HOME` and
    /// `XDG_STATE_HOME` are honoured (directories does it).
    pub fn from_platform() -> Result<Self, ConfigError> {
        let p = directories::ProjectDirs::from("", "", "dutydesk").ok_or(ConfigError::NoHome)?;
        let state = p.state_dir().unwrap_or_else(|| p.data_local_dir()).join("logs");
        Ok(Dirs {
            config: p.config_dir().to_path_buf(),
            data: p.data_dir().to_path_buf(),
            state,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialStoreChoice {
    /// The keyring where it answers, else the token file.
    #[default]
    Auto,
    Keyring,
    File,
}

impl CredentialStoreChoice {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "keyring" => Some(Self::Keyring),
            "file" => Some(Self::File),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Borders {
    #[default]
    Unicode,
    Ascii,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub server: Option<String>,
    pub user: Option<String>,
    #[serde(default)]
    pub credential_store: CredentialStoreChoice,
    pub ca_file: Option<PathBuf>,
    /// Lets a password or token go over plain `http://` to a host that is
    /// not this machine (a lab without TLS). Off: see `client::plain_http`.
    #[serde(default)]
    pub allow_insecure_http: bool,
}

/// `config.toml` as written. The TUI's `[keys]` and `[theme]` are kept as
/// opaque tables: the TUI checks their contents, not this file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    profile: Option<String>,
    language: Option<String>,
    /// A theme name, or a table of colour overrides.
    theme: Option<toml::Value>,
    borders: Option<Borders>,
    bell: Option<bool>,
    keys: Option<toml::Table>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The settings in force for one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file that was read, if any.
    pub file: Option<PathBuf>,
    /// The file that is read when it exists (`--config`, or `config.toml`
    /// in the config dir): `login --server` writes the profile there.
    pub path: PathBuf,
    pub dirs: Dirs,
    pub profile_name: String,
    pub profile: Profile,
    pub language: Option<String>,
    pub theme: Option<toml::Value>,
    pub borders: Borders,
    pub bell: bool,
    pub keys: toml::Table,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}", t!("cli.config.no_home"))]
    NoHome,
    #[error("{}", t!("cli.config.unreadable", path = path.display(), error = source))]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{}", t!("cli.config.invalid", path = path.display(), line = line, column = column, key = key, message = message))]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        key: String,
        message: String,
    },
    #[error("{}", t!("cli.config.no_profile", name = name, path = path, known = known))]
    NoSuchProfile {
        name: String,
        path: String,
        known: String,
    },
    #[error("{}", t!("cli.config.bad_env", name = name, value = value, expected = expected))]
    BadEnv {
        name: String,
        value: String,
        expected: String,
    },
}

impl Config {
    /// Reads the layers. `env` looks up a variable (tests pass their own).
    /// Flags in `args` already include their `DUTYDESK_*` variables (clap).
    pub fn load(
        args: &GlobalArgs,
        dirs: Dirs,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let explicit = args.config.clone();
        let path = explicit
            .clone()
            .unwrap_or_else(|| dirs.config.join("config.toml"));
        let (file, parsed) = match std::fs::read_to_string(&path) {
            Ok(text) => (Some(path.clone()), parse(&path, &text)?),
            // A missing default file is fine; a missing `--config` file is not.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
                (None, FileConfig::default())
            }
            Err(source) => return Err(ConfigError::Unreadable { path, source }),
        };
        let profile_name = args
            .profile
            .clone()
            .or(parsed.profile.clone())
            .unwrap_or_else(|| "default".to_string());
        let mut profile = match parsed.profiles.get(&profile_name) {
            Some(p) => p.clone(),
            None if profile_name == "default" => Profile::default(),
            None => {
                return Err(ConfigError::NoSuchProfile {
                    name: profile_name,
                    path: file
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| path.display().to_string()),
                    known: parsed.profiles.keys().cloned().collect::<Vec<_>>().join(", "),
                });
            }
        };
        if let Some(user) = env("DUTYDESK_USER") {
            profile.user = Some(user);
        }
        if let Some(v) = env("DUTYDESK_CREDENTIAL_STORE") {
            profile.credential_store = CredentialStoreChoice::parse(&v).ok_or(ConfigError::BadEnv {
                name: "DUTYDESK_CREDENTIAL_STORE".into(),
                value: v,
                expected: "auto, keyring, file".into(),
            })?;
        }
        if let Some(ca) = env("DUTYDESK_CA_FILE") {
            profile.ca_file = Some(PathBuf::from(ca));
        }
        if let Some(server) = &args.server {
            profile.server = Some(server.clone());
        }
        Ok(Config {
            file,
            path,
            dirs,
            profile_name,
            profile,
            language: args.lang.clone().or(parsed.language),
            theme: parsed.theme,
            borders: parsed.borders.unwrap_or_default(),
            bell: parsed.bell.unwrap_or(false),
            keys: parsed.keys.unwrap_or_default(),
        })
    }

    /// The server URL without a trailing slash, or an error saying how to set one.
    pub fn server(&self) -> Option<String> {
        self.profile
            .server
            .as_deref()
            .map(|s| s.trim_end_matches('/').to_string())
    }
}

/// Parses a config text; errors name the file, line, column and key.
fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str::<FileConfig>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        let message = e.message().trim().to_string();
        let key = e
            .span()
            .map(|s| key_at(text, s.start))
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| "?".to_string());
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            key,
            message,
        }
    })
}

/// 1-based line and column (in chars) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// The key named on the line holding `offset`, with its table as a prefix:
/// `profiles.work.credential_store`.
fn key_at(text: &str, offset: usize) -> String {
    let offset = boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    if line.starts_with('[') {
        return line.trim_matches(|c| c == '[' || c == ']').trim().to_string();
    }
    let key = line.split('=').next().unwrap_or("").trim().to_string();
    match table {
        Some(t) if !key.is_empty() => format!("{t}.{key}"),
        _ => key,
    }
}

/// `offset` moved back to a char boundary within `text`, so slicing at it
/// cannot panic whatever span the parser reports.
fn boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}
