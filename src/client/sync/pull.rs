//! Fetching what changed: items by `since` cursor with `If-None-Match`, the
//! pool, duty and campaigns whole (they are small), schedule by day.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{Engine, Fetch, Stale};
use crate::api::{DutyList, ItemDetail, PoolList, Schedule, WorkItem, paths};
use crate::client::http::{Fetched, HttpError};
use crate::client::store::{CacheRow, DocWrite, ListDelta, StoreError, SyncWrite};

#[derive(Debug, Default, Serialize)]
pub struct PullReport {
    /// Items of mine that changed since the last pull.
    pub items_changed: usize,
    /// The pool came back changed (not a 304).
    pub pool_changed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error(transparent)]
    LocalStore(#[from] StoreError),
}

/// `GET /items` ([`crate::api::ItemList`]) with each item left as its JSON.
#[derive(Deserialize)]
struct RawItemList<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
    cursor: String,
    #[serde(default)]
    removed: Vec<i64>,
}

const ITEMS_KEY: &str = "items";
/// The signed-in user, cached by `login` and `whoami`.
pub const ME_KEY: &str = "me";
/// The server `login` signed in to, as a JSON string.
pub const ME_SERVER_KEY: &str = "me_server";

/// A document that came back changed: decoded, and as received.
pub struct FreshDoc<T> {
    pub value: T,
    pub raw: String,
    pub etag: Option<String>,
}

/// A fetch whose refusal (the role may not see it) is not a failed pull.
fn unless_refused<T>(r: Result<Option<T>, PullError>) -> Result<Option<T>, PullError> {
    match r {
        Err(PullError::Http(HttpError::Refused { .. })) => Ok(None),
        other => other,
    }
}

impl Engine {
    /// Items by cursor (and who is signed in, when not cached), the pool
    /// and duty; everything that came back is written in one transaction.
    /// What arrived is kept even when another part failed; the first
    /// failure is then returned.
    pub async fn pull(&self) -> Result<PullReport, PullError> {
        let mut report = PullReport::default();
        let (cursor, etag) = self.store.sync_state(ITEMS_KEY).await?;
        let path = match &cursor {
            Some(c) => format!("{}?since={}", paths::ITEMS, encode(c)),
            None => paths::ITEMS.to_string(),
        };
        // In the order a server (or a scripted test peer) has always seen:
        // the items, who I am (only to sort a non-empty delta, and only when
        // not cached), the pool, duty.
        let fresh_items = match self.api.get_text(&path, etag.as_deref()).await? {
            Fetched::Fresh { etag, raw, .. } => Some((etag, raw)),
            Fetched::NotModified => None,
        };
        let url = format!("{}{}", self.api.base(), path);
        let bad = |e: serde_json::Error| HttpError::BadResponse {
            url: url.clone(),
            reason: e.to_string(),
        };
        let list = match &fresh_items {
            Some((_, raw)) => Some(serde_json::from_str::<RawItemList<'_>>(raw).map_err(bad)?),
            None => None,
        };
        let needs_me = list.as_ref().is_some_and(|l| !l.items.is_empty());
        let cached_me = match needs_me {
            true => self.cached_doc::<crate::api::User>(ME_KEY).await?,
            false => None,
        };
        let (me, me_doc) = match (needs_me, cached_me) {
            (false, _) => (None, None),
            (true, Some(me)) => (Some(me.id), None),
            (true, None) => {
                let fresh = self.fetch_fresh::<crate::api::User>(paths::ME, ME_KEY).await?;
                (fresh.as_ref().map(|f| f.value.id), fresh)
            }
        };
        let pool = self.fetch_fresh::<PoolList>(paths::POOL, "pool").await;
        // Fetched to be cached for the Duty screen and `dutydesk duty`.
        let duty = self.fetch_fresh::<DutyList>(paths::DUTY, "duty").await;
        let mut failed: Option<PullError> = None;
        let mut keep = |e: PullError| {
            failed.get_or_insert(e);
        };
        let (pool, duty) = (unless_refused(pool), unless_refused(duty));
        let pool = pool.unwrap_or_else(|e| {
            keep(e);
            None
        });
        let duty = duty.unwrap_or_else(|e| {
            keep(e);
            None
        });
        let mut rows = Vec::new();
        let mut gone = Vec::new();
        if let Some(list) = &list {
            report.items_changed = list.items.len() + list.removed.len();
            // Each item is decoded once, to check it and read its keys, and
            // cached as the server sent it: no encoding it back to JSON. An
            // item reassigned to someone else, or back in the pool with no
            // assignee, arrives in the delta: it leaves "mine".
            rows.reserve(list.items.len());
            for json in &list.items {
                let item: WorkItem = serde_json::from_str(json.get()).map_err(bad)?;
                if me.is_some_and(|me| item.assignee.as_ref().is_none_or(|a| a.id != me)) {
                    gone.push(item.id);
                }
                rows.push(CacheRow::new(&item, Cow::Borrowed(json.get())));
            }
            // Items that left this user since the cursor come as ids only.
            gone.extend_from_slice(&list.removed);
        }
        let pool_rows = match &pool {
            Some(pool) => pool
                .value
                .items
                .iter()
                .map(CacheRow::encoded)
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let mut write = SyncWrite {
            delta: list
                .as_ref()
                .zip(fresh_items.as_ref())
                .map(|(list, (etag, _))| ListDelta {
                    list: crate::client::store::MINE,
                    rows: &rows,
                    gone: &gone,
                    sync_key: ITEMS_KEY,
                    cursor: Some(&list.cursor),
                    etag: etag.as_deref(),
                }),
            whole: pool
                .as_ref()
                .map(|_| (crate::client::store::POOL, pool_rows.as_slice())),
            docs: Vec::new(),
        };
        if let Some(pool) = &pool {
            write.docs.push(doc_write("pool", pool));
        }
        if let Some(duty) = &duty {
            write.docs.push(doc_write("duty", duty));
        }
        if let Some(me) = &me_doc {
            write.docs.push(doc_write(ME_KEY, me));
        }
        self.store.apply_sync(write).await?;
        report.pool_changed = pool.is_some();
        match failed {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// GETs a whole document with its cached ETag, without caching it.
    /// `None` when the server says it has not changed.
    async fn fetch_fresh<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
    ) -> Result<Option<FreshDoc<T>>, PullError> {
        let etag = self.store.doc(key).await?.and_then(|d| d.etag);
        match self.api.get::<T>(path, etag.as_deref()).await? {
            Fetched::NotModified => Ok(None),
            Fetched::Fresh { value, etag, raw } => Ok(Some(FreshDoc { value, raw, etag })),
        }
    }

    /// GETs a whole document with its cached ETag, caching it under `key`.
    /// `None` when the server says it has not changed.
    pub async fn fetch_doc<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
    ) -> Result<Option<T>, PullError> {
        let etag = self.store.doc(key).await?.and_then(|d| d.etag);
        match self.api.get::<T>(path, etag.as_deref()).await? {
            Fetched::NotModified => Ok(None),
            Fetched::Fresh { value, etag, raw } => {
                self.store.put_doc(key, &raw, etag.as_deref()).await?;
                Ok(Some(value))
            }
        }
    }

    /// One day's room schedule; offline, the copy fetched last.
    pub async fn schedule(&self, date: &str) -> Result<Fetch<Schedule>, PullError> {
        let path = format!("{}?date={}", paths::SCHEDULE, encode(date));
        self.fetch_or_cached(&path, &format!("schedule:{date}")).await
    }

    /// An item with its history; offline, the copy fetched last.
    pub async fn item_detail(&self, id: i64) -> Result<Fetch<ItemDetail>, PullError> {
        self.fetch_or_cached(&paths::with_id(paths::ITEM, id), &format!("item:{id}"))
            .await
    }

    /// This week's shifts; offline, the copy fetched last.
    pub async fn duty(&self) -> Result<Fetch<DutyList>, PullError> {
        self.fetch_or_cached(paths::DUTY, "duty").await
    }

    /// The campaigns; offline, the copy fetched last.
    pub async fn campaigns(&self) -> Result<Fetch<crate::api::CampaignList>, PullError> {
        self.fetch_or_cached(paths::CAMPAIGNS, "campaigns").await
    }

    /// Fetches and caches under `key`; offline, the cached copy if there is one.
    pub async fn fetch_or_cached<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
    ) -> Result<Fetch<T>, PullError> {
        let trouble = match self.fetch_doc::<T>(path, key).await {
            Ok(Some(value)) => return Ok(Fetch { value, stale: None }),
            // 304: the cached copy is the server's answer.
            Ok(None) => None,
            Err(PullError::Http(e)) if e.is_transient() => Some(e),
            Err(e) => return Err(e),
        };
        match (self.store.doc(key).await?, trouble) {
            (Some(doc), trouble) => Ok(Fetch {
                value: serde_json::from_str(&doc.json).map_err(crate::client::store::StoreError::from)?,
                stale: trouble.map(|e| Stale {
                    fetched_at: doc.fetched_at,
                    reason: e.to_string(),
                }),
            }),
            (None, Some(e)) => Err(e.into()),
            (None, None) => Err(PullError::Http(HttpError::BadResponse {
                url: path.to_string(),
                reason: "304 without a cached copy".into(),
            })),
        }
    }

    /// A cached document, for reading offline.
    pub async fn cached_doc<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        match self.store.doc(key).await? {
            Some(d) => Ok(Some(serde_json::from_str(&d.json)?)),
            None => Ok(None),
        }
    }
}

/// Percent-encodes a query value (cursors are opaque to us).
pub(super) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn doc_write<'a, T>(key: &'a str, doc: &'a FreshDoc<T>) -> DocWrite<'a> {
    DocWrite {
        key,
        json: &doc.raw,
        etag: doc.etag.as_deref(),
    }
}
