//! What the client tests share: a home (tests/common), a server that is
//! down, a loopback engine, plain items.

use std::time::Duration;

use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::LocalStore;
use dutydesk::client::sync::{Engine, RetryPolicy};

pub use crate::home::Home;
pub use crate::work_item::item;

/// A loopback address where nothing listens: the server is "down".
pub fn dead_server() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

// The reference server on 127.0.0.1:0 (`spawn_server`) is in with_server.rs,
// declared once issue 2 is merged; until then `loopback.rs` stands in.

/// A home whose profile names a server that is down.
pub fn offline_home() -> Home {
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        dead_server()
    ));
    home
}

/// The home's local store (the default profile's).
pub async fn open_store(home: &Home) -> LocalStore {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    LocalStore::open(&path).await.unwrap().0
}

/// An engine on a fresh store in `home`, sending to `url` (a loopback peer)
/// with a short backoff.
pub async fn loopback_engine(home: &Home, url: &str) -> Engine {
    loopback_engine_with(
        home,
        url,
        RetryPolicy {
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_times: 3,
            max_retry_after: Duration::from_secs(1),
        },
    )
    .await
}

/// [`loopback_engine`] with its own retry policy.
pub async fn loopback_engine_with(home: &Home, url: &str, policy: RetryPolicy) -> Engine {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_millis(500),
        read: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let api = Api::new(url, Some(Token::new("tok-xyz")), None, timeouts).unwrap();
    Engine::new(store, api).with_policy(policy)
}

/// The local store at `path` as an older version left it: only the client
/// migrations whose file names sort before `first_missing` (e.g. "0004"),
/// for a test to fill with old rows before the store opens it.
pub async fn store_before(path: &std::path::Path, first_missing: &str) -> sqlx::SqlitePool {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let old = tempfile::tempdir().unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/client");
    for file in std::fs::read_dir(&src).unwrap() {
        let file = file.unwrap();
        let name = file.file_name().into_string().unwrap();
        if name.as_str() < first_missing {
            std::fs::copy(file.path(), old.path().join(&name)).unwrap();
        }
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    pool
}

/// An activity entry (`count` trainings), the plainest write to queue.
pub fn activity_entry(count: i64) -> dutydesk::client::store::NewEntry {
    dutydesk::client::store::NewEntry {
        kind: dutydesk::client::store::WriteKind::Activity,
        method: "POST".into(),
        path: dutydesk::api::paths::ACTIVITIES.into(),
        body: serde_json::json!({ "indicator": "trainings", "count": count }),
        summary: format!("activity {count}"),
    }
}
