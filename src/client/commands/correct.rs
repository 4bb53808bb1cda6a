//! `dutydesk correct ID --outcome CODE --reason TEXT`: a coordinator
//! corrects an item's outcome. Online only: the server checks who may and
//! whether the period is handed in, and records the correction in the
//! item's history. A handed-in period (409 `period_locked`) exits 2 with
//! the server's reason, which says who can reopen it.

use rust_i18n::t;

use super::record::{parse_money, parse_outcome};
use super::{CliError, Ctx, Exit};
use crate::api::corrections::{CorrectedOutcome, OutcomeCorrection};
use crate::api::paths::OUTCOME_CORRECTIONS;
use crate::api::{ItemDetail, ProblemCode, paths};
use crate::client::http::{Fetched, HttpError};

pub async fn correct(ctx: &Ctx, args: crate::cli::CorrectArgs) -> Result<Exit, CliError> {
    let code = parse_outcome(&args.outcome)?;
    let settled_amount = parse_money("--settled-amount", args.settled_amount.as_deref())?;
    let fee_waived = parse_money("--fee-waived", args.fee_waived.as_deref())?;
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        return Err(CliError::usage(t!("rollup2.reason_needed")));
    }
    let engine = ctx.engine().await?;
    // The item's version as the server has it now: the correction is
    // refused if the item changes between this read and the write.
    let detail = match engine
        .api()
        .get::<ItemDetail>(&paths::with_id(paths::ITEM, args.id), None)
        .await?
    {
        Fetched::Fresh { value, .. } => value,
        Fetched::NotModified => return Err(CliError::new(t!("rollup2.no_item", id = args.id))),
    };
    let req = OutcomeCorrection {
        outcome_id: args.outcome_id.clone(),
        code,
        settled_amount,
        fee_waived,
        reason,
        version: detail.item.version,
    };
    let body = serde_json::to_value(&req).map_err(|e| CliError::new(e.to_string()))?;
    let path = paths::with_id(OUTCOME_CORRECTIONS, args.id);
    match engine.api().post::<CorrectedOutcome>(&path, &body).await {
        Ok(done) => {
            println!(
                "{}",
                t!(
                    "rollup2.corrected",
                    id = args.id,
                    from = done.replaced.code.as_str(),
                    to = done.outcome.code.as_str()
                )
            );
            Ok(Exit::Ok)
        }
        Err(e) => {
            // Handed in: not a passing trouble but a reason to stop, with
            // the server's words on who can reopen it.
            let locked =
                matches!(&e, HttpError::Refused { problem } if problem.code == ProblemCode::PeriodLocked);
            let mut err = CliError::from(e);
            if locked {
                err.exit = Exit::Usage;
            }
            Err(err)
        }
    }
}
