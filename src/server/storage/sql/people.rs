//! The people of a unit who take work, each with their open load (the
//! Dispatch screen's assign picker, `dutydesk assign --to USERNAME`), and
//! where the intake desk may send new work.

use super::SqlStorage;
use super::intake::actor_in_tree;
use crate::api::UserRef;
use crate::api::dispatch::{UnitPeople, UnitPerson};
use crate::api::intake_units::IntakeUnit;
use crate::api::{UnitRef, User};
use crate::domain::policy::{self, Actor};
use crate::domain::{EpochMs, Role};
use crate::server::admin_units::{links, load_units};
use crate::server::storage::PeopleStore;
use crate::server::storage::StorageError;

/// One row: id, username, display name, role, open, overdue.
type PersonRow = (i64, String, String, String, i64, i64);

impl PeopleStore for SqlStorage {
    async fn unit_people(&self, me: &User, unit: i64, now: EpochMs) -> Result<UnitPeople, StorageError> {
        // A read: a plain transaction, not the writer's lock.
        let mut tx = self.store.pool.begin().await?;
        let units = load_units(&mut *tx).await?;
        let links = links(&units);
        let actor = Actor::in_tree(me.id, me.role, me.unit.id, &links);
        if !policy::may_list_people(&actor, &links, unit) {
            return Err(StorageError::forbidden(
                "only the unit's coordinator (or one above it) and the desk that routes work there list its people",
            ));
        }
        let Some(unit_name) = units.iter().find(|u| u.id == unit).map(|u| u.name.clone()) else {
            return Err(StorageError::not_found("unit"));
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

    /// Where the intake desk may send new work: every unit of the tree the
    /// policy lets it route to, with the people there who take work.
    async fn intake_units(&self, me: &User) -> Result<Vec<IntakeUnit>, StorageError> {
        let mut w = self.store.begin_write().await?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        if !policy::may_intake(&actor) {
            return Err(StorageError::forbidden(
                "only the intake desk (or a hotline operator, an admin) registers new work",
            ));
        }
        let rows = load_units(&mut *w.tx).await?;
        let tree = links(&rows);
        let people: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, username, display_name, role, unit_id FROM users \
             WHERE disabled_at IS NULL ORDER BY display_name, id",
        )
        .fetch_all(&mut *w.tx)
        .await?;
        drop(w);
        // Who takes work; a stored role that does not decode is an error,
        // not a person quietly left off the list.
        let mut workers = Vec::with_capacity(people.len());
        for p in &people {
            let role = Role::parse(&p.3).ok_or_else(|| {
                sqlx::Error::Decode(format!("user {} has an unknown role {:?}", p.0, p.3).into())
            })?;
            if role.takes_work() {
                workers.push(p);
            }
        }
        // The desk's own unit first, then the tree's order.
        let mut units: Vec<IntakeUnit> = rows
            .iter()
            .filter(|u| policy::may_route_to(&actor, &tree, u.id))
            .map(|u| IntakeUnit {
                unit: UnitRef {
                    id: u.id,
                    name: u.name.clone(),
                },
                people: workers
                    .iter()
                    .filter(|p| p.4 == u.id)
                    .map(|p| UserRef {
                        id: p.0,
                        username: p.1.clone(),
                        display_name: p.2.clone(),
                    })
                    .collect(),
            })
            .collect();
        units.sort_by_key(|u| u.unit.id != me.unit.id);
        Ok(units)
    }
}
