//! Screens that follow writes: what a command writes shows at once on
//! every screen that has the item (the queue, the detail, the schedule),
//! before the server has it; the server's answer then replaces it
//! (`ItemWritten` reloads what shows the item). Pure, like `update`.

use super::model::{Command, Model, Screen};
use crate::api::{ChangeKind, HistoryEntry, Outcome, TimeEntry, UserRef, WorkItem};
use crate::domain::ItemStatus;

/// Applies a command's write to the model, as the local store now has it.
pub fn apply_command(model: &mut Model, cmd: &Command) {
    match cmd {
        Command::Transition { id, to, version } => move_item(model, *id, *to, *version),
        Command::MarkSession {
            item_id,
            mark,
            version,
        } => move_item(model, *item_id, mark.status(), *version),
        Command::FlagTypical { id, typical, version } => edit_item(model, *id, |i| {
            if i.version == *version {
                i.typical_case = *typical;
                i.version += 1;
            }
        }),
        Command::StartTimer(id) => start(model, *id),
        Command::Claim(id) => claim(model, *id),
        Command::SaveTime { entry, .. } => {
            let mine = model.me_id.unwrap_or_default();
            let at = entry.occurred_at.unwrap_or(model.now);
            if let Some(d) = model.detail.as_mut().filter(|d| d.item.id == entry.item_id) {
                d.time_entries.push(TimeEntry {
                    id: String::new(),
                    item_id: entry.item_id,
                    user_id: mine,
                    minutes: entry.minutes,
                    activity: entry.activity,
                    note: entry.note.clone().unwrap_or_default(),
                    occurred_at: at,
                    created_at: at,
                });
            }
        }
        Command::SaveOutcome { item_id, outcome, .. } => {
            let (mine, at) = (
                model.me_id.unwrap_or_default(),
                outcome.occurred_at.unwrap_or(model.now),
            );
            if let Some(d) = model.detail.as_mut().filter(|d| d.item.id == *item_id) {
                d.outcomes.push(Outcome {
                    id: String::new(),
                    item_id: *item_id,
                    user_id: mine,
                    code: outcome.code,
                    minutes: outcome.minutes,
                    settled_amount: outcome.settled_amount,
                    fee_waived: outcome.fee_waived,
                    note: outcome.note.clone().unwrap_or_default(),
                    occurred_at: at,
                    created_at: at,
                });
                // The server logs the outcome's minutes as time on the item.
                if let Some(minutes) = outcome.minutes {
                    d.time_entries.push(TimeEntry {
                        id: String::new(),
                        item_id: *item_id,
                        user_id: mine,
                        minutes,
                        activity: crate::domain::TimeActivity::Session,
                        note: String::new(),
                        occurred_at: at,
                        created_at: at,
                    });
                }
            }
            // An outcome closes the item.
            edit_item(model, *item_id, |i| {
                if i.status.accepts_outcome() {
                    i.status = ItemStatus::Closed;
                    i.version += 1;
                }
            });
        }
        Command::AddNote { item_id, note, .. } => {
            let entry = HistoryEntry {
                at: model.now,
                actor: me(model),
                action: crate::api::HistoryAction::Note,
                from_status: None,
                to_status: None,
                note: note.clone(),
            };
            if let Some(d) = model.detail.as_mut().filter(|d| d.item.id == *item_id) {
                d.history.push(entry);
            }
        }
        Command::CheckIn(id) | Command::CheckOut(id) => {
            let now = model.now;
            let checking_in = matches!(cmd, Command::CheckIn(_));
            if let Some(shift) = model.duty.iter_mut().find(|s| s.id == *id) {
                if checking_in {
                    shift.checked_in_at.get_or_insert(now);
                } else {
                    shift.checked_out_at.get_or_insert(now);
                }
            }
        }
        _ => {}
    }
}

/// `^r`: seen at once, and its end said (or that the server is away).
pub fn refresh(model: &mut Model) -> Command {
    model.refreshing = true;
    model.notify(rust_i18n::t!("roles.refreshing"));
    reload(model, None)
}

pub fn on_online(model: &mut Model, online: bool) {
    model.online = online;
    if !online && model.refreshing {
        model.refreshing = false;
        model.warn(rust_i18n::t!("roles.refresh_offline"));
    }
}

pub fn on_synced(model: &mut Model, at: crate::domain::EpochMs) {
    model.last_sync = Some(at);
    if model.refreshing {
        model.refreshing = false;
        model.notify(rust_i18n::t!("roles.refreshed", at = super::time::hm(at)));
    }
}

/// What the server's answer to a write about `item_id` asks for: the lists
/// again, and what shows the item now.
pub fn on_written(model: &Model, item_id: i64) -> Command {
    reload(model, Some(item_id))
}

/// Reloads the lists and what the current screen shows (the open item, the
/// schedule's day); `only_item` limits the detail to that item.
pub fn reload(model: &Model, only_item: Option<i64>) -> Command {
    let item_id = model
        .detail_id
        .filter(|_| model.screen == Screen::Detail)
        .filter(|id| only_item.is_none_or(|o| o == *id));
    let date = (model.screen == Screen::Schedule).then(|| model.schedule.date.clone());
    Command::Reload { item_id, date }
}

/// An item as a write left it, wherever it shows.
pub fn on_item_changed(model: &mut Model, item: WorkItem) {
    let id = item.id;
    edit_item(model, id, |i| *i = item.clone());
}

fn me(model: &Model) -> Option<UserRef> {
    Some(UserRef {
        id: model.me_id?,
        username: String::new(),
        display_name: model.identity.user.clone(),
    })
}

/// `t`: the timer starts and the item moves to in progress, as `dutydesk
/// start` does (the backend queues the same moves through the workflow).
fn start(model: &mut Model, id: i64) {
    let Some(item) = model.items.iter().find(|i| i.id == id).cloned() else {
        return;
    };
    let steps = crate::client::writes::to_in_progress(&item).len() as i64;
    if steps > 0 && super::roles::is_mine(model, &item) {
        edit_item(model, id, |i| {
            i.status = ItemStatus::InProgress;
            i.version = item.version + steps;
        });
    }
}

/// A claim shows as mine at once; a lost race (`ClaimConflict`) takes it
/// off both lists, and the server's answer replaces it either way.
fn claim(model: &mut Model, id: i64) {
    let Some(me) = me(model) else { return };
    let Some(pos) = model.pool.iter().position(|i| i.id == id) else {
        return;
    };
    let mut item = model.pool.remove(pos);
    item.assignee = Some(me);
    model.items.retain(|i| i.id != id);
    model.items.push(item.clone());
    if let Some(d) = model.detail.as_mut().filter(|d| d.item.id == id) {
        d.item = item;
    }
    model.rebuild_queue();
}

/// Someone else took it first: it is neither mine nor in the pool.
pub fn on_claim_lost(model: &mut Model, id: i64) {
    model.items.retain(|i| i.id != id);
    model.pool.retain(|i| i.id != id);
    model.rebuild_queue();
}

fn move_item(model: &mut Model, id: i64, to: ItemStatus, version: i64) {
    edit_item(model, id, |i| {
        if i.version == version {
            i.status = to;
            i.version += 1;
        }
    });
}

/// Changes the item in my list, the pool, the open detail and the
/// schedule's day alike, then rebuilds the queue's rows.
fn edit_item(model: &mut Model, id: i64, mut f: impl FnMut(&mut WorkItem)) {
    let lists = model.items.iter_mut().chain(model.pool.iter_mut());
    let detail = model.detail.as_mut().map(|d| &mut d.item);
    let sessions = model
        .schedule
        .schedule
        .iter_mut()
        .flat_map(|s| s.rooms.iter_mut())
        .flat_map(|r| r.sessions.iter_mut());
    for item in lists.chain(detail).chain(sessions).filter(|i| i.id == id) {
        f(item);
    }
    model.rebuild_queue();
}

/// A change the server pushed: a notice, maybe the bell, and a refresh.
pub fn on_push(model: &mut Model, kind: ChangeKind, item_id: Option<i64>) -> Option<Command> {
    let bell = model.bell;
    match kind {
        ChangeKind::Assigned => {
            let id = item_id.map(|i| format!("#{i}")).unwrap_or_default();
            model.notify(rust_i18n::t!("tui.notice.assigned", id = id));
        }
        ChangeKind::ScheduleChanged => model.notify(rust_i18n::t!("tui.notice.schedule_changed")),
        ChangeKind::Heartbeat | ChangeKind::Unknown => return None,
        _ => return Some(Command::Refresh),
    }
    // A new assignment or schedule change rings when the user asked for it;
    // the refresh that follows brings the data.
    if bell {
        Some(Command::Bell)
    } else if model.screen == Screen::Schedule {
        // The day on screen is read again: a session moved in or out of
        // one of its rooms shows at once.
        Some(reload(model, None))
    } else {
        Some(Command::Refresh)
    }
}
