//! What the client tests share: a home (tests/common), a server that is
//! down, a loopback engine, plain items.

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

/// An engine on a fresh store in `home`, sending to `url` (a loopback peer)
/// with a short backoff.
pub async fn loopback_engine(home: &Home, url: &str) -> dutydesk::client::sync::Engine {
    use std::time::Duration;

    use dutydesk::client::credentials::Token;
    use dutydesk::client::http::{Api, Timeouts};
    use dutydesk::client::store::LocalStore;
    use dutydesk::client::sync::{Engine, RetryPolicy};

    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_millis(500),
        read: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let api = Api::new(url, Some(Token::new("tok-xyz")), None, timeouts).unwrap();
    Engine::new(store, api).with_policy(RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_times: 3,
        max_retry_after: Duration::from_secs(1),
    })
}
