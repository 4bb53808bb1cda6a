//! The clap command tree. Parsing only: `main.rs` dispatches each command to
//! the module that does it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "dutydesk",
    version,
    about = "On-duty legal service work in the terminal: items, outcomes, time, schedule, duty, statistics"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// With no command, opens the terminal app for the current profile.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Use this config file instead of the one in the config directory.
    #[arg(long, global = true, env = "DUTYDESK_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Which profile of the config file to use.
    #[arg(long, global = true, env = "DUTYDESK_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// The server, overriding the profile's `server`.
    #[arg(long, global = true, env = "DUTYDESK_SERVER", value_name = "URL")]
    pub server: Option<String>,
    /// Language of messages: zh-CN or en (default from config, then LANG).
    #[arg(long, global = true, env = "DUTYDESK_LANG", value_name = "LANG")]
    pub lang: Option<String>,
    /// More detail in the log file; repeat for more.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

impl GlobalArgs {
    /// The global options of a command line that has nothing but the
    /// program's name (`dutydesk`, the terminal app): only the environment
    /// can set them. Parses just these options, not the whole command tree
    /// (the app's first frame waits on it). `None` if they do not parse;
    /// the full parse then says why.
    pub fn from_env_alone() -> Option<GlobalArgs> {
        use clap::FromArgMatches;
        let cmd = GlobalArgs::augment_args(clap::Command::new("dutydesk"));
        let matches = cmd.try_get_matches_from(["dutydesk"]).ok()?;
        GlobalArgs::from_arg_matches(&matches).ok()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the reference server.
    #[cfg(feature = "server")]
    Serve(ServeArgs),
    /// Administer the reference server's database.
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Start a server with demo data in a temp dir and open the app against it.
    #[cfg(feature = "server")]
    Demo(DemoArgs),
    /// Sign in and keep a token for this profile.
    Login(LoginArgs),
    /// Revoke this profile's token on the server and forget it here.
    Logout,
    /// Who you are signed in as, where, and where the token is kept.
    Whoami(JsonFlag),
    /// Your items (or the on-duty pool).
    List(ListArgs),
    /// One item with its history, outcomes and time.
    Show(ShowArgs),
    /// Take an item from the on-duty pool.
    Claim(IdArg),
    /// Start working on an item: the timer starts (one timer runs at a time)
    /// and a new or accepted item is moved to in progress on the server.
    Start(IdArg),
    /// Stop the running timer and log its time.
    Stop,
    /// Log an outcome, which closes the item.
    Log(LogArgs),
    /// Log time spent on an item.
    Time(TimeArgs),
    /// Log work that is not an item (a visit, a training, contact cards).
    #[command(after_help = activity_codes_help())]
    Activity(ActivityArgs),
    /// Mediation sessions by room for a day; with an item id, book or move
    /// that session (`--room --start --end`).
    Schedule(ScheduleArgs),
    /// Register new work at the intake desk.
    #[command(subcommand)]
    New(crate::cli_dispatch::NewCommand),
    /// Give an item to a lawyer or mediator, or back to the pool (coordinators).
    Assign(crate::cli_dispatch::AssignArgs),
    /// Give your own item back to the pool, saying why.
    Release(crate::cli_dispatch::ReleaseArgs),
    /// Cancel an item, saying why.
    Cancel(crate::cli_dispatch::CancelArgs),
    /// Change your password.
    Passwd(crate::cli_dispatch::PasswdArgs),
    /// Show the parties' full phone and ID numbers (recorded in the audit log).
    Reveal(crate::cli_dispatch::RevealArgs),
    /// Your duty shifts this week, and checking in and out.
    Duty(DutyArgs),
    /// Send what is waiting and fetch what changed.
    Sync,
    /// What is waiting to be sent, and what the server refused.
    Outbox(OutboxArgs),
    /// Campaign statistics as the bureau's forms.
    Report(ReportArgs),
    /// Hand in a period's form, approve, return or reopen a unit's, and
    /// see which units handed theirs in.
    #[command(subcommand)]
    Submission(SubmissionCommand),
    /// Withdraw one of your wrong time entries or activities while its
    /// period is open (a counter-record; nothing is deleted).
    Withdraw(WithdrawArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `dutydesk man | man -l -`; with
    /// `--out-dir`, write one page per command there instead.
    Man(ManArgs),
    /// Correct an item's outcome, saying why (coordinators of the item's
    /// unit or a unit above it, admins); recorded in the item's history.
    Correct(CorrectArgs),
}

#[derive(Debug, Clone, Args)]
pub struct JsonFlag {
    /// Print JSON (the API's types) instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct IdArg {
    /// The item's number, as `list` shows it.
    #[arg(value_parser = whole_number)]
    pub id: i64,
}

#[cfg(feature = "server")]
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// A SQLite file path, `sqlite://...`, or `postgres://...` URL.
    #[arg(long, env = "DUTYDESK_DB", value_name = "URL_OR_PATH")]
    pub db: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "DUTYDESK_LISTEN", default_value = "127.0.0.1:8737")]
    pub listen: String,
    /// Fill an empty database with demo data and print the demo logins.
    #[arg(long)]
    pub demo: bool,
    /// Duty check-in and check-out are accepted this many minutes before a
    /// shift starts and after it ends, and not outside that.
    #[arg(
        long,
        env = "DUTYDESK_DUTY_GRACE_MINUTES",
        default_value_t = 120,
        value_name = "MINUTES"
    )]
    pub duty_grace_minutes: u32,
    /// Serve HTTPS: the certificate chain, PEM (with --tls-key).
    #[arg(long, env = "DUTYDESK_TLS_CERT", value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The certificate's private key, PEM (with --tls-cert).
    #[arg(long, env = "DUTYDESK_TLS_KEY", value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// A reverse proxy's address whose X-Forwarded-For names the client
    /// (repeat, or comma-separated), so the login guard counts per client.
    #[arg(
        long = "trusted-proxy",
        env = "DUTYDESK_TRUSTED_PROXIES",
        value_name = "IP",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The log's format on stderr.
    #[arg(long, env = "DUTYDESK_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// `serve --log-format`.
#[cfg(feature = "server")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Manage users.
    #[command(subcommand)]
    User(AdminUserCommand),
    /// Manage tokens.
    #[command(subcommand)]
    Token(AdminTokenCommand),
    /// Manage the tree of units (bureau, law firms, offices...).
    #[command(subcommand)]
    Unit(AdminUnitCommand),
    /// Import work from files.
    #[command(subcommand)]
    Import(AdminImportCommand),
    /// Fill the database with data.
    Seed(AdminSeedArgs),
    /// Manage campaigns.
    #[command(subcommand)]
    Campaign(AdminCampaignCommand),
    /// Manage statistics.
    #[command(subcommand)]
    Stats(AdminStatsCommand),
}

#[cfg(feature = "server")]
#[derive(Debug, Clone, Args)]
pub struct AdminDb {
    /// A SQLite file path, `sqlite://...`, or `postgres://...` URL.
    #[arg(long, env = "DUTYDESK_DB", value_name = "URL_OR_PATH")]
    pub db: Option<String>,
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminUserCommand {
    /// Add a user; prints a one-time password.
    Add {
        #[command(flatten)]
        db: AdminDb,
        username: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "lawyer")]
        role: String,
        #[arg(long, default_value = "lawyer")]
        profession: String,
        /// Reporting unit id (see `admin user list`).
        #[arg(long)]
        unit: i64,
    },
    /// List users.
    List {
        #[command(flatten)]
        db: AdminDb,
    },
    /// Give a user a one-time password, to be changed at the next sign-in;
    /// ends their sessions.
    ResetPassword {
        #[command(flatten)]
        db: AdminDb,
        username: String,
    },
    /// Stop a user signing in; ends their sessions and event streams.
    Disable {
        #[command(flatten)]
        db: AdminDb,
        username: String,
    },
    /// Let a disabled user sign in again.
    Unlock {
        #[command(flatten)]
        db: AdminDb,
        username: String,
    },
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminImportCommand {
    /// Import tickets from a CSV file (columns: external_ref, kind, title,
    /// channel, applicant, and optionally description, category,
    /// green_channel, frontline_group, applicant_phone,
    /// applicant_id_number, respondent, respondent_phone, respondent_kind).
    Items {
        #[command(flatten)]
        db: AdminDb,
        file: PathBuf,
        /// The unit whose pool the items go to.
        #[arg(long)]
        unit: i64,
        /// Check the file and count what would be created; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminUnitCommand {
    /// Add a unit; prints its id.
    Add {
        #[command(flatten)]
        db: AdminDb,
        name: String,
        /// bureau, district_bureau, law_firm, notary_office,
        /// grassroots_office, legal_aid_centre, mediation_committee.
        #[arg(long)]
        kind: String,
        /// The unit above it (none: a root).
        #[arg(long)]
        parent: Option<i64>,
    },
    /// Put a unit under another one (or make it a root).
    Move {
        #[command(flatten)]
        db: AdminDb,
        unit: i64,
        /// The new parent's id.
        #[arg(long, conflicts_with = "root")]
        parent: Option<i64>,
        /// Make it a root.
        #[arg(long)]
        root: bool,
    },
    /// List the units as a tree.
    List {
        #[command(flatten)]
        db: AdminDb,
    },
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminTokenCommand {
    /// Revoke every token of a user, or one token by its id.
    Revoke {
        #[command(flatten)]
        db: AdminDb,
        /// The user whose tokens to revoke.
        #[arg(long)]
        user: Option<String>,
        /// One token's id.
        #[arg(long)]
        id: Option<i64>,
    },
}

#[cfg(feature = "server")]
#[derive(Debug, Clone, Args)]
pub struct AdminSeedArgs {
    #[command(flatten)]
    pub db: AdminDb,
    /// Demo data: units, users (password `demo`), items, rooms, duty, campaigns.
    #[arg(long)]
    pub demo: bool,
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminCampaignCommand {
    /// Import (or update) a campaign definition from a TOML file.
    Import {
        #[command(flatten)]
        db: AdminDb,
        file: PathBuf,
    },
}

#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum AdminStatsCommand {
    /// Recompute every statistic from the raw records.
    Rebuild {
        #[command(flatten)]
        db: AdminDb,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoRole {
    Lawyer,
    Operator,
    Coordinator,
}

#[cfg(feature = "server")]
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Whom to sign in as.
    #[arg(long = "as", value_enum, default_value = "lawyer")]
    pub as_role: DemoRole,
}

#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    #[arg(long)]
    pub user: Option<String>,
    /// Read the password from standard input (for scripts).
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only this kind: mediation, consultation, pro_bono.
    #[arg(long)]
    pub kind: Option<String>,
    /// The on-duty pool instead of your items.
    #[arg(long)]
    pub pool: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    #[arg(value_parser = whole_number)]
    pub id: i64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    #[arg(value_parser = whole_number)]
    pub id: i64,
    /// Outcome code; `show ID` lists the ones valid for the item.
    #[arg(long)]
    pub outcome: String,
    #[arg(long, value_parser = whole_number)]
    pub minutes: Option<i64>,
    /// Amount settled by a mediation agreement, in yuan.
    #[arg(long, value_name = "CNY")]
    pub settled_amount: Option<String>,
    /// Fee waived on a pro bono request, in yuan.
    #[arg(long, value_name = "CNY")]
    pub fee_waived: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct TimeArgs {
    #[arg(value_parser = whole_number)]
    pub id: i64,
    #[arg(long, value_parser = whole_number)]
    pub minutes: i64,
    /// preparation, session, follow_up, travel or duty.
    #[arg(long)]
    pub activity: String,
    #[arg(long)]
    pub note: Option<String>,
}

/// The indicators the shipped campaigns count from activities, for
/// `activity --help`: code, English and Chinese name, and whether the row
/// takes a second value. The server's own campaigns decide; `activity`
/// checks against them (and lists them) before saving.
pub fn activity_codes_help() -> String {
    use crate::domain::campaign::{SHIPPED, parse_definition};
    use crate::domain::records::activity_targets;
    let mut lines = vec!["Indicator codes (the shipped campaigns; the server's decide):".to_string()];
    for (_, source) in SHIPPED {
        let Ok(def) = parse_definition(source) else {
            continue;
        };
        let at = def
            .timezone
            .to_timestamp(def.starts_on.to_datetime(jiff::civil::Time::midnight()))
            .map(|t| t.as_millisecond())
            .unwrap_or_default();
        lines.push(format!("  {} ({}):", def.id, def.name_en));
        for t in activity_targets([&def], at) {
            let two = if t.two_valued { "  [--count2 too]" } else { "" };
            lines.push(format!("    {:<28} {} / {}{two}", t.code, t.name_en, t.name_zh));
        }
    }
    lines.join("\n")
}

#[derive(Debug, Clone, Args)]
pub struct ActivityArgs {
    /// Indicator code, e.g. enterprises_visited, trainings, contact_cards (listed below).
    #[arg(long)]
    pub indicator: String,
    #[arg(long, value_parser = whole_number)]
    pub count: i64,
    /// Second value of two-valued rows (attendees, people).
    #[arg(long, value_parser = whole_number)]
    pub count2: Option<i64>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ScheduleArgs {
    /// A mediation item to book or move; without it, the day's sessions.
    #[arg(requires_all = ["room", "start", "end"])]
    pub id: Option<i64>,
    /// YYYY-MM-DD; today when absent.
    #[arg(long, conflicts_with = "id")]
    pub date: Option<String>,
    /// The room's id (see `dutydesk schedule --json`).
    #[arg(long)]
    pub room: Option<i64>,
    /// Start, `YYYY-MM-DD HH:MM` Beijing time.
    #[arg(long)]
    pub start: Option<String>,
    /// End, `YYYY-MM-DD HH:MM` Beijing time.
    #[arg(long)]
    pub end: Option<String>,
    /// The mediator's user id (the item's assignee when absent).
    #[arg(long)]
    pub mediator: Option<i64>,
    /// A video link (https://…) or a phone (tel:…) for remote sessions.
    #[arg(long)]
    pub join_link: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DutyArgs {
    #[command(subcommand)]
    pub action: Option<DutyAction>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DutyAction {
    CheckIn {
        #[arg(value_parser = whole_number)]
        id: i64,
    },
    CheckOut {
        #[arg(value_parser = whole_number)]
        id: i64,
    },
}

#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub action: Option<OutboxAction>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum OutboxAction {
    /// Send a failed entry again, after the edits given (if any).
    Retry {
        /// The entry as `outbox` shows it (any unique head or tail of its id).
        id: String,
        #[command(flatten)]
        edits: EntryEdits,
    },
    /// Drop an entry for good.
    Discard { id: String },
}

/// Changes to a failed entry before it is sent again. Each applies only to
/// the entries that have that field: `--outcome`, `--settled-amount` and
/// `--fee-waived` to outcomes, `--minutes` to outcomes and time entries,
/// `--note` to outcomes, time entries and activities.
#[derive(Debug, Clone, Default, Args)]
pub struct EntryEdits {
    /// A different outcome code.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Minutes worked (outcomes and time entries).
    #[arg(long, value_parser = whole_number)]
    pub minutes: Option<i64>,
    /// Amount settled by a mediation agreement, in yuan.
    #[arg(long, value_name = "CNY")]
    pub settled_amount: Option<String>,
    /// Fee waived on a pro bono request, in yuan.
    #[arg(long, value_name = "CNY")]
    pub fee_waived: Option<String>,
    /// A new note (outcomes, time entries, activities).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Xlsx,
    Json,
}

impl From<ReportFormat> for crate::report::Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Table => Self::Table,
            ReportFormat::Csv => Self::Csv,
            ReportFormat::Xlsx => Self::Xlsx,
            ReportFormat::Json => Self::Json,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportScope {
    Me,
    Unit,
    All,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The campaign's id, e.g. form1-enterprise-service.
    #[arg(long, required_unless_present = "due")]
    pub campaign: Option<String>,
    /// List the next deadline of each campaign and where your units stand.
    #[arg(long)]
    pub due: bool,
    /// A period as `YYYY-MM-DD..YYYY-MM-DD`, or any day in it.
    #[arg(long, conflicts_with_all = ["current", "previous"])]
    pub period: Option<String>,
    /// The period that contains today (the default).
    #[arg(long, conflicts_with = "previous")]
    pub current: bool,
    /// The period before the current one.
    #[arg(long)]
    pub previous: bool,
    /// Reporting unit id (coordinators and admins).
    #[arg(long, value_parser = whole_number)]
    pub unit: Option<i64>,
    /// Whose work: me, unit or all (default: unit with `--unit`, else me).
    #[arg(long, value_enum)]
    pub scope: Option<ReportScope>,
    /// Add one row set per child unit of the unit (a bureau's roll-up).
    #[arg(long)]
    pub by_unit: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (required for xlsx).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write dutydesk.1 and a dutydesk-COMMAND.1 per command into this
    /// directory (for `man1/`) instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// A whole number as people type it, full-width digits (`３０`) included.
fn whole_number(text: &str) -> Result<i64, String> {
    crate::domain::number::parse_whole(text).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Args)]
pub struct SubmissionPeriod {
    /// The campaign's id, e.g. form1-enterprise-service.
    #[arg(long)]
    pub campaign: String,
    /// A period as `YYYY-MM-DD..YYYY-MM-DD` (default: the current one).
    #[arg(long)]
    pub period: Option<String>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum SubmissionCommand {
    /// Hand in your unit's form for the period (locks its records).
    Submit {
        #[command(flatten)]
        at: SubmissionPeriod,
        /// 填报人: who fills the form in.
        #[arg(long)]
        filled_by: String,
        /// 联系电话.
        #[arg(long)]
        phone: String,
        /// The unit handing in (admins); default: yours.
        #[arg(long)]
        unit: Option<i64>,
    },
    /// Accept a unit's handed-in form (a coordinator above it).
    Approve {
        #[command(flatten)]
        at: SubmissionPeriod,
        #[arg(long)]
        unit: i64,
    },
    /// Send a unit's form back with a reason; its records open again.
    Return {
        #[command(flatten)]
        at: SubmissionPeriod,
        #[arg(long)]
        unit: i64,
        #[arg(long)]
        reason: String,
    },
    /// Open a handed-in or approved form again, with a reason.
    Reopen {
        #[command(flatten)]
        at: SubmissionPeriod,
        #[arg(long)]
        unit: i64,
        #[arg(long)]
        reason: String,
    },
    /// Which units below yours handed the period's form in, late or not at all.
    Status {
        #[command(flatten)]
        at: SubmissionPeriod,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WithdrawKind {
    Time,
    Activity,
}

#[derive(Debug, Clone, Args)]
pub struct WithdrawArgs {
    /// What to withdraw.
    #[arg(value_enum)]
    pub kind: WithdrawKind,
    /// Its id, as `show ITEM --json` lists it.
    pub id: String,
}

#[derive(Debug, Clone, Args)]
pub struct CorrectArgs {
    #[arg(value_parser = whole_number)]
    pub id: i64,
    /// The corrected outcome code; `show ID` lists the ones valid for the item.
    #[arg(long)]
    pub outcome: String,
    /// Amount settled by a mediation agreement, in yuan.
    #[arg(long, value_name = "CNY")]
    pub settled_amount: Option<String>,
    /// Fee waived on a pro bono request, in yuan.
    #[arg(long, value_name = "CNY")]
    pub fee_waived: Option<String>,
    /// Why the outcome was wrong (shown on the item's history).
    #[arg(long)]
    pub reason: String,
    /// Which outcome, when the item has more than one; its standing one otherwise.
    #[arg(long, value_name = "OUTCOME_ID")]
    pub outcome_id: Option<String>,
}
