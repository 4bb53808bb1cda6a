//! The command-line arguments of intake and dispatch: `new`, `assign`,
//! `release`, `cancel`, `passwd`, `reveal` (parse only).

use clap::{Args, Subcommand, ValueEnum};

/// The kinds of new work, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Side {
    Person,
    Enterprise,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// What the matter is about.
    #[arg(long)]
    pub title: String,
    /// The unit whose on-duty pool it goes to.
    #[arg(long)]
    pub unit: i64,
    /// walk_in, hotline, online, wechat, video or letter.
    #[arg(long, default_value = "walk_in")]
    pub channel: String,
    /// labour_contract, wages, housing_lease, contract_breach, insurance,
    /// enterprise_health_check, epidemic or other.
    #[arg(long, default_value = "other")]
    pub category: String,
    #[arg(long, default_value = "")]
    pub description: String,
    /// The applicant's name.
    #[arg(long)]
    pub applicant: String,
    #[arg(long)]
    pub applicant_phone: Option<String>,
    /// 身份证号 or 统一社会信用代码.
    #[arg(long)]
    pub applicant_id: Option<String>,
    /// The other side's name.
    #[arg(long)]
    pub respondent: Option<String>,
    #[arg(long)]
    pub respondent_phone: Option<String>,
    #[arg(long, value_enum, default_value = "person")]
    pub respondent_kind: Side,
    /// Straight to this lawyer or mediator (user id) instead of the pool.
    #[arg(long)]
    pub to: Option<i64>,
    /// The hotline or platform's ticket id.
    #[arg(long)]
    pub external_ref: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ProBonoArgs {
    #[command(flatten)]
    pub common: NewArgs,
    /// Through the green channel (绿色通道).
    #[arg(long)]
    pub green: bool,
    /// The frontline worker group, with --green: medical, military,
    /// volunteer, police, community, courier, delivery_rider,
    /// ride_hailing_driver, truck_driver, migrant_worker,
    /// sanitation_worker, other.
    #[arg(long, requires = "green")]
    pub group: Option<String>,
    /// Fees may be reduced or waived (减免费用).
    #[arg(long)]
    pub fee_waiver: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum NewCommand {
    /// A consultation ticket.
    Consultation(NewArgs),
    /// A pro bono request, through the green channel if it qualifies.
    ProBono(ProBonoArgs),
    /// A mediation request (name the respondent).
    Mediation(NewArgs),
}

#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("whom").required(true).args(["to", "pool"])))]
pub struct AssignArgs {
    pub id: i64,
    /// The lawyer or mediator: a username of the item's unit, or a user id.
    #[arg(long, value_name = "USER")]
    pub to: Option<String>,
    /// Back to the unit's on-duty pool.
    #[arg(long)]
    pub pool: bool,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ReleaseArgs {
    pub id: i64,
    /// Why (the coordinator reads it).
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CancelArgs {
    pub id: i64,
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct PasswdArgs {
    /// Read the current and the new password from standard input, one a
    /// line (for scripts); otherwise they are asked for.
    #[arg(long)]
    pub stdin: bool,
}

#[derive(Debug, Clone, Args)]
pub struct RevealArgs {
    pub id: i64,
    #[arg(long)]
    pub json: bool,
}
