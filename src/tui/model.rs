//! All the TUI's state, the messages that change it and the commands it
//! asks the outside world to run. Nothing here does I/O or reads a clock.

use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};

use super::keymap::Keymap;
use super::popups::Popup;
pub use super::popups::session_form::{Clash, SessionRefusal};
use super::queue_index::QueueIndex;
pub use super::screens::stats::{ExportState, StatsPending, StatsState};
pub use super::state::{ListState, QueueState, QueueTab, ScheduleState, SortOrder};
use super::theme::Theme;
use crate::api::intake::{CancelRequest, ScheduleRequest};
use crate::api::{
    CampaignList, ChangeEvent, DutyShift, ItemDetail, NewActivity, NewOutcome, NewTimeEntry, PeriodList,
    Schedule, StatsForm, StatsScope, WorkItem,
};
use crate::cli::ReportFormat;
use crate::domain::{EpochMs, ItemStatus, Role};

pub use crate::client::workflow::SessionMark;

/// The screens. A new screen is a variant here, a module in `screens/`
/// and a line in `screens::draw`/`screens::handle_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Screen {
    Queue,
    Detail,
    Schedule,
    Duty,
    Outbox,
    Stats,
    /// The unit's open work and who holds it (coordinators).
    Dispatch,
    /// The intake desk's registrations and its form.
    Intake,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Self::Queue,
        Self::Detail,
        Self::Schedule,
        Self::Duty,
        Self::Outbox,
        Self::Stats,
        Self::Dispatch,
        Self::Intake,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Detail => "detail",
            Self::Schedule => "schedule",
            Self::Duty => "duty",
            Self::Outbox => "outbox",
            Self::Stats => "stats",
            Self::Dispatch => "dispatch",
            Self::Intake => "intake",
        }
    }

    pub fn label(self) -> String {
        let key = format!("tui.screen.{}", self.name());
        rust_i18n::t!(&key).into_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Failed,
}

/// One unsent record as the client core's outbox reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub id: String,
    /// What it is, already in words ("outcome for #12").
    pub what: String,
    pub state: OutboxState,
    /// The server's message for a failed entry.
    pub message: Option<String>,
    pub created_at: EpochMs,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    pub entries: Vec<OutboxEntry>,
}

impl OutboxSummary {
    pub fn count(&self, state: OutboxState) -> usize {
        self.entries.iter().filter(|e| e.state == state).count()
    }
}

/// The running timer, stored locally by the client core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTimer {
    pub item_id: i64,
    pub started_at: EpochMs,
}

/// An unsent form, saved when the app is killed and offered back on start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub item_id: i64,
    pub code: Option<String>,
    pub minutes: String,
    pub settled_amount: String,
    pub fee_waived: String,
    pub note: String,
}

/// What comes in: keys, sizes, time, and the results of commands.
#[derive(Debug, Clone)]
pub enum Message {
    Key(KeyEvent),
    /// At start: the screen this user's role works on (room operators the
    /// schedule, coordinators the statistics), as the action that opens it.
    Home(super::keymap::Action),
    /// Who is signed in, from `/me` (cached): the role decides the screens.
    SignedIn {
        role: Role,
        user_id: i64,
    },
    /// The server refused a screen's data to this role (403): the screen
    /// says what the role may do instead of waiting for it.
    NotForRole(Screen),
    /// An item as a write changed it: locally at once (the timer's start
    /// moving it to in progress), or as the server answered.
    ItemChanged(Box<WorkItem>),
    /// A write about this item reached the server: what shows it is
    /// fetched again, so the screen has the server's word.
    ItemWritten(i64),
    Resize(u16, u16),
    Tick(EpochMs),
    ItemsLoaded(Vec<WorkItem>),
    PoolLoaded(Vec<WorkItem>),
    ItemDetailLoaded(Box<ItemDetail>),
    ScheduleLoaded(Schedule),
    DutyLoaded(Vec<DutyShift>),
    OutboxChanged(OutboxSummary),
    TimerChanged(Option<RunningTimer>),
    /// An unsent form kept from the last run, with the cached item it is
    /// for (which need not be among the rows the first frame read).
    DraftFound {
        draft: Draft,
        item: Box<WorkItem>,
    },
    /// A form's record is durably in the outbox.
    Saved {
        request: u64,
    },
    /// The server confirmed it.
    Sent {
        request: u64,
    },
    /// The server refused it, or it could not be stored.
    Failed {
        request: u64,
        message: String,
    },
    /// Someone else took a pool item first (409).
    ClaimConflict {
        item_id: i64,
        taken_by: String,
    },
    /// A command failed; shown in the status line.
    Error(String),
    Online(bool),
    Synced(EpochMs),
    Pushed(ChangeEvent),
    /// The campaigns the user may see statistics of.
    CampaignsLoaded(CampaignList),
    /// Each campaign's next deadline (the status bar shows one under 48 h).
    DeadlinesLoaded(Vec<crate::tui::deadlines::Deadline>),
    /// At start: the open items past their due time that are the user's,
    /// and for a coordinator also the unit's.
    OverdueLoaded(Vec<WorkItem>),
    /// One period's form, the campaign's periods, and my minutes per day of
    /// the period (for the sparkline), computed by the backend.
    StatsLoaded {
        periods: PeriodList,
        form: Box<StatsForm>,
        hours_by_day: Vec<u64>,
    },
    /// What the local outbox holds that would still count, not yet sent.
    StatsPending(StatsPending),
    /// The export was written.
    ExportDone {
        path: String,
    },
    ExportFailed {
        message: String,
    },
    /// The Dispatch screen's unit: its open work and its people's load.
    DispatchLoaded {
        unit: (i64, String),
        items: Vec<WorkItem>,
        people: Vec<crate::api::dispatch::UnitPerson>,
        /// The units right below it (a bureau's coordinator moves down).
        units_below: Vec<crate::api::UnitRef>,
    },
    /// The server gave the item out or back, with any conflicts of interest.
    Assigned {
        item: Box<WorkItem>,
        conflicts: Vec<crate::api::intake::ConflictEntry>,
    },
    /// Someone changed the item since it was loaded (409): nothing changed.
    AssignStale {
        item_id: i64,
    },
    /// The server's answer to booking, moving or cancelling a session.
    SessionAnswered {
        item_id: i64,
        result: Result<Box<WorkItem>, SessionRefusal>,
    },
    /// Where the desk may send work (units and their people).
    IntakeUnitsLoaded(Vec<crate::api::intake_units::IntakeUnit>),
    /// The desk's registrations: remembered and still in the outbox.
    IntakeLoaded(super::screens::intake::IntakeView),
    /// A registration or a claim met conflicts of interest: a warning to
    /// acknowledge.
    ConflictsFound(crate::client::intake_queue::Warning),
    /// The server no longer takes the token (401), or takes it only to
    /// change the password: the user is told what to run.
    SignInRefused {
        password_change: bool,
    },
    /// The server has an item's conflict acknowledgment.
    ConflictAcked(i64),
    /// The whole cached item, read from the store when its detail opens:
    /// the queue's rows leave out its description and parties' contacts.
    CachedItem(Box<WorkItem>),
    /// The store's integrity check (right after the first frame) failed:
    /// the app ends, the store is moved aside and the app opens afresh.
    StoreDamaged,
}

/// Background work `update` asks for; the runtime hands it to a `Backend`.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// Right after the first frame: the whole cached lists (the first frame
    /// read only its screenful), then a refresh from the server.
    Start,
    Refresh,
    /// `^r`, or the server's answer to a write: the lists, then the open
    /// item's detail and the schedule's day when given.
    Reload {
        item_id: Option<i64>,
        date: Option<String>,
    },
    Claim(i64),
    Transition {
        id: i64,
        to: ItemStatus,
        version: i64,
    },
    SaveOutcome {
        request: u64,
        item_id: i64,
        outcome: NewOutcome,
    },
    SaveTime {
        request: u64,
        entry: NewTimeEntry,
    },
    SaveActivity {
        request: u64,
        activity: NewActivity,
    },
    AddNote {
        request: u64,
        item_id: i64,
        note: String,
    },
    FlagTypical {
        id: i64,
        typical: bool,
        version: i64,
    },
    /// Keep an open form's content locally (every second while it
    /// changes), so a killed session can offer it back.
    SaveDraft(Draft),
    DiscardDraft(i64),
    StartTimer(i64),
    StopTimer,
    FetchDetail(i64),
    FetchSchedule(String),
    MarkSession {
        item_id: i64,
        mark: SessionMark,
        version: i64,
    },
    FetchDuty,
    CheckIn(i64),
    CheckOut(i64),
    RetryOutbox(String),
    DiscardOutbox(String),
    /// Put text on the clipboard (OSC 52 where the terminal allows).
    CopyToClipboard(String),
    Bell,
    FetchCampaigns,
    /// One period's form; `period` is `(start, end)`, `None` the current one.
    FetchStats {
        campaign_id: String,
        period: Option<(String, String)>,
        scope: StatsScope,
        /// A unit below the caller's, opened on the Stats screen; `None` is
        /// the caller's own.
        unit: Option<i64>,
        /// Ask for one row set per child unit (`by=unit`).
        by_unit: bool,
    },
    /// Write the form on screen as a file; answered by `ExportDone`/`ExportFailed`.
    ExportStats {
        format: ReportFormat,
        form: Box<StatsForm>,
    },
    /// A unit's open work and people: the signed-in coordinator's own
    /// unit (`None`), or one below it.
    FetchDispatch(Option<i64>),
    /// Give an item to someone (`None`: back to the pool), at once on the
    /// server (a coordinator's decision does not wait in the outbox).
    Assign {
        item_id: i64,
        assignee_id: Option<i64>,
        version: i64,
        reason: Option<String>,
    },
    /// Book or move a session at once (not through the outbox: the dialog
    /// keeps the input until the server answered); `SessionAnswered`.
    BookSession {
        item_id: i64,
        request: ScheduleRequest,
    },
    /// Cancel a session at once; `SessionAnswered`.
    CancelSession {
        item_id: i64,
        request: CancelRequest,
    },
    /// The desk's units and registrations.
    FetchIntake,
    /// Queue a registration; answered `Saved`, then `Sent` or `Failed`.
    RegisterItem {
        request: u64,
        item: Box<crate::api::intake::NewItem>,
    },
    /// Queue the acknowledgment of an item's conflict warning.
    AckConflicts {
        item_id: i64,
        version: i64,
    },
}

/// Who is at the keyboard, for the status bar.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub user: String,
    pub profile: String,
}

/// A short line in the status bar: the result of the last action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// A reminder that leaves the time of the last sync in view (it is cut
    /// to fit beside it instead).
    pub beside_sync: bool,
}

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
    pub dispatch: super::dispatch_actions::DispatchState,
    /// Each campaign's next deadline, for the status bar.
    pub deadlines: Vec<crate::tui::deadlines::Deadline>,
    pub timer: Option<RunningTimer>,
    pub online: bool,
    pub last_sync: Option<EpochMs>,
    pub notice: Option<Notice>,
    pub next_request: u64,
    pub quitting: bool,
    /// The draft last handed out for saving, so an unchanged form is not
    /// saved again every second.
    pub saved_draft: Option<Draft>,
    /// The intake desk's screen, and conflict warnings left for later.
    pub intake: super::screens::intake::IntakeState,
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
            next_request: 1,
            quitting: false,
            saved_draft: None,
            intake: Default::default(),
        }
    }

    /// The items the current queue tab draws from.
    pub fn tab_source(&self) -> &[WorkItem] {
        if self.queue.tab() == QueueTab::Pool {
            &self.pool
        } else {
            &self.items
        }
    }

    /// Rebuilds the visible rows; the cursor stays on the item it was on
    /// (a refresh or another sort must not slide another item under a
    /// claim or an Enter), or at the same row when that item is gone.
    pub fn rebuild_queue(&mut self) {
        let selected_id = self.selected_item().map(|i| i.id);
        let (tab, source) = (self.queue.tab(), self.tab_source());
        let index = QueueIndex::build(source, tab, &self.queue.filter, self.queue.sort, self.now);
        let found = selected_id.and_then(|id| index.rows.iter().position(|&r| source[r].id == id));
        let len = index.rows.len();
        self.queue.index = index;
        self.queue.selected = found.unwrap_or(self.queue.selected).min(len.saturating_sub(1));
    }

    pub fn selected_item(&self) -> Option<&WorkItem> {
        let row = *self.queue.index.rows.get(self.queue.selected)?;
        self.tab_source().get(row)
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

    pub fn take_request(&mut self) -> u64 {
        let r = self.next_request;
        self.next_request += 1;
        r
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
