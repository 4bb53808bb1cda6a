//! PostgreSQL for tests: the server named by DUTYDESK_TEST_POSTGRES_URL, and
//! a fresh schema on it per test (its URL sets `search_path`), dropped at
//! the end. Without the variable the PostgreSQL cases are skipped.

#![allow(dead_code)] // each binary uses its own part of it

use std::sync::Once;

static SKIP_NOTICE: Once = Once::new();

/// The PostgreSQL base URL, or `None` (said once) when tests run without.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("DUTYDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        SKIP_NOTICE.call_once(|| {
            eprintln!("DUTYDESK_TEST_POSTGRES_URL is not set: the PostgreSQL cases are skipped")
        });
    }
    url
}

/// The URL of `schema` on the server at `base_url`.
pub fn schema_url(base_url: &str, schema: &str) -> String {
    let sep = if base_url.contains('?') { '&' } else { '?' };
    format!("{base_url}{sep}options=-csearch_path%3D{schema}")
}

/// A fresh schema on the server at `base_url`: (its URL, its name).
pub async fn fresh_schema(base_url: &str) -> (String, String) {
    sqlx::any::install_default_drivers();
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::AnyPool::connect(base_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    (schema_url(base_url, &schema), schema)
}

pub async fn drop_schema(base_url: &str, schema: &str) {
    let admin = sqlx::AnyPool::connect(base_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}
