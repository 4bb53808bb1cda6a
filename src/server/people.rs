//! `GET /api/v1/units/{id}/people`: the unit's lawyers and mediators with
//! their open load. Storage asks `domain::policy`.

use axum::Json;
use axum::extract::State;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiPath, ApiResult};
use crate::api::dispatch::UnitPeople;
use crate::domain::clock::now_ms;

pub async fn unit_people(
    State(state): State<Shared>,
    me: AuthUser,
    ApiPath(unit): ApiPath<i64>,
) -> ApiResult<Json<UnitPeople>> {
    let people = state.storage.unit_people(&me.user, unit, now_ms()).await?;
    Ok(Json(people))
}
