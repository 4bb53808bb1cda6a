//! The intake desk's home: what it registered (newest first; still in the
//! outbox on top), each with where it went and whether its conflict
//! warning is acknowledged. `n` opens the form; a warning left for later
//! is read again with its key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use crate::api::intake_units::IntakeUnit;
use crate::client::intake_queue::{Registered, Warning};
use crate::domain::{EpochMs, ItemKind};
use crate::text as sanitize;
use crate::tui::keymap::Action;
use crate::tui::model::Model;
use crate::tui::{labels, time};

/// A registration still in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub kind: ItemKind,
    pub title: String,
    pub created_at: EpochMs,
    /// The server's words, when it refused it.
    pub failed: Option<String>,
}

/// What the desk registered, as the backend read it from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeView {
    pub waiting: Vec<Waiting>,
    pub registered: Vec<Registered>,
    /// Items whose acknowledgment is still in the outbox.
    pub acking: Vec<i64>,
}

#[derive(Debug, Default)]
pub struct IntakeState {
    /// Where the desk may send work; `None` until the server answered.
    pub units: Option<Vec<IntakeUnit>>,
    pub view: IntakeView,
    pub selected: usize,
    /// Warnings closed with Esc: still to acknowledge, shown again with
    /// the review key (and marked in the status line).
    pub later: Vec<Warning>,
    /// The refused sign-in was said (once per run).
    pub signin_said: bool,
}

impl IntakeState {
    pub fn rows(&self) -> usize {
        self.view.waiting.len() + self.view.registered.len()
    }

    /// The registration under the cursor, when it reached the server.
    pub fn selected_registered(&self) -> Option<&Registered> {
        let at = self.selected.checked_sub(self.view.waiting.len())?;
        self.view.registered.get(at)
    }

    pub fn unit_name(&self, id: i64) -> String {
        self.units
            .iter()
            .flatten()
            .find(|u| u.unit.id == id)
            .map(|u| u.unit.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }
}

fn key_of(model: &Model, action: Action) -> String {
    model
        .keymap
        .keys(action)
        .first()
        .map(|k| k.display())
        .unwrap_or_default()
}

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let state = &model.intake;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        t!("intake_tui.screen.title").into_owned(),
        theme.title(),
    )];
    if state.rows() == 0 {
        lines.push(Line::styled(
            t!("intake_tui.screen.empty", key = key_of(model, Action::NewIntake)).into_owned(),
            theme.muted(),
        ));
    }
    let rows = (area.height as usize).saturating_sub(1);
    let start = super::window_start(state.selected, rows);
    let waiting = state.view.waiting.iter().map(|x| {
        let (mark, style) = match &x.failed {
            None => (t!("intake_tui.screen.pending").into_owned(), theme.due_soon()),
            Some(_) => (t!("intake_tui.screen.failed").into_owned(), theme.error()),
        };
        let what = format!(
            "{} {} {}",
            time::md_hm(x.created_at),
            labels::kind(x.kind),
            sanitize::clean(&x.title)
        );
        (mark, style, what, String::new())
    });
    let registered = state.view.registered.iter().map(|r| {
        let (mark, style) = if state.view.acking.contains(&r.item_id) {
            (t!("intake_tui.screen.acking").into_owned(), theme.due_soon())
        } else if !r.conflicts.is_empty() && !r.acked {
            (t!("intake_tui.screen.unacked").into_owned(), theme.error())
        } else if !r.conflicts.is_empty() {
            (t!("intake_tui.screen.acked").into_owned(), theme.muted())
        } else {
            (t!("intake_tui.screen.sent").into_owned(), theme.ok())
        };
        let what = format!(
            "{} #{} {} {}",
            time::md_hm(r.created_at),
            r.item_id,
            labels::kind(r.kind),
            sanitize::clean(&r.title)
        );
        let to = match &r.assignee {
            Some(a) => format!("→ {}", sanitize::clean(a)),
            None => format!("→ {}", sanitize::clean(&state.unit_name(r.unit_id))),
        };
        (mark, style, what, to)
    });
    let mark_w = 10;
    for (i, (mark, style, what, to)) in waiting.chain(registered).enumerate().skip(start).take(rows) {
        let selected = i == state.selected;
        let base = if selected { theme.selected() } else { theme.base() };
        let to_w = sanitize::width(&to).min(w / 3);
        let what_w = w.saturating_sub(mark_w + to_w + 1);
        lines.push(Line::from(vec![
            Span::styled(sanitize::fit(&mark, mark_w), if selected { base } else { style }),
            Span::styled(sanitize::fit(&what, what_w), base),
            Span::styled(format!(" {}", sanitize::fit(&to, to_w)), base),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}
