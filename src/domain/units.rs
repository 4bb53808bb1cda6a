//! Reporting units form a tree: a district bureau over its law firms,
//! notary offices, grassroots offices, legal aid centre and mediation
//! committees. Who may see what follows the tree (see `policy`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::people::Role;

/// What kind of body a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Bureau,
    DistrictBureau,
    LawFirm,
    NotaryOffice,
    GrassrootsOffice,
    LegalAidCentre,
    MediationCommittee,
    /// A public legal service centre (公共法律服务中心): units stored before
    /// the tree had this kind.
    ServiceCentre,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        Self::Bureau,
        Self::DistrictBureau,
        Self::LawFirm,
        Self::NotaryOffice,
        Self::GrassrootsOffice,
        Self::LegalAidCentre,
        Self::MediationCommittee,
        Self::ServiceCentre,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bureau => "bureau",
            Self::DistrictBureau => "district_bureau",
            Self::LawFirm => "law_firm",
            Self::NotaryOffice => "notary_office",
            Self::GrassrootsOffice => "grassroots_office",
            Self::LegalAidCentre => "legal_aid_centre",
            Self::MediationCommittee => "mediation_committee",
            Self::ServiceCentre => "service_centre",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The codes, for messages that list what may be used.
    pub fn codes() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

/// One unit as the tree needs it: its id and its parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitLink {
    pub id: i64,
    pub parent_id: Option<i64>,
}

/// Why a move would break the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeError {
    UnknownUnit(i64),
    /// The new parent is the unit itself or lies below it.
    Cycle,
}

/// Every unit at or below `unit` (itself first, then breadth first by id).
/// Empty when `unit` is not in `links`. Tolerates a stored cycle: each unit
/// is visited once.
pub fn units_at_or_below(links: &[UnitLink], unit: i64) -> Vec<i64> {
    if !links.iter().any(|l| l.id == unit) {
        return Vec::new();
    }
    // Children by parent, once: a bureau over 1,000 units is one pass over
    // the links, not one per unit.
    let mut kids: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for l in links {
        if let Some(parent) = l.parent_id.filter(|p| *p != l.id) {
            kids.entry(parent).or_default().push(l.id);
        }
    }
    let mut seen = std::collections::HashSet::from([unit]);
    let mut out = vec![unit];
    let mut next = 0;
    while next < out.len() {
        if let Some(children) = kids.get_mut(&out[next]) {
            children.sort_unstable();
            for id in children.iter() {
                if seen.insert(*id) {
                    out.push(*id);
                }
            }
        }
        next += 1;
    }
    out
}

/// The topmost unit above `unit` (itself when it has no parent).
pub fn root_of(links: &[UnitLink], unit: i64) -> i64 {
    let mut seen = vec![unit];
    let mut at = unit;
    while let Some(parent) = links.iter().find(|l| l.id == at).and_then(|l| l.parent_id) {
        if seen.contains(&parent) {
            break;
        }
        seen.push(parent);
        at = parent;
    }
    at
}

/// Whether `unit` may be put under `new_parent` (None: made a root).
pub fn check_move(links: &[UnitLink], unit: i64, new_parent: Option<i64>) -> Result<(), TreeError> {
    if !links.iter().any(|l| l.id == unit) {
        return Err(TreeError::UnknownUnit(unit));
    }
    let Some(parent) = new_parent else {
        return Ok(());
    };
    if !links.iter().any(|l| l.id == parent) {
        return Err(TreeError::UnknownUnit(parent));
    }
    if units_at_or_below(links, unit).contains(&parent) {
        return Err(TreeError::Cycle);
    }
    Ok(())
}

/// Whose statistics and work a user oversees: a coordinator their unit and
/// every unit below it, an admin every unit, anyone else only their own
/// unit (their own records are narrowed further by the caller).
pub fn overseen_units(links: &[UnitLink], role: Role, own_unit: i64) -> Vec<i64> {
    match role {
        Role::Admin => {
            let mut all: Vec<i64> = links.iter().map(|l| l.id).collect();
            all.sort_unstable();
            all
        }
        Role::Coordinator => units_at_or_below(links, own_unit),
        _ => vec![own_unit],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Vec<UnitLink> {
        // 4 is the bureau over 1, 2, 3 and 5; 6 sits under 1; 9 is alone.
        [
            (1, Some(4)),
            (2, Some(4)),
            (3, Some(4)),
            (4, None),
            (5, Some(4)),
            (6, Some(1)),
            (9, None),
        ]
        .map(|(id, parent_id)| UnitLink { id, parent_id })
        .to_vec()
    }

    #[test]
    fn at_or_below_walks_the_whole_subtree() {
        assert_eq!(units_at_or_below(&tree(), 4), vec![4, 1, 2, 3, 5, 6]);
        assert_eq!(units_at_or_below(&tree(), 1), vec![1, 6]);
        assert_eq!(units_at_or_below(&tree(), 6), vec![6]);
        assert_eq!(units_at_or_below(&tree(), 9), vec![9]);
        assert!(units_at_or_below(&tree(), 77).is_empty());
    }

    #[test]
    fn a_stored_cycle_does_not_loop() {
        let links = [(1, Some(2)), (2, Some(1))].map(|(id, parent_id)| UnitLink { id, parent_id });
        assert_eq!(units_at_or_below(&links, 1), vec![1, 2]);
        assert!(matches!(root_of(&links, 1), 1 | 2));
    }

    #[test]
    fn moves_that_would_make_a_cycle_are_refused() {
        let t = tree();
        assert_eq!(check_move(&t, 4, Some(6)), Err(TreeError::Cycle));
        assert_eq!(check_move(&t, 1, Some(1)), Err(TreeError::Cycle));
        assert_eq!(check_move(&t, 1, Some(2)), Ok(()));
        assert_eq!(check_move(&t, 1, None), Ok(()));
        assert_eq!(check_move(&t, 1, Some(70)), Err(TreeError::UnknownUnit(70)));
        assert_eq!(root_of(&t, 6), 4);
    }

    #[test]
    fn oversight_follows_role_and_tree() {
        let t = tree();
        assert_eq!(overseen_units(&t, Role::Coordinator, 4), vec![4, 1, 2, 3, 5, 6]);
        assert_eq!(overseen_units(&t, Role::Coordinator, 2), vec![2]);
        assert_eq!(overseen_units(&t, Role::Lawyer, 4), vec![4]);
        assert_eq!(overseen_units(&t, Role::Admin, 2).len(), 7);
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
        }
    }
}
