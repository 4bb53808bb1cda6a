//! The words and lists of the session dialog: a clash and a refused slot
//! in the user's language, the rooms, mediators and unbooked requests the
//! dialog offers.

use crate::text as sanitize;
use rust_i18n::t;

use crate::api::UserRef;
use crate::domain::ItemKind;
use crate::domain::slot::{self, SlotError, SlotField};
use crate::tui::context::Context;
use crate::tui::message::Clash;
use crate::tui::screens::schedule::ScheduleState;
use crate::tui::time;

/// "Room 第一调解室 is taken 10:00–11:00 by #23 物业费纠纷 (王芳): pick another
/// time or room."
pub fn clash_text(c: &Clash) -> String {
    let when = format!(
        "{} {}–{}",
        time::date_of(c.start),
        time::hm(c.start),
        time::hm(c.end)
    );
    let key = if c.room_taken {
        "schedule_tui.clash_room"
    } else {
        "schedule_tui.clash_mediator"
    };
    t!(
        key,
        id = c.item_id,
        title = sanitize::clean(&c.title),
        room = sanitize::clean(&c.room),
        mediator = sanitize::clean(&c.mediator),
        when = when
    )
    .into_owned()
}

/// A slot refused by `domain::slot`, in words: what, where, what to type.
pub fn slot_message(e: &SlotError) -> String {
    let field = match e.field() {
        SlotField::Start => t!("schedule_tui.start"),
        SlotField::End => t!("schedule_tui.end"),
    };
    let field = field.trim();
    match e {
        SlotError::Empty(_) => t!("schedule_tui.slot_empty", field = field).into_owned(),
        SlotError::NotATime(_, text) => t!(
            "schedule_tui.slot_not_a_time",
            field = field,
            value = sanitize::clean(text)
        )
        .into_owned(),
        SlotError::OutOfRange(_, text) => t!(
            "schedule_tui.slot_out_of_range",
            field = field,
            value = sanitize::clean(text)
        )
        .into_owned(),
        SlotError::EndNotAfterStart => t!("schedule_tui.slot_end_first").into_owned(),
        SlotError::TooLong { minutes } => t!(
            "schedule_tui.slot_too_long",
            hours = minutes / 60,
            max = slot::MAX_SESSION_MINUTES / 60
        )
        .into_owned(),
    }
}

pub fn rooms(schedule: &ScheduleState) -> Vec<(i64, String)> {
    schedule
        .schedule
        .as_ref()
        .map(|s| s.rooms.iter().map(|r| (r.room.id, r.room.name.clone())).collect())
        .unwrap_or_default()
}

/// The mediators of the day's sessions, each once, by name.
pub fn mediators(schedule: &ScheduleState) -> Vec<UserRef> {
    let mut out: Vec<UserRef> = Vec::new();
    for s in schedule.sessions() {
        if let Some(a) = &s.assignee
            && !out.iter().any(|u| u.id == a.id)
        {
            out.push(a.clone());
        }
    }
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    out
}

/// Cached mediation requests with no session yet, open, by id.
pub fn unbooked(cx: &Context) -> Vec<i64> {
    let mut ids: Vec<i64> = cx
        .items
        .iter()
        .chain(cx.pool.iter())
        .filter(|i| i.kind == ItemKind::Mediation && i.mediation.is_none() && !i.status.is_finished())
        .map(|i| i.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The day's sessions by id and title.
pub fn day_titles(schedule: &ScheduleState) -> Vec<(i64, String)> {
    schedule
        .sessions()
        .into_iter()
        .map(|i| (i.id, i.title.clone()))
        .collect()
}

/// The title of an item: a session of the day first, then the items on hand.
pub fn known_title(day: &[(i64, String)], cx: &Context, id: i64) -> Option<String> {
    day.iter()
        .find(|(i, _)| *i == id)
        .map(|(_, t)| t.clone())
        .or_else(|| cx.known_item(id).map(|i| i.title.clone()))
}
