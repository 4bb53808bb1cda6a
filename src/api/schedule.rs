//! Mediation rooms' day, and duty shifts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{UserRef, WorkItem};
use crate::domain::EpochMs;

/// A lawyer mediation room (律师调解室).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    /// The operator who keeps this room's sessions running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<UserRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoomSchedule {
    pub room: Room,
    /// Sessions in this room that day, by start time.
    pub sessions: Vec<WorkItem>,
}

/// `GET /api/v1/schedule?date=YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Schedule {
    /// The day, `YYYY-MM-DD`, in the server's time zone (Asia/Shanghai).
    pub date: String,
    pub rooms: Vec<RoomSchedule>,
}

/// One duty shift (值班) at a centre or on the hotline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DutyShift {
    pub id: i64,
    pub user_id: i64,
    /// Where: 公共法律服务中心窗口, 12348 热线, ...
    pub place: String,
    pub starts_at: EpochMs,
    pub ends_at: EpochMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<EpochMs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_out_at: Option<EpochMs>,
    pub version: i64,
}

/// `GET /api/v1/duty`: the caller's shifts this week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DutyList {
    pub shifts: Vec<DutyShift>,
}
