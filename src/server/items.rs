//! `/api/v1/items`, `/pool`, claim and transition.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery, ApiResult};
use super::events::Change;
use super::item_store::{
    ITEM_SELECT, NewHistory, add_history, item_from_row, load_history, load_item, may_change, may_see,
    touch_item,
};
use super::records::{load_outcomes, load_time_entries};
use crate::api::{ChangeKind, ItemDetail, ItemList, PoolList, ProblemCode, TransitionRequest};
use crate::domain::{ItemStatus, Role};

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<String>,
}

pub async fn list(
    State(state): State<Shared>,
    me: AuthUser,
    ApiQuery(q): ApiQuery<SinceQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let since: i64 = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse().ok().filter(|v: &i64| *v >= 0).ok_or_else(|| {
            ApiError::new(
                ProblemCode::InvalidParameter,
                format!(
                    "`since` must be a cursor from an earlier list, got {s:?}; drop it to get everything"
                ),
            )
        })?,
    };
    // Without a cursor: what the caller holds. With one: also items that
    // left the caller since, carrying their new assignee, so clients drop them.
    let sql = if since == 0 {
        format!("{ITEM_SELECT} WHERE i.assignee_id = $1 AND i.change_seq > $2 ORDER BY i.change_seq")
    } else {
        format!(
            "{ITEM_SELECT} WHERE (i.assignee_id = $1 OR i.previous_assignee_id = $1) AND i.change_seq > $2 \
             ORDER BY i.change_seq"
        )
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(me.id())
        .bind(since)
        .fetch_all(&state.store.pool)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut cursor = since;
    for r in &rows {
        let row = item_from_row(r)?;
        cursor = cursor.max(sqlx::Row::try_get::<i64, _>(r, "change_seq")?);
        items.push(row.item);
    }
    let etag = format!("\"u{}-c{}-n{}\"", me.id(), cursor, items.len());
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    let body = ItemList {
        items,
        cursor: cursor.to_string(),
    };
    Ok(([(header::ETAG, etag_value)], Json(body)).into_response())
}

pub async fn detail(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ItemDetail>> {
    let row = load_item(&state.store.pool, id)
        .await?
        .filter(|r| may_see(&me, r))
        .ok_or_else(|| ApiError::not_found("item"))?;
    let history = load_history(&state.store.pool, id).await?;
    let outcomes = load_outcomes(&state.store.pool, id).await?;
    let time_entries = load_time_entries(&state.store.pool, id).await?;
    Ok(Json(ItemDetail {
        item: row.item,
        history,
        outcomes,
        time_entries,
    }))
}

pub async fn pool(State(state): State<Shared>, me: AuthUser) -> ApiResult<Json<PoolList>> {
    if !me.role().takes_work() && me.role() != Role::Admin {
        return Ok(Json(PoolList { items: Vec::new() }));
    }
    let sql = format!(
        "{ITEM_SELECT} WHERE i.assignee_id IS NULL AND i.unit_id = $1 AND i.status NOT IN ('closed', 'cancelled', 'no_show') \
         ORDER BY i.green_channel DESC, i.due_at"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(me.unit_id())
        .fetch_all(&state.store.pool)
        .await?;
    let items = rows
        .iter()
        .map(|r| item_from_row(r).map(|x| x.item))
        .collect::<Result<_, _>>()?;
    Ok(Json(PoolList { items }))
}

pub async fn claim(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<crate::api::WorkItem>> {
    let now = now_ms();
    let mut w = state.store.begin_write().await?;
    let row = load_item(&mut *w.tx, id).await?;
    let row = row
        .filter(|r| r.item.unit_id == me.unit_id() || me.role() == Role::Admin)
        .filter(|_| me.role().takes_work())
        .ok_or_else(|| ApiError::not_found("item"))?;
    if row.item.assignee.is_none() && row.item.status.is_finished() {
        return Err(ApiError::new(
            ProblemCode::InvalidTransition,
            format!(
                "the item is {}; there is nothing left to claim",
                row.item.status.as_str()
            ),
        ));
    }
    // The conditional update picks exactly one winner among concurrent claims.
    let done = sqlx::query(
        "UPDATE items SET assignee_id = $1, previous_assignee_id = NULL, status = CASE WHEN status = 'new' THEN 'accepted' ELSE status END \
         WHERE id = $2 AND assignee_id IS NULL",
    )
    .bind(me.id())
    .bind(id)
    .execute(&mut *w.tx)
    .await?;
    if done.rows_affected() != 1 {
        drop(w);
        let holder = load_item(&state.store.pool, id)
            .await?
            .and_then(|r| r.item.assignee);
        let who = holder
            .map(|h| h.display_name)
            .unwrap_or_else(|| "someone else".to_string());
        return Err(ApiError::new(
            ProblemCode::AlreadyClaimed,
            format!("{who} claimed this item first; pick another from the pool"),
        ));
    }
    touch_item(&mut w.tx, id, now).await?;
    let to = (row.item.status == ItemStatus::New).then_some(ItemStatus::Accepted);
    add_history(
        &mut w.tx,
        NewHistory {
            item_id: id,
            at: now,
            actor_id: Some(me.id()),
            action: "claimed",
            from: to.map(|_| row.item.status),
            to,
            note: "",
        },
    )
    .await?;
    let after = load_item(&mut *w.tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    w.tx.commit().await?;
    state.publish(Change::for_item(ChangeKind::Assigned, &after, None, now));
    state.publish(Change::for_item(ChangeKind::PoolChanged, &after, None, now));
    Ok(Json(after.item))
}

pub async fn transition(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> ApiResult<Json<crate::api::WorkItem>> {
    let now = now_ms();
    let mut w = state.store.begin_write().await?;
    let row = load_item(&mut *w.tx, id)
        .await?
        .filter(|r| may_see(&me, r))
        .ok_or_else(|| ApiError::not_found("item"))?;
    if !may_change(&me, &row) {
        return Err(ApiError::forbidden(
            "only the assigned lawyer or mediator may change this item",
        ));
    }
    if row.item.version != req.version {
        return Err(ApiError::new(
            ProblemCode::VersionConflict,
            format!(
                "the item changed since you loaded it (version {} now, you sent {}); reload and try again",
                row.item.version, req.version
            ),
        ));
    }
    row.item
        .status
        .check_transition(row.item.kind, req.to)
        .map_err(|e| ApiError::new(ProblemCode::InvalidTransition, e.to_string()))?;
    let done = sqlx::query("UPDATE items SET status = $1 WHERE id = $2 AND version = $3")
        .bind(req.to.as_str())
        .bind(id)
        .bind(req.version)
        .execute(&mut *w.tx)
        .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::new(
            ProblemCode::VersionConflict,
            "the item changed meanwhile; reload and try again",
        ));
    }
    touch_item(&mut w.tx, id, now).await?;
    add_history(
        &mut w.tx,
        NewHistory {
            item_id: id,
            at: now,
            actor_id: Some(me.id()),
            action: "status",
            from: Some(row.item.status),
            to: Some(req.to),
            note: "",
        },
    )
    .await?;
    let after = load_item(&mut *w.tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    w.tx.commit().await?;
    state.publish(Change::for_item(ChangeKind::Updated, &after, None, now));
    Ok(Json(after.item))
}
