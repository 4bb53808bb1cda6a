//! Who may do what: one authorization policy, pure, used by the server's
//! handlers, its event filter and the statistics scopes. Callers describe
//! the acting user ([`Actor`]) and the item ([`ItemFacts`]); the answers
//! never touch storage.

use super::people::Role;
use super::{ItemKind, ItemStatus};

pub use super::units::{UnitLink, overseen_units, root_of, units_at_or_below};

/// The acting user as the policy needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: i64,
    pub role: Role,
    pub unit_id: i64,
    /// The units whose work this user oversees (coordinators: their unit
    /// and every unit below it; admins: all; others: their own).
    pub overseen: Vec<i64>,
}

impl Actor {
    /// An actor whose oversight is their own unit only (no tree at hand).
    pub fn own_unit(id: i64, role: Role, unit_id: i64) -> Self {
        Actor {
            id,
            role,
            unit_id,
            overseen: vec![unit_id],
        }
    }

    /// An actor with oversight from the unit tree.
    pub fn in_tree(id: i64, role: Role, unit_id: i64, links: &[UnitLink]) -> Self {
        Actor {
            id,
            role,
            unit_id,
            overseen: overseen_units(links, role, unit_id),
        }
    }

    fn is(&self, user: Option<i64>) -> bool {
        user == Some(self.id)
    }

    /// A coordinator over `unit`, or an admin.
    pub fn oversees(&self, unit: i64) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Coordinator => self.overseen.contains(&unit),
            _ => false,
        }
    }
}

/// An item as the policy needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub kind: ItemKind,
    pub status: ItemStatus,
    pub unit_id: i64,
    pub assignee_id: Option<i64>,
    /// The operator of the session's room, for a scheduled mediation.
    pub room_operator_id: Option<i64>,
}

/// Whether the actor may read the item. Others get a 404, so ids do not
/// reveal that an item exists.
pub fn may_see(a: &Actor, i: &ItemFacts) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => a.oversees(i.unit_id),
        Role::Operator => a.is(i.room_operator_id),
        Role::Lawyer | Role::Mediator => {
            a.is(i.assignee_id) || (i.assignee_id.is_none() && i.unit_id == a.unit_id)
        }
        // The desk registers work and hands it on; it reads none of it back.
        Role::Intake => false,
    }
}

/// Whether the actor may change the item's work (transition, outcome,
/// time, notes): its assignee, or an admin.
pub fn may_change(a: &Actor, i: &ItemFacts) -> bool {
    a.role == Role::Admin || a.is(i.assignee_id)
}

/// Whether the actor may move the item to `to`: whoever may change it, and
/// the operator of a session's room, who marks a session started, ended
/// (waiting for the mediator's outcome) or no-show.
pub fn may_transition(a: &Actor, i: &ItemFacts, to: ItemStatus) -> bool {
    let room_operator = a.role == Role::Operator && i.kind == ItemKind::Mediation && a.is(i.room_operator_id);
    may_change(a, i)
        || (room_operator
            && matches!(
                to,
                ItemStatus::InProgress | ItemStatus::Waiting | ItemStatus::NoShow
            ))
}

/// Whether the actor may take the item from their unit's pool.
pub fn may_claim(a: &Actor, i: &ItemFacts) -> bool {
    a.role.takes_work() && (i.unit_id == a.unit_id || a.role == Role::Admin)
}

/// Why an assignment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignDenied {
    /// The actor may not see the item at all (answer 404).
    Hidden,
    /// Only the unit's coordinator assigns; a lawyer may only release
    /// their own item to the pool.
    NotCoordinator,
    /// A lawyer releasing their item must say why.
    ReasonNeeded,
    /// The new assignee does not take work in the item's unit.
    BadAssignee,
    /// The item is finished.
    Finished,
}

/// Whether the actor may give the item to `to` (None: back to the pool).
/// `to_facts` is the new assignee's role and unit, when there is one.
pub fn may_assign(
    a: &Actor,
    i: &ItemFacts,
    to: Option<(i64, Role, i64)>,
    reason: Option<&str>,
) -> Result<(), AssignDenied> {
    if !may_see(a, i) {
        return Err(AssignDenied::Hidden);
    }
    if i.status.is_finished() {
        return Err(AssignDenied::Finished);
    }
    let releasing_own = to.is_none() && a.role.takes_work() && a.is(i.assignee_id);
    if releasing_own {
        return match reason.map(str::trim) {
            Some(r) if !r.is_empty() => Ok(()),
            _ => Err(AssignDenied::ReasonNeeded),
        };
    }
    if !a.oversees(i.unit_id) {
        return Err(AssignDenied::NotCoordinator);
    }
    match to {
        Some((_, role, unit)) if !role.takes_work() || unit != i.unit_id => Err(AssignDenied::BadAssignee),
        _ => Ok(()),
    }
}

/// Whether the actor registers new work (the intake desk, the hotline
/// operator, an admin).
pub fn may_intake(a: &Actor) -> bool {
    matches!(a.role, Role::Intake | Role::Operator | Role::Admin)
}

/// Where the desk may send work: its own unit, or any unit under the same
/// top unit (bureau) of the tree. Admins anywhere in the tree.
pub fn may_route_to(a: &Actor, links: &[UnitLink], unit: i64) -> bool {
    if !links.iter().any(|l| l.id == unit) {
        return false;
    }
    a.role == Role::Admin || units_at_or_below(links, root_of(links, a.unit_id)).contains(&unit)
}

/// Whether the actor may book, move or cancel a session in a room whose
/// operator is `room_operator` (the room operator, the item's
/// coordinator, an admin).
pub fn may_schedule(a: &Actor, i: &ItemFacts, room_operator: Option<i64>) -> bool {
    a.role == Role::Admin
        || a.oversees(i.unit_id)
        || (a.role == Role::Operator
            && a.is(room_operator)
            && (i.room_operator_id.is_none() || a.is(i.room_operator_id)))
}

/// Whether the actor may cancel the item: its assignee, the coordinator,
/// an admin, and for a session the room's operator.
pub fn may_cancel(a: &Actor, i: &ItemFacts) -> bool {
    may_change(a, i)
        || a.oversees(i.unit_id)
        || (i.kind == ItemKind::Mediation && a.role == Role::Operator && a.is(i.room_operator_id))
}

/// Whether the actor may list a unit's open work (coordinators, admins).
pub fn may_list_unit(a: &Actor, unit: i64) -> bool {
    a.oversees(unit)
}

/// Whether the actor may list the people of a unit with their open load:
/// whoever assigns there (the unit's coordinator or one above it, an
/// admin), and the desk for a unit it may route work to (it may send work
/// straight to a person).
pub fn may_list_people(a: &Actor, links: &[UnitLink], unit: i64) -> bool {
    a.oversees(unit) || (may_intake(a) && may_route_to(a, links, unit))
}

/// Whether the actor may see a party's full phone and ID number: the
/// assignee, the coordinator, an admin. Every reveal is audited.
pub fn may_reveal(a: &Actor, i: &ItemFacts) -> bool {
    may_change(a, i) || a.oversees(i.unit_id)
}

/// Whether the actor may read an item's audit trail.
pub fn may_read_audit(a: &Actor, i: &ItemFacts) -> bool {
    a.oversees(i.unit_id)
}

/// Whether a live change reaches the actor: `pool` for pool changes,
/// else the item's assignee or the one it just left.
pub fn may_see_change(a: &Actor, i: &ItemFacts, previous_assignee: Option<i64>, pool: bool) -> bool {
    match a.role {
        Role::Admin | Role::Coordinator | Role::Operator | Role::Intake => may_see(a, i),
        Role::Lawyer | Role::Mediator if pool => i.unit_id == a.unit_id,
        Role::Lawyer | Role::Mediator => a.is(i.assignee_id) || a.is(previous_assignee),
    }
}

/// Whether the role reads statistics of their own work (scope=me).
pub fn may_read_own_stats(role: Role) -> bool {
    role.takes_work() || role == Role::Admin
}

/// Whether the actor reads a unit's statistics: lawyers and mediators
/// their own unit, coordinators the units they oversee, admins any.
pub fn may_read_unit_stats(a: &Actor, unit: i64) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => a.oversees(unit),
        Role::Lawyer | Role::Mediator => unit == a.unit_id,
        Role::Operator | Role::Intake => false,
    }
}

/// Whether the role reads every unit's statistics at once.
pub fn may_read_all_stats(role: Role) -> bool {
    role == Role::Admin
}

/// Whether the role logs work that counts (folded in from
/// `domain::records::may_count`).
pub fn may_count(role: Role) -> bool {
    super::records::may_count(role).is_ok()
}

/// Whether the actor may read and acknowledge the item's conflict warning:
/// whoever may see the item, and the intake desk that registered it (it
/// reads nothing else of the item back).
pub fn may_ack_conflicts(a: &Actor, i: &ItemFacts, registered_by: Option<i64>) -> bool {
    may_see(a, i) || (a.role == Role::Intake && registered_by.is_some() && a.is(registered_by))
}

/// Whether the actor reads the per-person row sets of `unit`'s form: the
/// unit's own coordinator and admins. A coordinator above the unit reads
/// the unit's figures and those of its child units, never its people's.
pub fn may_read_people_stats(a: &Actor, unit: i64) -> bool {
    match a.role {
        Role::Admin => true,
        Role::Coordinator => a.unit_id == unit,
        _ => false,
    }
}

/// Whether the actor corrects an outcome on the item (with a reason, in
/// history): the coordinator of the item's unit or of a unit above it, and
/// admins. Not the assignee: an outcome is corrected by someone else's eyes.
pub fn may_correct_outcome(a: &Actor, i: &ItemFacts) -> bool {
    a.oversees(i.unit_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Vec<UnitLink> {
        [(1, Some(4)), (2, Some(4)), (3, Some(4)), (4, None), (9, None)]
            .map(|(id, parent_id)| UnitLink { id, parent_id })
            .to_vec()
    }

    fn item(unit: i64, assignee: Option<i64>) -> ItemFacts {
        ItemFacts {
            kind: ItemKind::Consultation,
            status: ItemStatus::Accepted,
            unit_id: unit,
            assignee_id: assignee,
            room_operator_id: None,
        }
    }

    #[test]
    fn coordinators_assign_in_the_units_they_oversee() {
        let t = links();
        let coord = Actor::in_tree(5, Role::Coordinator, 1, &t);
        let bureau = Actor::in_tree(6, Role::Coordinator, 4, &t);
        let i = item(1, Some(10));
        assert_eq!(may_assign(&coord, &i, Some((11, Role::Lawyer, 1)), None), Ok(()));
        assert_eq!(may_assign(&bureau, &i, None, None), Ok(()));
        assert_eq!(
            may_assign(&coord, &i, Some((11, Role::Lawyer, 2)), None),
            Err(AssignDenied::BadAssignee)
        );
        assert_eq!(
            may_assign(&coord, &i, Some((11, Role::Operator, 1)), None),
            Err(AssignDenied::BadAssignee)
        );
        let other = Actor::in_tree(7, Role::Coordinator, 2, &t);
        assert_eq!(may_assign(&other, &i, None, None), Err(AssignDenied::Hidden));
    }

    #[test]
    fn a_lawyer_releases_only_their_own_item_with_a_reason() {
        let me = Actor::own_unit(10, Role::Lawyer, 1);
        let mine = item(1, Some(10));
        assert_eq!(may_assign(&me, &mine, None, Some("回避")), Ok(()));
        assert_eq!(
            may_assign(&me, &mine, None, Some("  ")),
            Err(AssignDenied::ReasonNeeded)
        );
        assert_eq!(
            may_assign(&me, &mine, Some((11, Role::Lawyer, 1)), None),
            Err(AssignDenied::NotCoordinator)
        );
        assert_eq!(
            may_assign(&me, &item(1, Some(11)), None, Some("x")),
            Err(AssignDenied::Hidden)
        );
        let pool = item(1, None);
        assert_eq!(
            may_assign(&me, &pool, None, Some("x")),
            Err(AssignDenied::NotCoordinator)
        );
    }

    #[test]
    fn who_lists_a_units_people() {
        let t = links();
        let coord = Actor::in_tree(5, Role::Coordinator, 1, &t);
        assert!(may_list_people(&coord, &t, 1));
        assert!(!may_list_people(&coord, &t, 2), "a sibling unit is not theirs");
        let bureau = Actor::in_tree(6, Role::Coordinator, 4, &t);
        assert!(may_list_people(&bureau, &t, 2));
        let desk = Actor::own_unit(3, Role::Intake, 3);
        assert!(may_list_people(&desk, &t, 1) && !may_list_people(&desk, &t, 9));
        assert!(!may_list_people(&Actor::own_unit(10, Role::Lawyer, 1), &t, 1));
        assert!(!may_list_people(&Actor::own_unit(11, Role::Mediator, 1), &t, 1));
    }

    #[test]
    fn the_desk_routes_within_its_bureau() {
        let t = links();
        let desk = Actor::own_unit(3, Role::Intake, 3);
        assert!(may_intake(&desk));
        assert!(may_route_to(&desk, &t, 1) && may_route_to(&desk, &t, 4));
        assert!(!may_route_to(&desk, &t, 9) && !may_route_to(&desk, &t, 77));
        assert!(!may_intake(&Actor::own_unit(1, Role::Lawyer, 1)));
        assert!(!may_see(&desk, &item(1, None)), "the desk reads nothing back");
    }

    #[test]
    fn people_and_corrections_follow_the_tree() {
        // 4 is the bureau over 1 and 2.
        let t = [(1, Some(4)), (2, Some(4)), (4, None)]
            .map(|(id, parent_id)| UnitLink { id, parent_id })
            .to_vec();
        let bureau = Actor::in_tree(10, Role::Coordinator, 4, &t);
        let firm = Actor::in_tree(11, Role::Coordinator, 1, &t);
        let sibling = Actor::in_tree(12, Role::Coordinator, 2, &t);
        let lawyer = Actor::in_tree(13, Role::Lawyer, 1, &t);
        let admin = Actor::in_tree(14, Role::Admin, 2, &t);
        assert!(may_read_people_stats(&firm, 1));
        assert!(
            !may_read_people_stats(&bureau, 1),
            "the parent reads units, not people"
        );
        assert!(may_read_people_stats(&bureau, 4));
        assert!(may_read_people_stats(&admin, 1));
        assert!(!may_read_people_stats(&lawyer, 1));
        let mut on_firm = item(1, Some(13));
        on_firm.status = ItemStatus::Closed;
        assert!(may_correct_outcome(&firm, &on_firm));
        assert!(may_correct_outcome(&bureau, &on_firm), "an ancestor");
        assert!(may_correct_outcome(&admin, &on_firm));
        assert!(!may_correct_outcome(&sibling, &on_firm), "a sibling unit");
        assert!(!may_correct_outcome(&lawyer, &on_firm), "not the assignee");
    }
}
