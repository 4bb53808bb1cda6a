//! The messages that change the TUI's state (keys, ticks, the results of
//! background work) and the commands `update` asks the outside world to
//! run. Kept apart from the model they act on: each grows with every flow.

use crossterm::event::KeyEvent;

use super::deadlines::Deadline;
use super::keymap::Action;
use super::screens::stats::pending::StatsPending;
use super::shared::{Draft, OutboxSummary, RunningTimer, Screen};
use crate::api::intake::{CancelRequest, ScheduleRequest};
use crate::api::{
    CampaignList, ChangeEvent, DutyShift, ItemDetail, NewActivity, NewOutcome, NewTimeEntry, PeriodList,
    Schedule, StatsForm, StatsScope, WorkItem,
};
use crate::client::intake_queue::Warning;
use crate::client::workflow::SessionMark;
use crate::domain::{EpochMs, ItemStatus, Role};
use crate::report::Format;

/// What comes in: keys, sizes, time, and the results of commands.
#[derive(Debug, Clone)]
pub enum Message {
    Key(KeyEvent),
    /// At start: the screen this user's role works on (room operators the
    /// schedule, coordinators the statistics), as the action that opens it.
    Home(Action),
    /// An action picked in the palette, run as if its key was pressed.
    Run(Action),
    /// The conflict dialog was answered: acknowledged (Enter) or put off
    /// for later (Esc).
    ConflictReviewed {
        warning: Warning,
        later: bool,
    },
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
    /// The parties' names of a list's items (item id, names one a line),
    /// sent just before the list, whose rows come without their parties.
    PartyNames(Vec<(i64, String)>),
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
    DeadlinesLoaded(Vec<Deadline>),
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
        format: Format,
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

/// The session a booking clashed with, as the server named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub item_id: i64,
    pub title: String,
    /// The room was booked (else the mediator).
    pub room_taken: bool,
    pub start: i64,
    pub end: i64,
    pub room: String,
    pub mediator: String,
}

/// Why the server did not book, cancel or move a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRefusal {
    pub message: String,
    pub clash: Option<Clash>,
}
