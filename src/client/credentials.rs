//! Where the token lives: `DUTYDESK_TOKEN`, the OS keyring where it answers,
//! or a 0600 token file in the config dir. Tokens never reach logs,
//! config.toml or error messages: `Token`'s Debug hides it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;
use std::time::Duration;

use rust_i18n::t;

use super::config::{Config, CredentialStoreChoice};
use super::fsutil;

const KEYRING_SERVICE: &str = "dutydesk";
/// A keyring that has not answered by then is treated as absent: on a
/// headless box a hung D-Bus call must not hang the CLI.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Env,
    Keyring,
    File,
}

impl StoreKind {
    pub fn describe(self, file: &std::path::Path) -> String {
        match self {
            Self::Env => t!("cli.cred.store_env").into_owned(),
            Self::Keyring => t!("cli.cred.store_keyring").into_owned(),
            Self::File => t!("cli.cred.store_file", path = file.display()).into_owned(),
        }
    }
}

/// A bearer token. Debug prints no part of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(s: impl Into<String>) -> Self {
        Token(s.into())
    }
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredError {
    #[error("{}", t!("cli.cred.file_open", path = path.display(), mode = format!("{mode:o}")))]
    FileTooOpen { path: PathBuf, mode: u32 },
    #[error("{}", t!("cli.cred.file_owner", path = path.display()))]
    FileNotOurs { path: PathBuf },
    #[error("{}", t!("cli.cred.file_io", path = path.display(), error = source))]
    FileIo { path: PathBuf, source: std::io::Error },
    #[error("{}", t!("cli.cred.file_bad", path = path.display()))]
    FileBad { path: PathBuf },
    #[error("{}", t!("cli.cred.keyring_unavailable", reason = reason))]
    KeyringUnavailable { reason: String },
}

/// The credential stores of one profile.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub file: PathBuf,
    pub profile: String,
    pub choice: CredentialStoreChoice,
    /// `DUTYDESK_TOKEN`, read once at the edge.
    pub env_token: Option<Token>,
}

enum KeyringAnswer {
    Found(String),
    Empty,
    Unavailable(String),
}

impl Credentials {
    pub fn new(config: &Config, env_token: Option<String>) -> Self {
        Credentials {
            file: config.dirs.config.join("credentials"),
            profile: config.profile_name.clone(),
            choice: config.profile.credential_store,
            env_token: env_token.filter(|t| !t.is_empty()).map(Token),
        }
    }

    /// The token in force and the store it came from.
    pub async fn load(&self) -> Result<Option<(Token, StoreKind)>, CredError> {
        if let Some(t) = &self.env_token {
            return Ok(Some((t.clone(), StoreKind::Env)));
        }
        if self.choice != CredentialStoreChoice::File {
            match self.keyring(|e| e.get_password()).await {
                KeyringAnswer::Found(t) => return Ok(Some((Token(t), StoreKind::Keyring))),
                KeyringAnswer::Empty => {}
                KeyringAnswer::Unavailable(reason) if self.choice == CredentialStoreChoice::Keyring => {
                    return Err(CredError::KeyringUnavailable { reason });
                }
                KeyringAnswer::Unavailable(_) => {}
            }
        }
        if self.choice == CredentialStoreChoice::Keyring {
            return Ok(None);
        }
        Ok(match self.read_file()?.remove(&self.profile) {
            Some(toml::Value::String(t)) => Some((Token(t), StoreKind::File)),
            _ => None,
        })
    }

    /// Keeps `token` in the keyring, or the file when the keyring does not
    /// answer (and `auto` allows it). Returns the store used and, when
    /// `auto` fell back, the one-line notice to show.
    pub async fn save(&self, token: &Token) -> Result<(StoreKind, Option<String>), CredError> {
        let mut notice = None;
        if self.choice != CredentialStoreChoice::File {
            let secret = token.0.clone();
            match self
                .keyring(move |e| e.set_password(&secret).map(|()| String::new()))
                .await
            {
                KeyringAnswer::Found(_) | KeyringAnswer::Empty => {
                    // One store only: a stale file token must not outlive this one.
                    self.remove_from_file()?;
                    return Ok((StoreKind::Keyring, None));
                }
                KeyringAnswer::Unavailable(reason) => {
                    if self.choice == CredentialStoreChoice::Keyring {
                        return Err(CredError::KeyringUnavailable { reason });
                    }
                    notice = Some(t!("cli.cred.fell_back", path = self.file.display()).into_owned());
                }
            }
        }
        let mut all = self.read_file()?;
        all.insert(self.profile.clone(), toml::Value::String(token.0.clone()));
        self.write_file(&all)?;
        Ok((StoreKind::File, notice))
    }

    /// Forgets the token in every store (the env variable is the caller's).
    pub async fn remove(&self) -> Result<(), CredError> {
        if self.choice != CredentialStoreChoice::File {
            let _ = self
                .keyring(|e| e.delete_credential().map(|()| String::new()))
                .await;
        }
        self.remove_from_file()
    }

    fn remove_from_file(&self) -> Result<(), CredError> {
        if !self.file.exists() {
            return Ok(());
        }
        let mut all = self.read_file()?;
        if all.remove(&self.profile).is_some() {
            self.write_file(&all)?;
        }
        Ok(())
    }

    async fn keyring<F>(&self, op: F) -> KeyringAnswer
    where
        F: FnOnce(&keyring::Entry) -> keyring::Result<String> + Send + 'static,
    {
        let profile = self.profile.clone();
        let call = tokio::task::spawn_blocking(move || {
            let entry = keyring::Entry::new(KEYRING_SERVICE, &profile)?;
            op(&entry)
        });
        match tokio::time::timeout(KEYRING_TIMEOUT, call).await {
            Ok(Ok(Ok(s))) if s.is_empty() => KeyringAnswer::Empty,
            Ok(Ok(Ok(s))) => KeyringAnswer::Found(s),
            Ok(Ok(Err(keyring::Error::NoEntry))) => KeyringAnswer::Empty,
            Ok(Ok(Err(e))) => KeyringAnswer::Unavailable(e.to_string()),
            Ok(Err(e)) => KeyringAnswer::Unavailable(e.to_string()),
            Err(_) => KeyringAnswer::Unavailable(rust_i18n::t!("cli.creds.keyring_silent").into_owned()),
        }
    }

    /// The token file: one `profile = "token"` line per profile. Refused when
    /// others could read it or it is not ours.
    fn read_file(&self) -> Result<toml::Table, CredError> {
        let path = &self.file;
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(toml::Table::new()),
            Err(source) => {
                return Err(CredError::FileIo {
                    path: path.clone(),
                    source,
                });
            }
        };
        if fsutil::current_uid().is_some_and(|uid| uid != meta.uid()) {
            return Err(CredError::FileNotOurs { path: path.clone() });
        }
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(CredError::FileTooOpen {
                path: path.clone(),
                mode,
            });
        }
        let text = std::fs::read_to_string(path).map_err(|source| CredError::FileIo {
            path: path.clone(),
            source,
        })?;
        text.parse::<toml::Table>()
            .map_err(|_| CredError::FileBad { path: path.clone() })
    }

    fn write_file(&self, all: &toml::Table) -> Result<(), CredError> {
        let io = |source| CredError::FileIo {
            path: self.file.clone(),
            source,
        };
        if let Some(dir) = self.file.parent() {
            fsutil::private_dir(dir).map_err(io)?;
        }
        let text = toml::to_string(all).map_err(|_| CredError::FileBad {
            path: self.file.clone(),
        })?;
        fsutil::write_private(&self.file, text.as_bytes()).map_err(io)
    }
}
