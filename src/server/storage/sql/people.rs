//! The people of a unit who take work, each with their open load (the
//! Dispatch screen's assign picker, `dutydesk assign --to USERNAME`).

use super::SqlStorage;
use crate::api::dispatch::{UnitPeople, UnitPerson};
use crate::api::{UnitRef, User};
use crate::domain::policy::{self, Actor};
use crate::domain::{EpochMs, Role};
use crate::server::admin_units::{links, load_units};
use crate::server::error::ApiError;

/// One row: id, username, display name, role, open, overdue.
type PersonRow = (i64, String, String, String, i64, i64);

impl SqlStorage {
    pub(super) async fn unit_people_impl(
        &self,
        me: &User,
        unit: i64,
        now: EpochMs,
    ) -> Result<UnitPeople, ApiError> {
        // A read: a plain transaction, not the writer's lock.
        let mut tx = self.store.pool.begin().await?;
        let units = load_units(&mut *tx).await?;
        let links = links(&units);
        let actor = Actor::in_tree(me.id, me.role, me.unit.id, &links);
        if !policy::may_list_people(&actor, &links, unit) {
            return Err(ApiError::forbidden(
                "only the unit's coordinator (or one above it) and the desk that routes work there list its people",
            ));
        }
        let Some(unit_name) = units.iter().find(|u| u.id == unit).map(|u| u.name.clone()) else {
            return Err(ApiError::not_found("unit"));
        };
        let units_below = units
            .iter()
            .filter(|u| u.parent_id == Some(unit))
            .map(|u| UnitRef {
                id: u.id,
                name: u.name.clone(),
            })
            .collect();
        let rows: Vec<PersonRow> = sqlx::query_as(
            "SELECT u.id, u.username, u.display_name, u.role, \
             CAST(COUNT(i.id) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN i.due_at < $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM users u LEFT JOIN items i ON i.assignee_id = u.id \
             AND i.status NOT IN ('closed', 'cancelled', 'no_show') \
             WHERE u.unit_id = $1 AND u.disabled_at IS NULL AND u.role IN ('lawyer', 'mediator') \
             GROUP BY u.id, u.username, u.display_name, u.role ORDER BY u.id",
        )
        .bind(unit)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        drop(tx);
        let people = rows
            .into_iter()
            .map(|(id, username, display_name, role, open_items, overdue_items)| {
                let role = Role::parse(&role).ok_or_else(|| {
                    sqlx::Error::Decode(format!("user {id} has an unknown role {role:?}").into())
                })?;
                Ok(UnitPerson {
                    id,
                    username,
                    display_name,
                    role,
                    open_items,
                    overdue_items,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(UnitPeople {
            unit_id: unit,
            unit_name,
            people,
            units_below,
        })
    }
}
