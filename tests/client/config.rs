use dutydesk::cli::GlobalArgs;
use dutydesk::client::config::{Borders, Config, ConfigError, CredentialStoreChoice};

use crate::support::Home;

fn args() -> GlobalArgs {
    GlobalArgs {
        config: None,
        profile: None,
        server: None,
        lang: None,
        verbose: 0,
    }
}

const TWO_PROFILES: &str = r#"
profile = "work"
borders = "ascii"

[keys]
quit = "q"

[profiles.work]
server = "https://work.example/"
user = "zhang"
credential_store = "file"

[profiles.room2]
server = "https://room2.example"
"#;

#[test]
fn file_then_env_then_flags() {
    let home = Home::new();
    home.write_config(TWO_PROFILES);
    let c = Config::load(&args(), home.dirs(), |_| None).unwrap();
    assert_eq!(c.profile_name, "work");
    assert_eq!(c.server().as_deref(), Some("https://work.example"));
    assert_eq!(c.profile.credential_store, CredentialStoreChoice::File);
    assert_eq!(c.borders, Borders::Ascii);
    assert_eq!(c.keys.get("quit").and_then(|v| v.as_str()), Some("q"));

    let env = |k: &str| match k {
        "DUTYDESK_USER" => Some("li".to_string()),
        "DUTYDESK_CREDENTIAL_STORE" => Some("auto".to_string()),
        _ => None,
    };
    let mut a = args();
    a.server = Some("http://127.0.0.1:9".into());
    let c = Config::load(&a, home.dirs(), env).unwrap();
    assert_eq!(c.profile.user.as_deref(), Some("li"));
    assert_eq!(c.profile.credential_store, CredentialStoreChoice::Auto);
    assert_eq!(c.server().as_deref(), Some("http://127.0.0.1:9"));

    let mut a = args();
    a.profile = Some("room2".into());
    let c = Config::load(&a, home.dirs(), |_| None).unwrap();
    assert_eq!(c.server().as_deref(), Some("https://room2.example"));
    assert_eq!(c.profile.user, None);
}

#[test]
fn no_file_means_defaults() {
    let home = Home::new();
    let c = Config::load(&args(), home.dirs(), |_| None).unwrap();
    assert_eq!(c.profile_name, "default");
    assert_eq!(c.server(), None);
    assert!(c.file.is_none());
}

#[test]
fn an_unknown_profile_is_named_with_the_ones_there_are() {
    let home = Home::new();
    home.write_config(TWO_PROFILES);
    let mut a = args();
    a.profile = Some("nobody".into());
    let e = Config::load(&a, home.dirs(), |_| None).unwrap_err().to_string();
    assert!(e.contains("nobody") && e.contains("room2, work"), "{e}");
}

#[test]
fn a_misspelt_key_names_file_line_and_key() {
    let home = Home::new();
    let path = home.write_config("profile = \"work\"\n\n[profiles.work]\nsever = \"https://x\"\n");
    let e = Config::load(&args(), home.dirs(), |_| None).unwrap_err();
    let ConfigError::Invalid { line, key, .. } = &e else {
        panic!("expected Invalid, got {e:?}")
    };
    assert_eq!(*line, 4);
    assert_eq!(key, "profiles.work.sever");
    let msg = e.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("line 4"), "{msg}");
    assert!(msg.contains("server"), "should say what is expected: {msg}");
}

#[test]
fn a_wrong_type_names_the_key() {
    let home = Home::new();
    home.write_config("bell = \"loud\"\n");
    let e = Config::load(&args(), home.dirs(), |_| None).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("line 1") && msg.contains("`bell`"), "{msg}");
    home.write_config("[profiles.default]\ncredential_store = \"vault\"\n");
    let msg = Config::load(&args(), home.dirs(), |_| None)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("line 2") && msg.contains("credential_store") && msg.contains("keyring"),
        "{msg}"
    );
}

#[test]
fn a_bad_env_value_says_what_is_expected() {
    let home = Home::new();
    let env = |k: &str| (k == "DUTYDESK_CREDENTIAL_STORE").then(|| "vault".to_string());
    let msg = Config::load(&args(), home.dirs(), env).unwrap_err().to_string();
    assert!(
        msg.contains("DUTYDESK_CREDENTIAL_STORE=vault") && msg.contains("auto, keyring, file"),
        "{msg}"
    );
}

#[test]
fn a_missing_explicit_config_file_is_an_error() {
    let home = Home::new();
    let mut a = args();
    a.config = Some(home.tmp.path().join("nope.toml"));
    let msg = Config::load(&a, home.dirs(), |_| None).unwrap_err().to_string();
    assert!(msg.contains("nope.toml"), "{msg}");
}

#[test]
fn the_example_config_parses() {
    let home = Home::new();
    let mut a = args();
    a.config = Some(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml").into());
    let c = Config::load(&a, home.dirs(), |_| None).unwrap();
    assert_eq!(c.profile_name, "default");
    assert_eq!(c.server().as_deref(), Some("https://dutydesk.example.gov.cn"));
    a.profile = Some("room2".into());
    let c = Config::load(&a, home.dirs(), |_| None).unwrap();
    assert_eq!(c.profile.credential_store, CredentialStoreChoice::File);
}

#[test]
fn the_binary_reports_a_bad_config_and_exits_1() {
    let home = Home::new();
    home.write_config("[profiles.default]\nserver = 12\n");
    let out = home.cmd().arg("outbox").assert().code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("config.toml") && err.contains("line 2") && err.contains("profiles.default.server"),
        "{err}"
    );
}

#[test]
fn errors_on_lines_with_chinese_text_point_at_the_right_place() {
    let home = Home::new();
    home.write_config("# 配置文件\n[profiles.default]\nuser = \"张伟\"\n服务器 = \"x\"\n");
    let msg = Config::load(&args(), home.dirs(), |_| None)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("line 4") && msg.contains("profiles.default.服务器"),
        "{msg}"
    );
}
