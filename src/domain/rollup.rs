//! The bureau's roll-up, as pure rules: who may read which unit's form,
//! which child unit each record's unit rolls up into, and the hand-in of a
//! period's form (submit, approve, return, reopen) with who may do each.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::EpochMs;
use super::people::Role;
use super::units::{UnitLink, units_at_or_below};

/// Whether a user may read the statistics of `target` (a coordinator their
/// unit and every unit below it, an admin every unit): the one policy's
/// answer, `domain::policy::may_read_unit_stats`, with the tree's oversight.
#[cfg(test)]
fn may_read_unit(links: &[UnitLink], role: Role, own_unit: i64, target: i64) -> bool {
    let actor = super::policy::Actor::in_tree(0, role, own_unit, links);
    super::policy::may_read_unit_stats(&actor, target)
}

/// The units directly under `unit`, by id.
pub fn children(links: &[UnitLink], unit: i64) -> Vec<i64> {
    let mut out: Vec<i64> = links
        .iter()
        .filter(|l| l.parent_id == Some(unit) && l.id != unit)
        .map(|l| l.id)
        .collect();
    out.sort_unstable();
    out
}

/// For every unit at or below `unit`, the row it rolls up into: `unit`
/// itself for its own records, else the child of `unit` it lies under. Sums
/// over these buckets add up to `unit`'s total, whatever the depth.
pub fn buckets(links: &[UnitLink], unit: i64) -> HashMap<i64, i64> {
    let mut out = HashMap::new();
    let below = units_at_or_below(links, unit);
    if below.is_empty() {
        return out;
    }
    let parent: HashMap<i64, Option<i64>> = links.iter().map(|l| (l.id, l.parent_id)).collect();
    out.insert(unit, unit);
    // Breadth first: a unit's parent has its bucket before the unit.
    for id in below.into_iter().skip(1) {
        let bucket = match parent.get(&id).copied().flatten() {
            Some(p) if p == unit => id,
            Some(p) => out.get(&p).copied().unwrap_or(id),
            None => id,
        };
        out.insert(id, bucket);
    }
    out
}

/// Where a unit's form for one period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Handed in, waiting for the parent unit; the period is locked.
    Submitted,
    /// Accepted by the parent unit; the period stays locked.
    Approved,
    /// Sent back by the parent unit with a reason; open again.
    Returned,
    /// Opened again after a submission or approval, with a reason.
    Reopened,
}

impl SubmissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Returned => "returned",
            Self::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Submitted, Self::Approved, Self::Returned, Self::Reopened]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// New records of the unit in this period are refused.
    pub fn locks(self) -> bool {
        matches!(self, Self::Submitted | Self::Approved)
    }
}

/// A step in the hand-in of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionAction {
    Submit,
    Approve,
    Return,
    Reopen,
}

impl SubmissionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Reopen => "reopen",
        }
    }

    /// The status the step leads to.
    pub fn leads_to(self) -> SubmissionStatus {
        match self {
            Self::Submit => SubmissionStatus::Submitted,
            Self::Approve => SubmissionStatus::Approved,
            Self::Return => SubmissionStatus::Returned,
            Self::Reopen => SubmissionStatus::Reopened,
        }
    }
}

/// Why a hand-in step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// Not this user's to do; `by` says whose it is.
    NotYours { by: Actor },
    /// Not from this status (`None`: nothing handed in yet).
    WrongStatus { from: Option<SubmissionStatus> },
}

/// Who does a step: the unit's own coordinator, or the parent unit's (or an admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    UnitCoordinator,
    ParentCoordinator,
}

/// Whether `role` at `own_unit` may take `action` on `unit`'s form that
/// stands at `from`. Submitting is the unit's own coordinator's; approving,
/// returning and reopening belong to a coordinator above the unit (or an
/// admin), never to the unit itself.
pub fn check_step(
    links: &[UnitLink],
    role: Role,
    own_unit: i64,
    unit: i64,
    from: Option<SubmissionStatus>,
    action: SubmissionAction,
) -> Result<(), StepError> {
    let above = role == Role::Admin
        || (role == Role::Coordinator
            && own_unit != unit
            && units_at_or_below(links, own_unit).contains(&unit));
    let (allowed, by) = match action {
        SubmissionAction::Submit => (
            role == Role::Admin || (role == Role::Coordinator && own_unit == unit),
            Actor::UnitCoordinator,
        ),
        _ => (above, Actor::ParentCoordinator),
    };
    if !allowed {
        return Err(StepError::NotYours { by });
    }
    use SubmissionStatus as S;
    let ok = match action {
        SubmissionAction::Submit => matches!(from, None | Some(S::Returned | S::Reopened)),
        SubmissionAction::Approve | SubmissionAction::Return => from == Some(S::Submitted),
        SubmissionAction::Reopen => matches!(from, Some(S::Submitted | S::Approved)),
    };
    if ok {
        Ok(())
    } else {
        Err(StepError::WrongStatus { from })
    }
}

/// Where a unit stands for a period, as the bureau's overview shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandIn {
    /// Handed in (or approved) by the deadline.
    OnTime,
    /// Handed in after the deadline.
    Late,
    /// Not handed in, and the deadline has passed.
    Missing,
    /// Not handed in yet; the deadline is still ahead.
    Pending,
}

/// A unit's hand-in for a period, from its status, when it was submitted,
/// the period's due time and now.
pub fn hand_in(
    status: Option<SubmissionStatus>,
    submitted_at: Option<EpochMs>,
    due_by: EpochMs,
    now: EpochMs,
) -> HandIn {
    match (status.filter(|s| s.locks()), submitted_at) {
        (Some(_), Some(at)) if at < due_by => HandIn::OnTime,
        (Some(_), _) => HandIn::Late,
        (None, _) if now >= due_by => HandIn::Missing,
        (None, _) => HandIn::Pending,
    }
}

/// Whole days and hours left until `due` (rounded down), or `None` when it
/// has passed.
pub fn time_left(now: EpochMs, due: EpochMs) -> Option<(i64, i64)> {
    let left = due - now;
    let day = 24 * super::HOUR_MS;
    (left > 0).then_some((left / day, left % day / super::HOUR_MS))
}

/// Whether a deadline is close enough to show on the status bar: under 48 hours.
pub fn deadline_near(now: EpochMs, due: EpochMs) -> bool {
    due > now && due - now < 48 * super::HOUR_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Vec<UnitLink> {
        // 4 is the bureau over 1, 2 and 5; 6 sits under 1.
        [(1, Some(4)), (2, Some(4)), (4, None), (5, Some(4)), (6, Some(1))]
            .map(|(id, parent_id)| UnitLink { id, parent_id })
            .to_vec()
    }

    #[test]
    fn reading_follows_the_tree() {
        let t = tree();
        assert!(may_read_unit(&t, Role::Coordinator, 4, 6));
        assert!(may_read_unit(&t, Role::Coordinator, 1, 6));
        assert!(!may_read_unit(&t, Role::Coordinator, 1, 5), "a sibling firm");
        assert!(!may_read_unit(&t, Role::Coordinator, 1, 4), "the parent");
        assert!(may_read_unit(&t, Role::Admin, 1, 4));
        assert!(!may_read_unit(&t, Role::Lawyer, 4, 1));
    }

    #[test]
    fn buckets_put_grandchildren_under_their_child() {
        let b = buckets(&tree(), 4);
        assert_eq!(b[&4], 4);
        assert_eq!(b[&1], 1);
        assert_eq!(b[&6], 1);
        assert_eq!(b[&5], 5);
        assert_eq!(b.len(), 5);
        assert!(buckets(&tree(), 99).is_empty());
    }

    #[test]
    fn the_hand_in_steps() {
        let t = tree();
        use SubmissionAction as A;
        use SubmissionStatus as S;
        assert_eq!(check_step(&t, Role::Coordinator, 1, 1, None, A::Submit), Ok(()));
        assert_eq!(
            check_step(&t, Role::Coordinator, 1, 1, Some(S::Submitted), A::Approve),
            Err(StepError::NotYours {
                by: Actor::ParentCoordinator
            }),
            "a unit does not approve its own form"
        );
        assert_eq!(
            check_step(&t, Role::Coordinator, 4, 1, Some(S::Submitted), A::Approve),
            Ok(())
        );
        assert_eq!(
            check_step(&t, Role::Coordinator, 4, 6, Some(S::Submitted), A::Return),
            Ok(())
        );
        assert_eq!(
            check_step(&t, Role::Coordinator, 4, 1, Some(S::Returned), A::Approve),
            Err(StepError::WrongStatus {
                from: Some(S::Returned)
            })
        );
        assert_eq!(
            check_step(&t, Role::Coordinator, 1, 1, Some(S::Returned), A::Submit),
            Ok(())
        );
        assert!(check_step(&t, Role::Coordinator, 1, 1, Some(S::Submitted), A::Submit).is_err());
        assert_eq!(
            check_step(&t, Role::Admin, 2, 4, Some(S::Approved), A::Reopen),
            Ok(())
        );
        assert!(check_step(&t, Role::Lawyer, 1, 1, None, A::Submit).is_err());
    }

    #[test]
    fn days_and_hours_left() {
        let h = crate::domain::HOUR_MS;
        assert_eq!(time_left(0, 50 * h + 5), Some((2, 2)));
        assert_eq!(time_left(0, h - 1), Some((0, 0)));
        assert_eq!(time_left(10, 10), None);
        assert!(deadline_near(0, 47 * h));
        assert!(!deadline_near(0, 48 * h));
        assert!(!deadline_near(5, 1));
    }

    #[test]
    fn late_and_missing() {
        assert_eq!(
            hand_in(Some(SubmissionStatus::Submitted), Some(5), 10, 20),
            HandIn::OnTime
        );
        assert_eq!(
            hand_in(Some(SubmissionStatus::Approved), Some(15), 10, 20),
            HandIn::Late
        );
        assert_eq!(
            hand_in(Some(SubmissionStatus::Returned), Some(5), 10, 20),
            HandIn::Missing
        );
        assert_eq!(hand_in(None, None, 10, 5), HandIn::Pending);
    }
}
