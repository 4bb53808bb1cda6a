//! Drawing the intake form: one line per field, the focused one marked;
//! a party's phone and ID number show masked unless being typed.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::intake_form::{Field, FormState, IntakeForm};
use super::{centered, frame_popup};
use crate::domain::privacy::{mask_id_number, mask_phone};
use crate::tui::context::Context;
use crate::tui::labels;

fn yes_no(b: bool) -> String {
    t!(if b {
        "intake_tui.form.yes"
    } else {
        "intake_tui.form.no"
    })
    .into_owned()
}

fn party_kind(enterprise: bool) -> String {
    t!(if enterprise {
        "intake_tui.form.enterprise"
    } else {
        "intake_tui.form.person"
    })
    .into_owned()
}

impl IntakeForm {
    /// What a field shows.
    fn shown(&self, f: Field, cx: &Context) -> String {
        let typing = self.focus == f;
        let secret = |v: &str, mask: fn(&str) -> String| {
            if typing || v.is_empty() {
                v.to_string()
            } else {
                mask(v)
            }
        };
        let units = cx.intake_units;
        match f {
            Field::Kind => labels::kind(self.item_kind()),
            Field::Title => self.title.clone(),
            Field::Channel => labels::channel(self.channel()),
            Field::Category => labels::category(self.category()),
            Field::Green => yes_no(self.green),
            Field::Group => match self.group() {
                Some(g) => labels::group_name(g),
                None => t!("intake_tui.form.none").into_owned(),
            },
            Field::AName => self.applicant.name.clone(),
            Field::AKind => party_kind(self.applicant.enterprise),
            Field::APhone => secret(&self.applicant.phone, mask_phone),
            Field::AId => secret(&self.applicant.id_number, mask_id_number),
            Field::RName => self.respondent.name.clone(),
            Field::RKind => party_kind(self.respondent.enterprise),
            Field::RPhone => secret(&self.respondent.phone, mask_phone),
            Field::RId => secret(&self.respondent.id_number, mask_id_number),
            Field::Unit => match units {
                None => t!("intake_tui.form.units_loading").into_owned(),
                Some(u) => match self.target(u) {
                    Some(u) => u.unit.name.clone(),
                    None => t!("intake_tui.form.no_units").into_owned(),
                },
            },
            Field::Assignee => {
                let person = units
                    .and_then(|u| self.target(u))
                    .zip(self.assignee.checked_sub(1))
                    .and_then(|(u, n)| u.people.get(n));
                match person {
                    Some(p) => p.display_name.clone(),
                    None => t!("intake_tui.form.pool").into_owned(),
                }
            }
        }
    }

    /// The form over the screen (the `Dialog` draw).
    pub(super) fn render(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(
            frame,
            centered(area, 76, 22),
            &t!("intake_tui.form.heading"),
            theme,
        );
        let label_w = 14;
        let value_w = (inner.width as usize).saturating_sub(label_w + 1);
        let mut lines: Vec<Line> = Vec::new();
        // As many fields as fit, the focused one always in view.
        let status_h = 2;
        let room = (inner.height as usize).saturating_sub(status_h).max(1);
        let at = Field::ALL.iter().position(|f| *f == self.focus).unwrap_or(0);
        let start = at.saturating_sub(room.saturating_sub(1));
        for f in Field::ALL.iter().copied().skip(start).take(room) {
            let focused = self.focus == f;
            let value = sanitize::clean(&self.shown(f, cx));
            let value = if f.is_choice() && focused {
                format!("◀ {value} ▶")
            } else if focused {
                format!("{value}_")
            } else {
                value
            };
            let style = if focused { theme.selected() } else { theme.base() };
            lines.push(Line::from(vec![
                Span::raw(sanitize::fit(&t!(f.label_key()), label_w)),
                Span::raw(" "),
                Span::styled(sanitize::truncate(&value, value_w), style),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        let status = match (&self.state, &self.error) {
            (FormState::Saving(_), _) => Line::styled(t!("tui.form.saving").into_owned(), theme.muted()),
            (FormState::Saved(_), _) => Line::styled(t!("intake_tui.form.saved").into_owned(), theme.ok()),
            (FormState::Editing, Some(e)) => Line::styled(sanitize::clean(e), theme.error()),
            (FormState::Editing, None) => {
                Line::styled(t!("intake_tui.form.hint").into_owned(), theme.muted())
            }
        };
        let status_area = Rect::new(
            inner.x,
            inner.bottom().saturating_sub(status_h as u16),
            inner.width,
            (status_h as u16).min(inner.height),
        );
        frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), status_area);
    }
}
