//! `GET /campaigns/{id}/periods` and `GET /campaigns/{id}/stats`: the
//! periods of a campaign, and one period's form read from the aggregates.

use axum::Json;
use axum::extract::State;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiPath, ApiQuery, ApiResult};
use super::storage::{StatsAsk, Storage};
use crate::api::rollup::StatsBy;
use crate::api::{PeriodList, ProblemCode, StatsForm, StatsQuery, StatsScope};
use crate::domain::Role;
use crate::domain::campaign::parse_period;
use crate::domain::campaign::period::current;

pub async fn periods<S: Storage>(
    State(state): State<Shared<S>>,
    _me: AuthUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PeriodList>> {
    let def = state.storage.campaign_def(&id).await?;
    Ok(Json(PeriodList::of(&def, state.clock.now())))
}

/// The scope a caller gets without asking: their own work if they log
/// work, their unit if they coordinate one, everything for admins.
fn default_scope(role: Role) -> StatsScope {
    match role {
        Role::Coordinator | Role::Operator | Role::Intake => StatsScope::Unit,
        Role::Admin => StatsScope::All,
        Role::Lawyer | Role::Mediator => StatsScope::Me,
    }
}

/// Who may read what (lawyers and mediators their own work and their unit,
/// coordinators their unit and the units below it, admins everything) is
/// `domain::policy`'s, asked by storage over the unit tree.
pub async fn stats<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<StatsForm>> {
    let def = state.storage.campaign_def(&id).await?;
    let now = state.clock.now();
    let period = match q.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(text) => parse_period(&def, text)
            .map_err(|e| ApiError::new(ProblemCode::InvalidParameter, format!("period: {e}")))?,
        None => current(&def, now),
    };
    let scope = q.scope.unwrap_or(if q.unit.is_some() {
        StatsScope::Unit
    } else {
        default_scope(me.role())
    });
    let ask = StatsAsk {
        scope,
        unit: q.unit,
        by_unit: q.by == Some(StatsBy::Unit),
    };
    let mut form = state
        .storage
        .campaign_stats(&me.user, &def, &period, ask, now)
        .await?;
    form.reporter = Some(crate::api::stats::Reporter {
        name: me.user.display_name.clone(),
        unit: me.user.unit.clone(),
    });
    Ok(Json(form))
}
