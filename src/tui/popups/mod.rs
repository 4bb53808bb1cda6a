//! Dialogs drawn over a screen. Each has `draw` and `handle_key`; the one
//! open dialog gets every key first.

pub mod activity_form;
pub mod assign;
pub mod cancel_session;
pub mod confirm;
pub mod conflict;
pub mod help;
pub mod intake_form;
mod intake_form_view;
pub mod message;
pub mod note;
pub mod outcome;
pub mod palette;
pub mod session_form;
pub mod session_parts;
pub mod time_form;
pub mod transition;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear};

use super::model::{Command, Model};
use super::theme::Theme;
use crate::text as sanitize;

/// What a dialog did with a key.
#[derive(Debug, PartialEq)]
pub enum KeyResult {
    /// Handled; maybe with work to do.
    Consumed(Option<Command>),
    /// Handled, and the dialog is finished: close it.
    Close(Option<Command>),
    NotConsumed,
}

pub enum Popup {
    Outcome(Box<outcome::OutcomeForm>),
    Time(Box<time_form::TimeForm>),
    Activity(Box<activity_form::ActivityForm>),
    Confirm(confirm::Confirm),
    Palette(palette::Palette),
    Message(message::MessageBox),
    Note(Box<note::NoteForm>),
    Help,
    Transition(transition::TransitionPicker),
    Assign(Box<assign::AssignPicker>),
    Session(Box<session_form::SessionForm>),
    CancelSession(Box<cancel_session::CancelForm>),
    IntakeForm(Box<intake_form::IntakeForm>),
    Conflict(Box<conflict::ConflictPopup>),
}

impl std::fmt::Debug for Popup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Popup::Outcome(_) => "Outcome",
            Popup::Time(_) => "Time",
            Popup::Activity(_) => "Activity",
            Popup::Confirm(_) => "Confirm",
            Popup::Palette(_) => "Palette",
            Popup::Message(_) => "Message",
            Popup::Note(_) => "Note",
            Popup::Help => "Help",
            Popup::Transition(_) => "Transition",
            Popup::Assign(_) => "Assign",
            Popup::Session(_) => "Session",
            Popup::CancelSession(_) => "CancelSession",
            Popup::IntakeForm(_) => "IntakeForm",
            Popup::Conflict(_) => "Conflict",
        };
        f.write_str(name)
    }
}

/// Gives the open dialog a key. Dialogs that need the model (the palette
/// runs actions, help reads the keymap) take it from here.
pub fn handle_key(model: &mut Model, key: KeyEvent) -> Option<Command> {
    let mut popup = model.popup.take()?;
    let result = match &mut popup {
        Popup::Outcome(form) => form.handle_key(key, model),
        Popup::Time(form) => form.handle_key(key, model),
        Popup::Activity(form) => form.handle_key(key, model),
        Popup::Confirm(c) => c.handle_key(key),
        Popup::Palette(p) => p.handle_key(key),
        Popup::Message(m) => m.handle_key(key),
        Popup::Note(n) => n.handle_key(key, model),
        Popup::Help => help::handle_key(key),
        Popup::Transition(t) => t.handle_key(key),
        Popup::Assign(a) => a.handle_key(key),
        Popup::Session(f) => f.handle_key(key),
        Popup::CancelSession(f) => f.handle_key(key),
        Popup::IntakeForm(form) => form.handle_key(key, model),
        Popup::Conflict(c) => c.handle_key(key, model),
    };
    // The palette's choice is an action on the model, run after it closes.
    let chosen = match &popup {
        Popup::Palette(p) => p.chosen,
        _ => None,
    };
    let picked_status = matches!(popup, Popup::Transition(_));
    match result {
        KeyResult::Consumed(cmd) => {
            model.popup = Some(popup);
            cmd
        }
        KeyResult::NotConsumed => {
            model.popup = Some(popup);
            None
        }
        KeyResult::Close(cmd) => match (chosen, cmd) {
            (Some(action), _) => super::update::apply_action(model, action),
            // Cancelling or a no-show cannot be undone: asked first.
            (None, Some(cmd @ Command::Transition { id, to, .. }))
                if picked_status && super::schedule_actions::is_final(to) =>
            {
                match model.detail_item().filter(|i| i.id == id).cloned() {
                    Some(item) => {
                        model.popup = Some(super::schedule_actions::final_move_question(&item, to, cmd));
                        None
                    }
                    None => Some(cmd),
                }
            }
            (None, cmd) => cmd,
        },
    }
}

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let Some(popup) = &model.popup else { return };
    match popup {
        Popup::Outcome(form) => form.draw(model, frame, area),
        Popup::Time(form) => form.draw(model, frame, area),
        Popup::Activity(form) => form.draw(model, frame, area),
        Popup::Confirm(c) => c.draw(&model.theme, frame, area),
        Popup::Palette(p) => p.draw(&model.theme, frame, area),
        Popup::Message(m) => m.draw(&model.theme, frame, area),
        Popup::Note(n) => n.draw(model, frame, area),
        Popup::Help => help::draw(model, frame, area),
        Popup::Transition(t) => t.draw(&model.theme, frame, area),
        Popup::Assign(a) => a.draw(&model.theme, frame, area),
        Popup::Session(f) => f.draw(model, frame, area),
        Popup::CancelSession(f) => f.draw(model, frame, area),
        Popup::IntakeForm(form) => form.draw(model, frame, area),
        Popup::Conflict(c) => c.draw(model, frame, area),
    }
}

/// A centred rectangle of at most `w`x`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears a dialog's area and draws its frame; returns the inner area.
/// A wide (CJK) character of the table below that straddles the dialog's
/// left or right edge is blanked too: otherwise its other half is left on
/// screen as garbage next to the border (ratatui #2526).
pub fn frame_popup(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    let buf = frame.buffer_mut();
    let bounds = buf.area;
    for y in area.top()..area.bottom() {
        if area.x > bounds.x {
            let left = (area.x - 1, y);
            if let Some(cell) = buf.cell_mut(left)
                && sanitize::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
        let right = (area.right(), y);
        if area.right() < bounds.right()
            && let Some(cell) = buf.cell_mut(right)
            && cell.symbol().is_empty()
        {
            // The trailing half of a wide character that began inside.
            cell.set_symbol(" ");
        }
    }
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(theme.border())
        .style(theme.popup())
        .title(format!(" {} ", sanitize::clean(title)))
        .title_style(theme.title());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}
