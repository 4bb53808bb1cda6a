//! The lifecycle of a work item and which moves it allows.
//!
//! ```text
//!  new ──► accepted ──► in_progress ◄──► waiting
//!   │         │            │  │            │
//!   └─────────┴──► cancelled  └─► no_show   │   (mediation only)
//!  any open status ── outcome logged ──► closed
//! ```
//! `closed` is reached only by logging an outcome, so every closed item has
//! one and the statistics never miss it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ItemKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    New,
    Accepted,
    InProgress,
    Waiting,
    Closed,
    NoShow,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("an item that is {from} cannot move; it is finished")]
    Finished { from: &'static str },
    #[error("an item moves to closed only by logging an outcome")]
    CloseNeedsOutcome,
    #[error("only a mediation session can be marked no-show")]
    NoShowNeedsMediation,
    #[error("an item that is {from} cannot become {to}")]
    NotAllowed { from: &'static str, to: &'static str },
    #[error("the item is already {0}")]
    Unchanged(&'static str),
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 7] = [
        Self::New,
        Self::Accepted,
        Self::InProgress,
        Self::Waiting,
        Self::Closed,
        Self::NoShow,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Accepted => "accepted",
            Self::InProgress => "in_progress",
            Self::Waiting => "waiting",
            Self::Closed => "closed",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Finished items take no more changes and no outcome.
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Closed | Self::NoShow | Self::Cancelled)
    }

    /// Whether an outcome may be logged now (which closes the item).
    pub fn accepts_outcome(self) -> bool {
        !self.is_finished()
    }

    /// Checks a move asked for through the transition endpoint.
    pub fn check_transition(self, kind: ItemKind, to: ItemStatus) -> Result<(), TransitionError> {
        use ItemStatus::*;
        if self.is_finished() {
            return Err(TransitionError::Finished { from: self.as_str() });
        }
        if self == to {
            return Err(TransitionError::Unchanged(self.as_str()));
        }
        if to == Closed {
            return Err(TransitionError::CloseNeedsOutcome);
        }
        if to == NoShow && kind != ItemKind::Mediation {
            return Err(TransitionError::NoShowNeedsMediation);
        }
        let allowed = match self {
            New => matches!(to, Accepted | Cancelled),
            Accepted => matches!(to, InProgress | Cancelled | NoShow),
            InProgress => matches!(to, Waiting | NoShow),
            Waiting => matches!(to, InProgress | Cancelled),
            Closed | NoShow | Cancelled => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(TransitionError::NotAllowed {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ItemStatus::*;
    use super::*;

    /// Every (from, to) pair for a consultation, spelled out, so a change to
    /// the lifecycle is a deliberate change to this table.
    #[test]
    fn consultation_transition_table() {
        let allowed = [
            (New, Accepted),
            (New, Cancelled),
            (Accepted, InProgress),
            (Accepted, Cancelled),
            (InProgress, Waiting),
            (Waiting, InProgress),
            (Waiting, Cancelled),
        ];
        for from in ItemStatus::ALL {
            for to in ItemStatus::ALL {
                let got = from.check_transition(ItemKind::Consultation, to).is_ok();
                assert_eq!(got, allowed.contains(&(from, to)), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn mediation_may_be_marked_no_show() {
        assert!(Accepted.check_transition(ItemKind::Mediation, NoShow).is_ok());
        assert!(InProgress.check_transition(ItemKind::Mediation, NoShow).is_ok());
        assert_eq!(
            InProgress.check_transition(ItemKind::ProBono, NoShow),
            Err(TransitionError::NoShowNeedsMediation)
        );
    }

    #[test]
    fn errors_say_why() {
        assert_eq!(
            New.check_transition(ItemKind::Consultation, Closed),
            Err(TransitionError::CloseNeedsOutcome)
        );
        assert_eq!(
            Closed.check_transition(ItemKind::Consultation, InProgress),
            Err(TransitionError::Finished { from: "closed" })
        );
        assert_eq!(
            New.check_transition(ItemKind::Consultation, New),
            Err(TransitionError::Unchanged("new"))
        );
        assert_eq!(
            New.check_transition(ItemKind::Consultation, Waiting)
                .unwrap_err()
                .to_string(),
            "an item that is new cannot become waiting"
        );
    }

    #[test]
    fn outcomes_only_on_open_items() {
        for s in ItemStatus::ALL {
            assert_eq!(s.accepts_outcome(), !matches!(s, Closed | NoShow | Cancelled));
        }
    }

    #[test]
    fn parse_round_trips() {
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
