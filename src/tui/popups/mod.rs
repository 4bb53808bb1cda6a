//! Dialogs drawn over a screen. Each is a type implementing [`Dialog`]
//! (a key in, what it did out; a draw) on its own state and the read-only
//! [`Context`]; the one open dialog gets every key first. A new dialog is
//! a file here and its line in [`Popup`] (and in `Popup::dialog`).

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

use super::context::Context;
use super::message::{Command, Message};

use super::theme::Theme;
use crate::text as sanitize;

/// What a dialog did with a key.
#[derive(Debug)]
pub enum KeyResult {
    /// Handled; maybe with work to do.
    Consumed(Option<Command>),
    /// Handled, and the dialog is finished: close it.
    Close(Option<Command>),
    /// Finished, and what follows changes more than the dialog (a palette's
    /// action, a conflict put off): `update` takes this message next.
    CloseWith(Message),
    NotConsumed,
}

/// The contract of a dialog: its keys and its drawing, on its own state
/// plus what the context lets it read.
pub trait Dialog {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult;
    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect);
}

/// The open dialog. The list of dialogs: a new one is a variant here and
/// an arm in `dialog`/`dialog_mut`.
pub enum Popup {
    Outcome(Box<outcome::OutcomeForm>),
    Time(Box<time_form::TimeForm>),
    Activity(Box<activity_form::ActivityForm>),
    Confirm(confirm::Confirm),
    Palette(palette::Palette),
    Message(message::MessageBox),
    Note(Box<note::NoteForm>),
    Help(help::Help),
    Transition(transition::TransitionPicker),
    Assign(Box<assign::AssignPicker>),
    Session(Box<session_form::SessionForm>),
    CancelSession(Box<cancel_session::CancelForm>),
    IntakeForm(Box<intake_form::IntakeForm>),
    Conflict(Box<conflict::ConflictPopup>),
}

impl Popup {
    pub fn dialog(&self) -> &dyn Dialog {
        match self {
            Popup::Outcome(d) => d.as_ref(),
            Popup::Time(d) => d.as_ref(),
            Popup::Activity(d) => d.as_ref(),
            Popup::Confirm(d) => d,
            Popup::Palette(d) => d,
            Popup::Message(d) => d,
            Popup::Note(d) => d.as_ref(),
            Popup::Help(d) => d,
            Popup::Transition(d) => d,
            Popup::Assign(d) => d.as_ref(),
            Popup::Session(d) => d.as_ref(),
            Popup::CancelSession(d) => d.as_ref(),
            Popup::IntakeForm(d) => d.as_ref(),
            Popup::Conflict(d) => d.as_ref(),
        }
    }

    pub fn dialog_mut(&mut self) -> &mut dyn Dialog {
        match self {
            Popup::Outcome(d) => d.as_mut(),
            Popup::Time(d) => d.as_mut(),
            Popup::Activity(d) => d.as_mut(),
            Popup::Confirm(d) => d,
            Popup::Palette(d) => d,
            Popup::Message(d) => d,
            Popup::Note(d) => d.as_mut(),
            Popup::Help(d) => d,
            Popup::Transition(d) => d,
            Popup::Assign(d) => d.as_mut(),
            Popup::Session(d) => d.as_mut(),
            Popup::CancelSession(d) => d.as_mut(),
            Popup::IntakeForm(d) => d.as_mut(),
            Popup::Conflict(d) => d.as_mut(),
        }
    }
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
            Popup::Help(_) => "Help",
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
