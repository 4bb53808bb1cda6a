//! Where the intake desk may send new work: every unit of the tree the
//! policy lets it route to, with the people there who take work.

use super::SqlStorage;
use super::intake::actor_in_tree;
use crate::api::intake_units::IntakeUnit;
use crate::api::{UnitRef, User, UserRef};
use crate::domain::Role;
use crate::domain::policy;
use crate::server::admin_units::{links, load_units};
use crate::server::error::ApiError;

impl SqlStorage {
    pub(super) async fn intake_units_impl(&self, me: &User) -> Result<Vec<IntakeUnit>, ApiError> {
        let mut w = self.store.begin_write().await?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        if !policy::may_intake(&actor) {
            return Err(ApiError::forbidden(
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
        // The desk's own unit first, then the tree's order.
        let mut units: Vec<IntakeUnit> = rows
            .iter()
            .filter(|u| policy::may_route_to(&actor, &tree, u.id))
            .map(|u| IntakeUnit {
                unit: UnitRef {
                    id: u.id,
                    name: u.name.clone(),
                },
                people: people
                    .iter()
                    .filter(|p| p.4 == u.id && Role::parse(&p.3).is_some_and(Role::takes_work))
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
