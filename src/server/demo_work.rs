//! A little recent work for `dutydesk demo`, logged through the storage's
//! own write path (so the statistics count it exactly as they would any
//! outcome, time entry or activity): the newcomer's Stats screen and a
//! closed item's detail show real numbers, not zeros. Not part of
//! `serve --demo`, whose data the tests start from.

use super::AppState;
use super::error::ApiError;
use super::storage::{IdemRequest, Storage};
use crate::api::{NewActivity, NewOutcome, NewTimeEntry, User, WorkItem};
use crate::domain::{EpochMs, ItemKind, ItemStatus, OutcomeCode, TimeActivity, Yuan};

/// One outcome on the first of a lawyer's items of `kind` in `status`.
struct Closing {
    kind: ItemKind,
    status: ItemStatus,
    code: OutcomeCode,
    minutes: i64,
    settled_fen: Option<i64>,
    waived_fen: Option<i64>,
    note: &'static str,
}

pub async fn log_recent_work<S: Storage>(state: &AppState<S>, now: EpochMs) -> Result<(), ApiError> {
    let closings = [
        Closing {
            kind: ItemKind::Consultation,
            status: ItemStatus::InProgress,
            code: OutcomeCode::Answered,
            minutes: 25,
            settled_fen: None,
            waived_fen: None,
            note: "电话答复：可依法主张经济补偿",
        },
        Closing {
            kind: ItemKind::Consultation,
            status: ItemStatus::Waiting,
            code: OutcomeCode::CaseAccepted,
            minutes: 60,
            settled_fen: None,
            waived_fen: None,
            note: "已签署委托代理协议",
        },
        Closing {
            kind: ItemKind::ProBono,
            status: ItemStatus::InProgress,
            code: OutcomeCode::Completed,
            minutes: 90,
            settled_fen: None,
            waived_fen: Some(200_000),
            note: "绿色通道，减免代理费",
        },
        Closing {
            kind: ItemKind::Mediation,
            status: ItemStatus::InProgress,
            code: OutcomeCode::Agreement,
            minutes: 120,
            settled_fen: Some(3_800_000),
            waived_fen: None,
            note: "双方当场达成调解协议",
        },
    ];
    if let Some((lawyer, items)) = work_of(state, "lawyer").await? {
        for c in &closings {
            close(state, &lawyer, &items, c, now).await?;
        }
        if let Some(item) = items.iter().find(|i| i.status == ItemStatus::Accepted) {
            let entry = NewTimeEntry {
                item_id: item.id,
                minutes: 40,
                activity: TimeActivity::Preparation,
                note: Some("阅卷、准备调解方案".into()),
                occurred_at: None,
            };
            state
                .storage
                .log_time_entry(&lawyer, &key(&lawyer), &entry, now)
                .await?;
        }
        for (indicator, count, count2) in [
            ("enterprises_visited", 2, None),
            ("contact_cards", 30, None),
            ("trainings", 1, Some(40)),
        ] {
            activity(state, &lawyer, indicator, count, count2, now).await?;
        }
    }
    if let Some((lawyer2, items)) = work_of(state, "lawyer2").await? {
        close(state, &lawyer2, &items, &closings[0], now).await?;
        activity(state, &lawyer2, "enterprises_visited", 1, None, now).await?;
    }
    // The grassroots office's own outreach, logged by its worker, so its
    // coordinator's form (the unit's) is not empty either.
    if let Some((worker, _)) = work_of(state, "worker").await? {
        for (indicator, count, count2) in [
            ("enterprises_visited", 3, None),
            ("contact_points", 1, None),
            ("trainings", 1, Some(25)),
        ] {
            activity(state, &worker, indicator, count, count2, now).await?;
        }
    }
    Ok(())
}

async fn work_of<S: Storage>(
    state: &AppState<S>,
    username: &str,
) -> Result<Option<(User, Vec<WorkItem>)>, ApiError> {
    let Some((user, _)) = state.storage.user_for_login(username).await? else {
        return Ok(None);
    };
    let items = state.storage.items_changed_since(user.id, 0).await?.items;
    Ok(Some((user, items)))
}

fn key(user: &User) -> IdemRequest {
    IdemRequest {
        user_id: user.id,
        key: uuid::Uuid::now_v7().to_string(),
        hash: "demo".into(),
    }
}

async fn close<S: Storage>(
    state: &AppState<S>,
    me: &User,
    items: &[WorkItem],
    c: &Closing,
    now: EpochMs,
) -> Result<(), ApiError> {
    let Some(item) = items.iter().find(|i| i.kind == c.kind && i.status == c.status) else {
        return Ok(());
    };
    let yuan = |fen: Option<i64>| fen.and_then(|f| Yuan::from_fen(f).ok());
    let outcome = NewOutcome {
        code: c.code,
        minutes: Some(c.minutes),
        settled_amount: yuan(c.settled_fen),
        fee_waived: yuan(c.waived_fen),
        note: Some(c.note.into()),
        occurred_at: None,
    };
    state
        .storage
        .log_outcome(me, item.id, &key(me), &outcome, now)
        .await?;
    Ok(())
}

async fn activity<S: Storage>(
    state: &AppState<S>,
    me: &User,
    indicator: &str,
    count: i64,
    count2: Option<i64>,
    now: EpochMs,
) -> Result<(), ApiError> {
    let req = NewActivity {
        indicator: indicator.into(),
        count,
        count2,
        note: None,
        occurred_at: None,
    };
    state.storage.log_activity(me, &key(me), &req, now).await?;
    Ok(())
}
