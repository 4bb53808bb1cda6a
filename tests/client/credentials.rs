use std::os::unix::fs::PermissionsExt;

use dutydesk::client::config::{Config, CredentialStoreChoice};
use dutydesk::client::credentials::{Credentials, StoreKind, Token};

use crate::support::Home;

fn config(home: &Home, choice: &str) -> Config {
    home.write_config(&format!(
        "[profiles.default]\nserver = \"http://127.0.0.1:9\"\ncredential_store = \"{choice}\"\n"
    ));
    let args = dutydesk::cli::GlobalArgs {
        config: None,
        profile: None,
        server: None,
        lang: Some("en".into()),
        verbose: 0,
    };
    Config::load(&args, home.dirs(), |_| None).unwrap()
}

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn file_store_writes_0600_in_a_0700_dir() {
    let home = Home::new();
    let c = config(&home, "file");
    let creds = Credentials::new(&c, None);
    let (kind, notice) = creds.save(&Token::new("secret-abc")).await.unwrap();
    assert_eq!(kind, StoreKind::File);
    assert!(notice.is_none(), "file was asked for: no fallback notice");
    assert_eq!(mode(&creds.file), 0o600);
    assert_eq!(mode(creds.file.parent().unwrap()), 0o700);
    let (t, k) = creds.load().await.unwrap().unwrap();
    assert_eq!((t.secret(), k), ("secret-abc", StoreKind::File));
    let cfg = std::fs::read_to_string(c.file.unwrap()).unwrap();
    assert!(!cfg.contains("secret-abc"), "never in config.toml");
}

#[tokio::test]
async fn auto_without_a_keyring_falls_back_to_the_file_and_says_so() {
    let home = Home::new();
    let c = config(&home, "auto");
    assert_eq!(c.profile.credential_store, CredentialStoreChoice::Auto);
    let creds = Credentials::new(&c, None);
    let started = std::time::Instant::now();
    let (kind, notice) = creds.save(&Token::new("t1")).await.unwrap();
    assert!(started.elapsed().as_secs() < 5, "the keyring must fail fast");
    // This box (like CI) has no Secret Service.
    assert_eq!(kind, StoreKind::File);
    let notice = notice.expect("a one-line notice");
    assert!(
        notice.contains("credentials") && !notice.contains('\n'),
        "{notice}"
    );
    assert_eq!(creds.load().await.unwrap().unwrap().1, StoreKind::File);
}

#[tokio::test]
async fn a_file_others_can_read_is_refused_with_the_fix() {
    let home = Home::new();
    let c = config(&home, "file");
    let creds = Credentials::new(&c, None);
    creds.save(&Token::new("t1")).await.unwrap();
    std::fs::set_permissions(&creds.file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = creds.load().await.unwrap_err().to_string();
    assert!(e.contains(&format!("chmod 600 {}", creds.file.display())), "{e}");
    assert!(e.contains("644"), "{e}");
    assert!(!e.contains("t1\""), "no token in errors: {e}");
}

#[tokio::test]
async fn the_env_token_wins() {
    let home = Home::new();
    let c = config(&home, "file");
    Credentials::new(&c, None)
        .save(&Token::new("from-file"))
        .await
        .unwrap();
    let creds = Credentials::new(&c, Some("from-env".into()));
    let (t, k) = creds.load().await.unwrap().unwrap();
    assert_eq!((t.secret(), k), ("from-env", StoreKind::Env));
}

#[tokio::test]
async fn remove_forgets_only_this_profile() {
    let home = Home::new();
    let c = config(&home, "file");
    let mut other = c.clone();
    other.profile_name = "room2".into();
    Credentials::new(&other, None)
        .save(&Token::new("theirs"))
        .await
        .unwrap();
    let creds = Credentials::new(&c, None);
    creds.save(&Token::new("mine")).await.unwrap();
    creds.remove().await.unwrap();
    assert!(creds.load().await.unwrap().is_none());
    let theirs = Credentials::new(&other, None).load().await.unwrap().unwrap().0;
    assert_eq!(theirs.secret(), "theirs");
}

#[test]
fn debug_never_shows_a_token() {
    assert!(!format!("{:?}", Token::new("s3cr3t")).contains("s3cr3t"));
}

#[tokio::test]
async fn keyring_only_without_a_keyring_says_what_to_do() {
    let home = Home::new();
    let c = config(&home, "keyring");
    let creds = Credentials::new(&c, None);
    let e = creds.save(&Token::new("t1")).await.unwrap_err().to_string();
    assert!(e.contains("credential_store") && e.contains("\"file\""), "{e}");
    assert!(!creds.file.exists(), "keyring only: no file written");
}

/// A private file (the token file, a report written with `--output`) is
/// replaced whole, and a file of the user's beside it is never touched:
/// `form.tmp` next to `form.xlsx` survives writing the form.
#[test]
fn writing_a_private_file_leaves_the_users_other_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("form.xlsx");
    let theirs = dir.path().join("form.tmp");
    std::fs::write(&theirs, "the user's notes").unwrap();
    dutydesk::client::fsutil::write_private(&target, b"first").unwrap();
    dutydesk::client::fsutil::write_private(&target, b"second").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"second");
    assert_eq!(mode(&target), 0o600);
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "the user's notes");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 2, "nothing left behind: {names:?}");
}
