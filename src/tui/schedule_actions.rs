//! The answers to booking, moving and cancelling a session: the model's
//! part (the dialog that asked, the day shown, the item everywhere). The
//! schedule's keys are in `screens::schedule::keys`.

use crate::text as sanitize;
use rust_i18n::t;

use super::model::{Command, Model, SessionRefusal};
use super::popups::Popup;

use crate::api::WorkItem;
use crate::domain::ItemStatus;

/// The server answered a booking, move or cancel: done closes the dialog
/// and reloads the day; a refusal stays on the dialog that sent it.
pub fn answered(
    model: &mut Model,
    item_id: i64,
    result: Result<Box<WorkItem>, SessionRefusal>,
) -> Option<Command> {
    let waiting = match &model.popup {
        Some(Popup::Session(f)) => f.sending == Some(item_id),
        Some(Popup::CancelSession(f)) => f.sending && f.item_id == item_id,
        _ => false,
    };
    match result {
        Ok(item) => {
            if waiting {
                model.popup = None;
            }
            let text = match &item.mediation {
                _ if item.status == ItemStatus::Cancelled => t!("schedule_tui.cancelled", id = item_id),
                Some(m) => t!(
                    "schedule_tui.booked",
                    id = item_id,
                    room = sanitize::clean(&m.room_name),
                    date = super::time::date_of(m.scheduled_start),
                    start = super::time::hm(m.scheduled_start),
                    end = super::time::hm(m.scheduled_end)
                ),
                None => t!("schedule_tui.saved", id = item_id),
            };
            model.notify(text);
            // The day the session is on now, so the operator sees it there.
            if let Some(m) = &item.mediation {
                model.schedule.date = super::time::date_of(m.scheduled_start);
            }
            super::follow::on_item_changed(model, *item);
            Some(Command::FetchSchedule(model.schedule.date.clone()))
        }
        Err(refusal) => {
            model.warn(t!("schedule_tui.refused", id = item_id));
            match &mut model.popup {
                Some(Popup::Session(f)) if waiting => f.refused(refusal),
                Some(Popup::CancelSession(f)) if waiting => f.refused(refusal),
                _ => model.warn(sanitize::clean(&refusal.message)),
            }
            None
        }
    }
}
