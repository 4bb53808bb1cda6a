//! The words and lists of the session dialog: a clash and a refused slot
//! in the user's language, the rooms, mediators and unbooked requests the
//! dialog offers.

use rust_i18n::t;

use crate::api::UserRef;
use crate::domain::ItemKind;
use crate::domain::slot::{self, SlotError, SlotField};
use crate::tui::message::Clash;
use crate::tui::model::Model;
use crate::tui::{sanitize, time};

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

pub fn rooms(model: &Model) -> Vec<(i64, String)> {
    model
        .schedule
        .schedule
        .as_ref()
        .map(|s| s.rooms.iter().map(|r| (r.room.id, r.room.name.clone())).collect())
        .unwrap_or_default()
}

/// The mediators of the day's sessions, each once, by name.
pub fn mediators(model: &Model) -> Vec<UserRef> {
    let mut out: Vec<UserRef> = Vec::new();
    for s in crate::tui::screens::schedule::sessions(model) {
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
pub fn unbooked(model: &Model) -> Vec<i64> {
    let mut ids: Vec<i64> = model
        .items
        .iter()
        .chain(model.pool.iter())
        .filter(|i| i.kind == ItemKind::Mediation && i.mediation.is_none() && !i.status.is_finished())
        .map(|i| i.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub fn known_title(model: &Model, id: i64) -> Option<String> {
    crate::tui::screens::schedule::sessions(model)
        .into_iter()
        .chain(model.items.iter())
        .chain(model.pool.iter())
        .find(|i| i.id == id)
        .map(|i| i.title.clone())
}
