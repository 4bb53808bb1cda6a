//! The randomized fault soak (issue 14): random writes through the real
//! `dutydesk` client binary against the real `dutydesk serve`, behind a
//! fault-injecting proxy (drop before/after forwarding, truncated answers,
//! stalls past the client's deadline, a gateway's 502/503, a middlebox's own
//! `200` JSON), with random kill -9 of the client and of the server. At the
//! end: lost and doubled entries against the ledger of what the client said
//! it saved, and `admin stats rebuild` (0 changed). Loopback only; a temp dir
//! or a fresh PostgreSQL schema, removed at the end. Exits 1 on any lost or
//! doubled entry, anything left unsent, or a rebuild that changed a cell.
//!
//!     cargo build --all-features --bin dutydesk --example fault_soak
//!     target/debug/examples/fault_soak --seed 1 --runs 1000 --backend sqlite
//!     DUTYDESK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!         target/debug/examples/fault_soak --seed 1 --runs 1000 --backend postgres

#[path = "../tests/common/fault_proxy.rs"]
mod fault_proxy;
#[path = "../tests/common/soak.rs"]
mod soak;
#[path = "../tests/common/soak_parts.rs"]
mod soak_parts;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Randomized fault soak of the dutydesk client and server (loopback only)")]
struct Args {
    /// The RNG's seed: the plan of writes, kills and faults.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many runs (one client command each).
    #[arg(long, default_value_t = 100)]
    runs: u32,
    #[arg(long, value_enum, default_value = "sqlite")]
    backend: BackendArg,
    /// The dutydesk binary (default: next to this example's directory).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// The chance that one request meets a fault.
    #[arg(long, default_value_t = 0.35)]
    fault_rate: f64,
    /// One line per run.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum BackendArg {
    Sqlite,
    Postgres,
}

fn default_bin() -> Option<PathBuf> {
    // target/<profile>/examples/fault_soak -> target/<profile>/dutydesk
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.join("dutydesk"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let Some(bin) = args.bin.or_else(default_bin).filter(|b| b.exists()) else {
        eprintln!("fault_soak: no dutydesk binary; build it (cargo build --bin dutydesk) or pass --bin PATH");
        return ExitCode::from(2);
    };
    let backend = match args.backend {
        BackendArg::Sqlite => soak::Backend::Sqlite,
        BackendArg::Postgres => soak::Backend::Postgres,
    };
    let mut cfg = soak::SoakConfig::new(bin, backend, args.seed, args.runs);
    cfg.postgres_url = std::env::var("DUTYDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    cfg.fault_rate = args.fault_rate.clamp(0.0, 1.0);
    cfg.verbose = args.verbose;
    match soak::soak(&cfg).await {
        Ok(report) => {
            println!("{report}");
            if report.ok() {
                println!("ok: 0 lost, 0 doubled");
                ExitCode::SUCCESS
            } else {
                println!("FAILED");
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("fault_soak: the soak could not run: {e:#}");
            ExitCode::from(2)
        }
    }
}
