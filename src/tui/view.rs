//! `view`: draws the model, nothing else. Never sorts, filters or waits.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::keymap::Action;
use super::model::{Model, OutboxState, QueueTab, Screen};
use super::theme::Borders;
use super::{screens, time};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(model, frame, area);
    } else {
        let body = Rect::new(area.x, area.y, area.width, area.height - 2);
        let help = Rect::new(area.x, area.bottom() - 2, area.width, 1);
        let status = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        draw_screen(model, frame, body);
        help_bar(model, frame, help);
        status_bar(model, frame, status);
        if let Some(popup) = &model.popup {
            popup.dialog().draw(&model.context(), frame, area);
        }
    }
    if model.theme.borders == Borders::Ascii {
        super::ascii::narrow_ambiguous(frame.buffer_mut());
    }
}

/// The screen in front, each drawn from its own state and the context.
fn draw_screen(model: &Model, frame: &mut Frame, area: Rect) {
    let cx = model.context();
    match model.screen {
        Screen::Queue => screens::queue::view::draw(&cx, &model.queue, frame, area),
        Screen::Detail => screens::detail::view::draw(&cx, &model.detail_view(), frame, area),
        Screen::Schedule => screens::schedule::view::draw(&cx, &model.schedule, frame, area),
        Screen::Duty => screens::duty::view::draw(&model.duty, &model.duty_state, &cx, frame, area),
        Screen::Outbox => screens::outbox::view::draw(&model.outbox, &model.outbox_state, &cx, frame, area),
        Screen::Stats => screens::stats::view::draw(&cx, &model.stats, frame, area),
        Screen::Dispatch => screens::dispatch::view::draw(&cx, &model.dispatch, frame, area),
        Screen::Intake => screens::intake::view::draw(&cx, &model.intake, frame, area),
    }
}

fn too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let text = t!("tui.too_small", width = area.width, height = area.height);
    let top = area.height / 2;
    let lines: Vec<Line> = std::iter::repeat_n(Line::raw(""), top as usize)
        .chain([Line::styled(text.into_owned(), model.theme.error())])
        .collect();
    frame.render_widget(Paragraph::new(lines).centered().wrap(Wrap { trim: true }), area);
}

/// The main keys of this screen, from the live keymap.
fn help_bar(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let mut spans = Vec::new();
    let own = model
        .keymap
        .for_screen(model.screen)
        .into_iter()
        .filter(|a| a.belongs_to(model.screen))
        .filter(|a| super::roles::may(model, *a));
    // Help first: whatever does not fit here is one key away.
    let global = [Action::Palette, Action::Back, Action::Quit];
    let shown: Vec<Action> = if model.screen == Screen::Queue && model.queue.filtering {
        vec![]
    } else {
        // Logging an activity is open from anywhere; the queue, where the
        // work is, says so to those who log work (the pool tab keeps its
        // claim key in view instead).
        let activity = (model.screen == Screen::Queue
            && model.queue.tab() != QueueTab::Pool
            && super::roles::counts_work(model))
        .then_some(Action::LogActivity);
        std::iter::once(Action::Help)
            .chain(activity)
            .chain(own)
            .chain(
                global
                    .into_iter()
                    .filter(|a| model.screen != Screen::Queue || *a != Action::Back),
            )
            .collect()
    };
    if shown.is_empty() {
        spans.push(Span::styled(
            t!("tui.queue.filter_hint").into_owned(),
            theme.help_bar(),
        ));
    }
    let mut used = 0;
    for a in shown {
        let Some(key) = model.keymap.keys(a).first() else {
            continue;
        };
        let piece = format!("{} {}  ", key.display(), a.label());
        let w = sanitize::width(&piece);
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(format!("{} ", key.display()), theme.header()));
        spans.push(Span::styled(format!("{}  ", a.label()), theme.help_bar()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Who, online or not, what is unsent, when we last synced, the timer, and
/// the last notice, on every screen.
fn status_bar(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let who = format!(
        "{}@{}",
        sanitize::clean(&model.identity.user),
        sanitize::clean(&model.identity.profile)
    );
    let online = if model.online {
        format!("{} {}", theme.mark(), t!("tui.status.online"))
    } else {
        format!("{} {}", theme.off_mark(), t!("tui.status.offline"))
    };
    let outbox = t!(
        "tui.status.outbox",
        pending = model.outbox.count(OutboxState::Pending),
        failed = model.outbox.count(OutboxState::Failed)
    );
    let sync = match model.last_sync {
        Some(at) => t!("tui.status.synced", at = time::hm(at)),
        None => t!("tui.status.never_synced"),
    };
    let mut parts = vec![who, online];
    // A form due within 48 hours matters more than the outbox counts.
    if let Some(due) = crate::tui::deadlines::status_text(&model.deadlines, model.now) {
        parts.push(format!("{} {due}", theme.timer_mark()));
    }
    parts.push(outbox.into_owned());
    let sync_at = parts.len();
    parts.push(sync.into_owned());
    if let Some(timer) = &model.timer {
        parts.push(format!(
            "{} #{} {}",
            theme.timer_mark(),
            timer.item_id,
            time::elapsed(timer.started_at, model.now)
        ));
    }
    let w = area.width as usize;
    if let Some(notice) = model.notice.as_ref().filter(|n| !n.beside_sync) {
        // A fresh notice matters more than the time of the last sync.
        let full = sanitize::width(&parts.join(theme.separator())) + sanitize::width(&notice.text) + 4;
        if full > w {
            parts.remove(sync_at);
        }
    }
    let sep = theme.separator();
    let left = format!(" {}", parts.join(sep));
    let mut spans = vec![Span::styled(sanitize::truncate(&left, w), theme.status_bar())];
    let rest = w.saturating_sub(sanitize::width(&left));
    if let Some(notice) = &model.notice
        && rest > 4
    {
        let style = if notice.error {
            theme.error()
        } else {
            theme.status_bar()
        };
        let text = format!("{}{}", theme.separator(), notice.text);
        spans.push(Span::styled(sanitize::fit(&text, rest), style));
    } else {
        spans.push(Span::styled(" ".repeat(rest), theme.status_bar()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
