//! All the TUI's state (the messages that change it and the commands it
//! asks for are in `message`). Nothing here does I/O or reads a clock.

use super::context::{Context, RequestIds};
use super::keymap::Keymap;
use super::popups::Popup;
use super::reply::Reply;
pub use super::screens::ListState;
use super::screens::detail::DetailView;
pub use super::screens::dispatch::{DispatchState, DispatchView};
pub use super::screens::intake::IntakeState;
pub use super::screens::queue::{QueueState, QueueTab, SortOrder};
pub use super::screens::schedule::ScheduleState;
pub use super::screens::stats::pending::StatsPending;
pub use super::screens::stats::{ExportState, StatsState};
use super::theme::Theme;
use crate::api::{DutyShift, ItemDetail, WorkItem};
use crate::domain::{EpochMs, Role};

pub use super::shared::{
    Draft, Identity, Notice, OutboxRow, OutboxState, OutboxSummary, RunningTimer, Screen,
};

pub use crate::client::workflow::SessionMark;

pub use super::message::{Clash, Command, Message, SessionRefusal};

/// The read-only [`Context`] from a model's fields, written out field by
/// field so the borrow checker sees them apart from the screen states a
/// handler changes at the same time.
macro_rules! context {
    ($model:expr) => {
        $crate::tui::context::Context {
            theme: &$model.theme,
            keymap: &$model.keymap,
            now: $model.now,
            role: $model.role,
            me_id: $model.me_id,
            language: $crate::tui::context::language(),
            screen: $model.screen,
            width: $model.width,
            height: $model.height,
            refused: &$model.refused,
            items: &$model.items,
            pool: &$model.pool,
            intake_units: $model.intake.units.as_deref(),
            requests: &$model.requests,
        }
    };
}
pub(crate) use context;

pub struct Model {
    pub now: EpochMs,
    pub width: u16,
    pub height: u16,
    pub identity: Identity,
    /// The signed-in role and user id, once known (cache or `/me`).
    pub role: Option<Role>,
    pub me_id: Option<i64>,
    /// Screens whose data the server refused to this role.
    pub refused: std::collections::BTreeSet<Screen>,
    /// A refresh the user asked for is running.
    pub refreshing: bool,
    pub keymap: Keymap,
    pub theme: Theme,
    pub bell: bool,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub items: Vec<WorkItem>,
    pub pool: Vec<WorkItem>,
    pub queue: QueueState,
    pub detail_id: Option<i64>,
    pub detail: Option<ItemDetail>,
    /// Lines scrolled off the top of the detail screen.
    pub detail_scroll: u16,
    pub schedule: ScheduleState,
    pub duty: Vec<DutyShift>,
    pub duty_state: ListState,
    pub outbox: OutboxSummary,
    pub outbox_state: ListState,
    pub stats: StatsState,
    pub dispatch: DispatchState,
    /// Each campaign's next deadline, for the status bar.
    pub deadlines: Vec<crate::tui::deadlines::Deadline>,
    pub timer: Option<RunningTimer>,
    pub online: bool,
    pub last_sync: Option<EpochMs>,
    pub notice: Option<Notice>,
    pub requests: RequestIds,
    pub quitting: bool,
    /// The draft last handed out for saving, so an unchanged form is not
    /// saved again every second.
    pub saved_draft: Option<Draft>,
    /// The intake desk's screen, and conflict warnings left for later.
    pub intake: IntakeState,
}

impl Model {
    pub fn new(identity: Identity, keymap: Keymap, theme: Theme, now: EpochMs) -> Self {
        Model {
            now,
            width: 80,
            height: 24,
            identity,
            role: None,
            me_id: None,
            refused: Default::default(),
            refreshing: false,
            keymap,
            theme,
            bell: false,
            screen: Screen::Queue,
            popup: None,
            items: Vec::new(),
            pool: Vec::new(),
            queue: QueueState::default(),
            detail_id: None,
            detail: None,
            detail_scroll: 0,
            schedule: ScheduleState {
                date: super::time::date_of(now),
                ..ScheduleState::default()
            },
            duty: Vec::new(),
            duty_state: ListState::default(),
            outbox: OutboxSummary::default(),
            outbox_state: ListState::default(),
            stats: StatsState::default(),
            dispatch: Default::default(),
            deadlines: Vec::new(),
            timer: None,
            online: false,
            last_sync: None,
            notice: None,
            requests: RequestIds::default(),
            quitting: false,
            saved_draft: None,
            intake: Default::default(),
        }
    }

    /// The items the current queue tab draws from.
    pub fn tab_source(&self) -> &[WorkItem] {
        self.queue.source(&self.items, &self.pool)
    }

    /// Rebuilds the queue's visible rows (see `QueueState::rebuild`).
    pub fn rebuild_queue(&mut self) {
        self.queue.rebuild(&self.items, &self.pool, self.now);
    }

    pub fn selected_item(&self) -> Option<&WorkItem> {
        self.queue.selected_row(self.tab_source())
    }

    /// The item the detail screen shows: the full detail once loaded, the
    /// cached list row until then.
    pub fn detail_item(&self) -> Option<&WorkItem> {
        let id = self.detail_id?;
        if let Some(d) = self.detail.as_ref().filter(|d| d.item.id == id) {
            return Some(&d.item);
        }
        self.items.iter().chain(self.pool.iter()).find(|i| i.id == id)
    }

    /// What the detail screen draws.
    pub fn detail_view(&self) -> DetailView<'_> {
        DetailView {
            item: self.detail_item(),
            detail: self.detail.as_ref(),
            scroll: self.detail_scroll,
        }
    }

    /// Applies what a screen's key asked for beyond its own state; the
    /// command is for `update` to hand out.
    pub fn apply(&mut self, reply: Reply) -> Option<Command> {
        if let Some(screen) = reply.go {
            self.screen = screen;
        }
        if let Some(popup) = reply.popup {
            self.popup = Some(popup);
        }
        if let Some(notice) = reply.notice {
            self.notice = Some(notice);
        }
        reply.command
    }

    pub fn take_request(&self) -> u64 {
        self.requests.take()
    }

    /// What screens and dialogs may read; see `context!` to borrow a
    /// screen's state mutably beside it.
    pub fn context(&self) -> Context<'_> {
        context!(self)
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
            beside_sync: false,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
            beside_sync: false,
        });
    }

    /// A standing reminder (overdue work at start): shown in the warning
    /// style, cut to fit beside the time of the last sync.
    pub fn remind(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
            beside_sync: true,
        });
    }
}
