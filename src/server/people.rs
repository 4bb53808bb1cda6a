//! `GET /api/v1/units/{id}/people`: the unit's lawyers and mediators with
//! their open load. Storage asks `domain::policy`.

use axum::Json;
use axum::extract::State;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiPath, ApiResult};
use super::storage::Storage;
use crate::api::dispatch::UnitPeople;
use crate::domain::clock::now_ms;

pub async fn unit_people<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(unit): ApiPath<i64>,
) -> ApiResult<Json<UnitPeople>> {
    let people = state.storage.unit_people(&me.user, unit, now_ms()).await?;
    Ok(Json(people))
}
