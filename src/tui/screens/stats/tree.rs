//! Down the unit tree and back on the Stats screen: a coordinator whose unit
//! has units below it sees one row set per child unit (`by=unit`), opens one
//! with Enter (its form, and its own children) and goes back up with
//! Esc/Backspace. Pure, like the rest of `update`; fetches are Commands.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::StatsState;
use crate::api::StatsForm;
use crate::api::rollup::UnitRows;
use crate::report::hours_text;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::message::Command;

use crate::tui::shared::Screen;

/// The form's per-unit row sets, when it was asked by unit and has some.
fn units(st: &StatsState) -> &[UnitRows] {
    st.form.as_ref().map_or(&[], |f| f.units.as_slice())
}

/// Whether a row set is a unit below the form's (not the form's unit's own
/// records, which have nothing further down).
fn below(form: &StatsForm, rows: &UnitRows) -> bool {
    form.unit.as_ref().is_none_or(|u| u.id != rows.unit.id)
}

/// Enter opens the chosen unit: offered when one below is chosen.
pub fn can_open(st: &StatsState, screen: Screen) -> bool {
    screen == Screen::Stats
        && st
            .form
            .as_ref()
            .and_then(|f| f.units.get(st.unit_cursor).map(|u| below(f, u)))
            .unwrap_or(false)
}

/// Whether an answer is the form of the unit now open.
pub fn wanted_unit(st: &StatsState, form: &StatsForm) -> bool {
    match st.unit_path.last() {
        Some(open) => form.unit.as_ref().is_some_and(|u| u.id == open.id),
        None => true,
    }
}

pub fn apply(st: &mut StatsState, cx: &Context, action: Action) -> Option<Command> {
    match action {
        Action::OpenUnit => {
            // While a form is on its way the list on screen is the old one.
            if st.loading {
                return None;
            }
            let form = st.form.as_ref()?;
            let chosen = form.units.get(st.unit_cursor).filter(|u| below(form, u))?;
            st.unit_path.push(chosen.unit.clone());
        }
        Action::UnitUp => {
            st.unit_path.pop()?;
        }
        _ => return None,
    }
    st.unit_cursor = 0;
    st.scroll = 0;
    super::actions::fetch(st, cx)
}

/// Moves the chosen unit by one; false when there is no unit list.
pub fn move_cursor(st: &mut StatsState, by: isize) -> bool {
    let n = units(st).len();
    if n == 0 {
        return false;
    }
    st.unit_cursor = crate::tui::screens::step(st.unit_cursor, n, by);
    true
}

/// Lines the unit list takes in a body `height` tall: its heading and one
/// per unit, at most half of what the table would have.
pub fn list_rows(st: &StatsState, room: u16) -> u16 {
    match units(st).len() {
        0 => 0,
        n => (n as u16 + 1).min(room / 2),
    }
}

/// `本单位 › 律师事务所甲`: where in the tree the form is.
pub fn path_text(st: &StatsState) -> String {
    st.unit_path
        .iter()
        .map(|u| format!(" › {}", sanitize::clean(&u.name)))
        .collect()
}

/// The units below, one a line with their hours, the chosen one marked.
pub fn draw(cx: &Context, st: &StatsState, frame: &mut Frame, area: Rect) {
    let theme = cx.theme;
    let Some(form) = &st.form else {
        return;
    };
    if area.height == 0 || form.units.is_empty() {
        return;
    }
    let key = cx.keymap.keys_text(Action::OpenUnit);
    let mut lines = vec![Line::styled(
        sanitize::truncate(&t!("tree.units_heading", key = key), area.width as usize),
        theme.header(),
    )];
    let room = area.height.saturating_sub(1) as usize;
    // Keep the chosen unit in view.
    let first = st.unit_cursor.saturating_sub(room.saturating_sub(1));
    for (i, u) in form.units.iter().enumerate().skip(first).take(room) {
        let name = if below(form, u) {
            sanitize::clean(&u.unit.name)
        } else {
            t!("tree.own_records", unit = sanitize::clean(&u.unit.name)).into_owned()
        };
        let hours = t!("tree.unit_hours", hours = hours_text(u.hours.total_minutes)).into_owned();
        let mark = if i == st.unit_cursor { "> " } else { "  " };
        let w = area.width as usize;
        let name_w = w.saturating_sub(2 + sanitize::width(&hours) + 2);
        let name = sanitize::truncate(&name, name_w);
        let pad = " ".repeat(name_w.saturating_sub(sanitize::width(&name)) + 2);
        let style = if i == st.unit_cursor {
            theme.selected()
        } else {
            theme.base()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark}{name}{pad}"), style),
            Span::styled(hours, theme.muted()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
