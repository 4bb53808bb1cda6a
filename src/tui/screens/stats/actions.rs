//! The Stats screen's keys and the answers to its commands, on its own
//! state and the read-only context; what goes beyond the screen (going to
//! it, a warning) is returned as a `Reply` for `update` to apply.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use rust_i18n::t;

use super::ExportState;
use super::StatsState;
use crate::api::StatsScope;
use crate::domain::Role;
use crate::report::Format;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::message::{Command, Message};
use crate::tui::reply::Reply;

use crate::tui::shared::{Notice, Screen};

/// To the Stats screen: the campaigns first if they are not known yet.
pub fn go(st: &mut StatsState, cx: &Context) -> Reply {
    let command = if st.campaigns_loaded {
        fetch(st, cx)
    } else {
        st.loading = true;
        Some(Command::FetchCampaigns)
    };
    Reply {
        go: Some(Screen::Stats),
        ..Reply::from(command)
    }
}

/// Asks for the form of the chosen campaign, period and scope.
pub fn fetch(st: &mut StatsState, cx: &Context) -> Option<Command> {
    // Only those who read units below their own break a form down by unit.
    let reads_tree = matches!(cx.role, Some(Role::Coordinator | Role::Admin));
    let campaign_id = st.campaign_id()?.to_string();
    st.loading = true;
    let by_unit = reads_tree && st.scope == StatsScope::Unit;
    Some(Command::FetchStats {
        campaign_id,
        period: st.period.clone(),
        scope: st.scope,
        unit: if by_unit {
            st.unit_path.last().map(|u| u.id)
        } else {
            None
        },
        by_unit,
    })
}

pub fn apply(st: &mut StatsState, cx: &Context, action: Action) -> Reply {
    // From the palette elsewhere: the screen first, where the keys mean something.
    if cx.screen != Screen::Stats {
        return go(st, cx);
    }
    Reply::from(keys(st, cx, action))
}

fn keys(st: &mut StatsState, cx: &Context, action: Action) -> Option<Command> {
    match action {
        Action::PrevPeriod | Action::NextPeriod => {
            let step = if action == Action::NextPeriod { 1 } else { -1 };
            st.period = Some(st.period_step(step)?);
            st.scroll = 0;
        }
        Action::NextCampaign => {
            if st.campaigns.len() < 2 {
                return None;
            }
            st.campaign = (st.campaign + 1) % st.campaigns.len();
            st.period = None;
            st.periods = None;
            st.form = None;
            st.hours_by_day.clear();
            st.scroll = 0;
            st.unit_path.clear();
            st.unit_cursor = 0;
        }
        Action::ScopeMe | Action::ScopeUnit => {
            let scope = if action == Action::ScopeMe {
                StatsScope::Me
            } else {
                StatsScope::Unit
            };
            if st.scope == scope {
                return None;
            }
            st.scope = scope;
            st.unit_path.clear();
            st.unit_cursor = 0;
        }
        Action::OpenUnit | Action::UnitUp => return super::tree::apply(st, cx, action),
        Action::Export => {
            // Nothing to write until a form is on screen, and one at a time.
            st.form.as_ref()?;
            if matches!(st.export, ExportState::Running(_)) {
                return None;
            }
            st.export = ExportState::Choosing;
            return None;
        }
        _ => return None,
    }
    fetch(st, cx)
}

/// The key after `e`: `c` for CSV, `x` for XLSX, anything else cancels.
pub fn export_key(st: &mut StatsState, key: KeyEvent) -> Option<Command> {
    let format = match key.code {
        KeyCode::Char('c' | 'C') => Format::Csv,
        KeyCode::Char('x' | 'X') => Format::Xlsx,
        _ => {
            st.export = ExportState::Idle;
            return None;
        }
    };
    let form = Box::new(st.form.clone()?);
    st.export = ExportState::Running(format);
    Some(Command::ExportStats { format, form })
}

/// Scrolls the table, never past the point where its last row shows.
pub fn scroll(st: &mut StatsState, cx: &Context, by: isize) {
    // One step chooses among the units below; pages scroll the table.
    if by.abs() == 1 && super::tree::move_cursor(st, by) {
        return;
    }
    let rows = st.form.as_ref().map_or(0, |f| f.rows.len());
    // The body is the terminal less the help and status bars.
    let room = super::view::table_room(cx.height.saturating_sub(2));
    let lines = room.saturating_sub(super::tree::list_rows(st, room)) as usize;
    let (last_start, _) = super::table::window(rows, lines, usize::MAX);
    st.scroll = crate::tui::screens::step(st.scroll, last_start + 1, by);
}

pub fn on_message(st: &mut StatsState, cx: &Context, msg: Message) -> Reply {
    match msg {
        Message::CampaignsLoaded(list) => {
            // Keep the chosen campaign if it is still there.
            let chosen = st.campaign_id().map(str::to_string);
            st.campaigns = list.campaigns;
            st.campaigns_loaded = true;
            st.campaign = chosen
                .and_then(|id| st.campaigns.iter().position(|c| c.id == id))
                .unwrap_or(0);
            st.loading = false;
            if cx.screen == Screen::Stats {
                return Reply::from(fetch(st, cx));
            }
        }
        Message::StatsLoaded {
            periods,
            form,
            hours_by_day,
        } => {
            // An answer to an earlier question (another campaign, scope or
            // period) is dropped: the newer one is on its way.
            let wanted_period = st
                .period
                .as_ref()
                .is_none_or(|(s, e)| *s == form.period.start && *e == form.period.end);
            if st.campaign_id() != Some(form.campaign_id.as_str())
                || form.scope != st.scope
                || !wanted_period
                || !super::tree::wanted_unit(st, &form)
            {
                return Reply::default();
            }
            st.unit_cursor = st.unit_cursor.min(form.units.len().saturating_sub(1));
            st.scroll = st.scroll.min(form.rows.len().saturating_sub(1));
            st.periods = Some(periods);
            st.form = Some(*form);
            st.hours_by_day = hours_by_day;
            st.loading = false;
        }
        Message::StatsPending(pending) => st.pending = pending,
        Message::ExportDone { path } => st.export = ExportState::Done(sanitize::clean(&path)),
        Message::ExportFailed { message } => {
            let message = sanitize::clean(&message);
            st.export = ExportState::Failed(message.clone());
            return Reply {
                notice: Some(Notice {
                    text: t!("stats_screen.export_failed", message = message).into_owned(),
                    error: true,
                    beside_sync: false,
                }),
                ..Reply::default()
            };
        }
        _ => {}
    }
    Reply::default()
}
