//! `update`: a message in, the model changed, maybe a command out. No
//! I/O and no clock: time arrives as `Message::Tick`.

use crossterm::event::{KeyEvent, KeyEventKind};
use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Message, Model, QueueTab, Screen, context};
use super::popups::outcome::OutcomeForm;
use super::popups::{Popup, help, message, palette};
use super::screens::{self, detail, dispatch, duty, intake, outbox, queue, schedule, stats};
use super::{dialog_update, dispatch_actions};
use crate::api::ChangeKind;
use crate::text as sanitize;

pub fn update(model: &mut Model, msg: Message) -> Option<Command> {
    let cmd = step(model, msg);
    // What a command writes shows at once, on every screen with the item.
    if let Some(c) = &cmd {
        super::follow::apply_command(model, c);
    }
    cmd
}

fn step(model: &mut Model, msg: Message) -> Option<Command> {
    match msg {
        Message::Key(key) => {
            if key.kind == KeyEventKind::Release {
                return None;
            }
            on_key(model, key)
        }
        Message::Resize(w, h) => {
            model.width = w;
            model.height = h;
            None
        }
        Message::Tick(now) => {
            model.now = now;
            dialog_update::autosave(model)
        }
        Message::Home(action) | Message::Run(action) => apply_action(model, action),
        Message::SignedIn { role, user_id } => {
            let home = super::roles::on_signed_in(model, role, user_id)?;
            apply_action(model, home)
        }
        Message::NotForRole(screen) => {
            super::roles::on_not_for_role(model, screen);
            None
        }
        Message::ItemChanged(item) => {
            super::follow::on_item_changed(model, *item);
            None
        }
        Message::ItemWritten(id) => Some(super::follow::on_written(model, id)),
        // The rows are rebuilt only when the list on screen changed.
        Message::ItemsLoaded(mut items) => {
            model.queue.keep_party_names(&mut items, &model.pool);
            super::hydrate::carry_open(model.detail_id, &model.items, &mut items);
            model.items = items;
            if model.queue.tab() != QueueTab::Pool {
                model.rebuild_queue();
            }
            None
        }
        Message::PartyNames(names) => {
            model.queue.add_party_names(names);
            None
        }
        Message::PoolLoaded(mut items) => {
            model.queue.keep_party_names(&mut items, &model.items);
            super::hydrate::carry_open(model.detail_id, &model.pool, &mut items);
            model.pool = items;
            if model.queue.tab() == QueueTab::Pool {
                model.rebuild_queue();
            }
            None
        }
        Message::ItemDetailLoaded(detail) => {
            if model.detail_id == Some(detail.item.id) {
                model.detail = Some(*detail);
            }
            None
        }
        Message::ScheduleLoaded(s) => {
            if s.date == model.schedule.date {
                model.schedule.schedule = Some(s);
                let n = model.schedule.sessions().len();
                model.schedule.selected = model.schedule.selected.min(n.saturating_sub(1));
            }
            None
        }
        Message::DutyLoaded(shifts) => {
            model.duty_state.selected = model.duty_state.selected.min(shifts.len().saturating_sub(1));
            model.duty = shifts;
            None
        }
        Message::OutboxChanged(summary) => {
            let n = summary.entries.len();
            model.outbox = summary;
            model.outbox_state.selected = model.outbox_state.selected.min(n.saturating_sub(1));
            None
        }
        Message::TimerChanged(timer) => {
            model.timer = timer;
            None
        }
        Message::DraftFound { draft, item } => {
            if item.id == draft.item_id {
                let form = OutcomeForm::from_draft(&draft, item.kind, &item.title);
                model.popup = Some(Popup::Outcome(Box::new(form)));
                model.notify(t!("tui.notice.draft_restored"));
            }
            None
        }
        Message::Saved { request } => dialog_update::on_saved(model, request),
        Message::Sent { request } => {
            dialog_update::on_sent(model, request);
            None
        }
        Message::Failed { request, message } => {
            dialog_update::on_failed(model, request, message);
            None
        }
        Message::ClaimConflict { item_id, taken_by } => {
            super::follow::on_claim_lost(model, item_id);
            model.popup = Some(Popup::Message(message::MessageBox {
                title: t!("tui.claim.conflict_title").into_owned(),
                text: t!(
                    "tui.claim.conflict",
                    id = item_id,
                    name = sanitize::clean(&taken_by)
                )
                .into_owned(),
            }));
            Some(Command::Refresh)
        }
        Message::Error(text) => {
            model.warn(sanitize::clean(&text));
            None
        }
        Message::Online(online) => {
            super::follow::on_online(model, online);
            None
        }
        Message::Synced(at) => {
            super::follow::on_synced(model, at);
            None
        }
        // The Dispatch screen follows the unit's work live.
        Message::Pushed(event)
            if model.screen == Screen::Dispatch
                && !matches!(event.kind, ChangeKind::Heartbeat | ChangeKind::Unknown) =>
        {
            Some(dispatch::keys::fetch(&model.dispatch))
        }
        Message::Pushed(event) => super::follow::on_push(model, event.kind, event.item_id),
        Message::DeadlinesLoaded(list) => {
            model.deadlines = list;
            None
        }
        // Said once, as the app starts; the queue marks them from then on.
        Message::OverdueLoaded(items) => {
            if let Some(text) = super::overdue::notice(&items, model.now) {
                model.remind(text);
            }
            None
        }
        Message::CampaignsLoaded(list) => {
            if let Some(Popup::Activity(form)) = &mut model.popup {
                form.set_campaigns(&list, model.now);
            }
            let reply = stats::actions::on_message(
                &mut model.stats,
                &context!(model),
                Message::CampaignsLoaded(list),
            );
            model.apply(reply)
        }
        Message::StatsLoaded { .. }
        | Message::StatsPending(_)
        | Message::ExportDone { .. }
        | Message::ExportFailed { .. } => {
            let reply = stats::actions::on_message(&mut model.stats, &context!(model), msg);
            model.apply(reply)
        }
        Message::DispatchLoaded {
            unit,
            items,
            people,
            units_below,
        } => {
            let cx = context!(model);
            dispatch::keys::on_loaded(&mut model.dispatch, &cx, unit, items, people, units_below);
            None
        }
        Message::Assigned { item, conflicts } => dispatch_actions::on_assigned(model, *item, conflicts),
        Message::AssignStale { item_id } => dispatch_actions::on_stale(model, item_id),
        Message::SessionAnswered { item_id, result } => {
            super::schedule_actions::answered(model, item_id, result)
        }
        Message::IntakeUnitsLoaded(_)
        | Message::IntakeLoaded(_)
        | Message::ConflictsFound(_)
        | Message::ConflictReviewed { .. }
        | Message::SignInRefused { .. }
        | Message::ConflictAcked(_) => super::intake_actions::on_message(model, msg),
        Message::CachedItem(whole) => {
            super::hydrate::on_cached_item(model, &whole);
            None
        }
        Message::StoreDamaged => {
            model.quitting = true;
            Some(Command::Quit)
        }
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Option<Command> {
    if model.popup.is_some() {
        return match dialog_update::on_key(model, key) {
            Ok(cmd) => cmd,
            Err(next) => step(model, *next),
        };
    }
    if model.screen == Screen::Queue && model.queue.filtering {
        queue::keys::filter_key(&mut model.queue, &context!(model), key);
        return None;
    }
    if model.screen == Screen::Stats && model.stats.export == stats::ExportState::Choosing {
        return stats::actions::export_key(&mut model.stats, key);
    }
    let action = model.keymap.action(model.screen, &key)?;
    apply_action(model, action)
}

/// What an action does where the user is. The palette runs actions here too.
pub fn apply_action(model: &mut Model, action: Action) -> Option<Command> {
    let page = (model.height as isize - 6).max(1);
    // Offered only where it makes sense for this role and what the screen
    // shows; otherwise say what would.
    // The activity form says itself why this role logs no work of its own.
    if !super::roles::may(model, action) && action != Action::LogActivity {
        return super::roles::refuse(model, action);
    }
    match action {
        Action::Quit => {
            model.quitting = true;
            Some(Command::Quit)
        }
        Action::Help => {
            let actions = super::roles::offered(model);
            model.popup = Some(Popup::Help(help::Help { actions }));
            None
        }
        Action::Palette => {
            let offered = super::roles::offered(model);
            model.popup = Some(Popup::Palette(palette::Palette::offering(offered)));
            None
        }
        // Back on a unit opened below one's own goes up the tree first.
        Action::Back if model.screen == Screen::Stats && !model.stats.unit_path.is_empty() => {
            let reply = stats::actions::apply(&mut model.stats, &context!(model), Action::UnitUp);
            model.apply(reply)
        }
        Action::Back => {
            if model.screen == Screen::Queue {
                if !model.queue.filter.is_empty() {
                    model.queue.filter.clear();
                    model.rebuild_queue();
                }
            } else {
                model.screen = Screen::Queue;
            }
            model.schedule.shown_link = None;
            None
        }
        Action::Up => move_selection(model, -1),
        Action::Down => move_selection(model, 1),
        Action::PageUp => move_selection(model, -page),
        Action::PageDown => move_selection(model, page),
        Action::GoQueue => go(model, Screen::Queue, None),
        Action::GoSchedule => {
            let date = model.schedule.date.clone();
            go(model, Screen::Schedule, Some(Command::FetchSchedule(date)))
        }
        Action::GoDuty => go(model, Screen::Duty, Some(Command::FetchDuty)),
        Action::GoOutbox => go(model, Screen::Outbox, None),
        Action::GoStats => {
            let reply = stats::actions::go(&mut model.stats, &context!(model));
            model.apply(reply)
        }
        // Refreshing Dispatch fetches the unit again, as opening it does.
        Action::Refresh if model.screen != Screen::Dispatch => Some(super::follow::refresh(model)),
        Action::GoDispatch | Action::Refresh => {
            let reply = dispatch::keys::go(&mut model.dispatch);
            model.apply(reply)
        }
        Action::Assign
        | Action::ToPool
        | Action::DispatchNextTab
        | Action::DispatchPrevTab
        | Action::NextUnit => {
            let reply = dispatch::keys::apply(&mut model.dispatch, &context!(model), action);
            model.apply(reply)
        }
        Action::Release => {
            let reply = dispatch::keys::release(model.detail_item()?);
            model.apply(reply)
        }
        Action::LogActivity => super::activity_actions::open(model),
        Action::NextTab | Action::PrevTab | Action::Filter | Action::Sort => {
            let reply = queue::keys::apply(&mut model.queue, &context!(model), action);
            model.apply(reply)
        }
        Action::Claim => super::roles::claim(model),
        Action::Open => {
            let id = model.selected_item()?.id;
            model.detail_id = Some(id);
            model.detail_scroll = 0;
            model.screen = Screen::Detail;
            Some(Command::FetchDetail(id))
        }
        Action::Timer
        | Action::Accept
        | Action::Transition
        | Action::LogOutcome
        | Action::AddTime
        | Action::AddNote
        | Action::FlagTypical => super::detail_actions::apply(model, action),
        Action::MarkStarted
        | Action::MarkEnded
        | Action::MarkNoShow
        | Action::CopyLink
        | Action::BookSession
        | Action::MoveSession
        | Action::CancelSession
        | Action::PrevDay
        | Action::NextDay => {
            let reply = schedule::keys::apply(&mut model.schedule, &context!(model), action);
            model.apply(reply)
        }
        Action::CheckIn | Action::CheckOut => duty::keys::apply(&model.duty, &model.duty_state, action),
        Action::Retry | Action::Discard => {
            let reply = outbox::keys::apply(&model.outbox, &model.outbox_state, action);
            model.apply(reply)
        }
        Action::PrevPeriod
        | Action::NextPeriod
        | Action::NextCampaign
        | Action::ScopeMe
        | Action::ScopeUnit
        | Action::Export
        | Action::OpenUnit
        | Action::UnitUp => {
            let reply = stats::actions::apply(&mut model.stats, &context!(model), action);
            model.apply(reply)
        }
        Action::GoIntake | Action::NewIntake | Action::ReviewConflicts => {
            let reply = intake::keys::apply(&model.intake, &context!(model), action);
            model.apply(reply)
        }
    }
}

fn go(model: &mut Model, screen: Screen, cmd: Option<Command>) -> Option<Command> {
    model.screen = screen;
    cmd
}

fn move_selection(model: &mut Model, by: isize) -> Option<Command> {
    match model.screen {
        Screen::Queue => queue::keys::move_selection(&mut model.queue, by),
        Screen::Schedule => {
            let n = model.schedule.sessions().len();
            model.schedule.selected = screens::step(model.schedule.selected, n, by);
        }
        Screen::Duty => duty::keys::move_selection(&model.duty, &mut model.duty_state, by),
        Screen::Outbox => outbox::keys::move_selection(&model.outbox, &mut model.outbox_state, by),
        Screen::Stats => stats::actions::scroll(&mut model.stats, &context!(model), by),
        Screen::Dispatch => dispatch::keys::move_selection(&mut model.dispatch, &context!(model), by),
        Screen::Intake => intake::keys::move_selection(&mut model.intake, by),
        Screen::Detail => {
            let max = detail::view::max_scroll(&context!(model), &model.detail_view()) as isize;
            model.detail_scroll = (model.detail_scroll as isize + by).clamp(0, max) as u16
        }
    }
    None
}

pub use super::dialog_update::open_draft;
