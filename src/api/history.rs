//! What happened to an item, as its history names it. The wire strings are
//! the snake_case names below; an action this version does not know (a
//! newer server's) still parses, keeping its text, so one new kind of
//! change never hides an item's whole history.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    Created,
    Claimed,
    Assigned,
    /// Taken back from its assignee into the pool; the note says why.
    Released,
    /// A status change (`from_status` → `to_status`).
    Status,
    /// An outcome recorded; the note is its code.
    Outcome,
    /// Time logged; the note is the minutes.
    Time,
    /// A first session booked.
    Scheduled,
    /// A booked session moved.
    Rescheduled,
    Note,
    /// Flagged or unflagged as a typical case; the note says which.
    TypicalCase,
    OutcomeCorrected,
    /// The assignee read the conflict-of-interest warning.
    ConflictAcknowledged,
    /// An action a newer server wrote, as it named it.
    #[serde(untagged)]
    Other(String),
}

impl HistoryAction {
    /// Every action this version names.
    pub const KNOWN: [HistoryAction; 13] = [
        Self::Created,
        Self::Claimed,
        Self::Assigned,
        Self::Released,
        Self::Status,
        Self::Outcome,
        Self::Time,
        Self::Scheduled,
        Self::Rescheduled,
        Self::Note,
        Self::TypicalCase,
        Self::OutcomeCorrected,
        Self::ConflictAcknowledged,
    ];

    /// The wire (and stored) name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Claimed => "claimed",
            Self::Assigned => "assigned",
            Self::Released => "released",
            Self::Status => "status",
            Self::Outcome => "outcome",
            Self::Time => "time",
            Self::Scheduled => "scheduled",
            Self::Rescheduled => "rescheduled",
            Self::Note => "note",
            Self::TypicalCase => "typical_case",
            Self::OutcomeCorrected => "outcome_corrected",
            Self::ConflictAcknowledged => "conflict_acknowledged",
            Self::Other(name) => name,
        }
    }

    /// The action a stored or sent name stands for; `Other` when this
    /// version does not know it.
    pub fn named(name: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|a| a.as_str() == name)
            .unwrap_or_else(|| Self::Other(name.to_string()))
    }
}

impl std::fmt::Display for HistoryAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_travel_as_their_snake_case_names() {
        for a in HistoryAction::KNOWN {
            let v = serde_json::to_value(&a).unwrap();
            assert_eq!(v, serde_json::Value::String(a.as_str().to_string()));
            assert_eq!(serde_json::from_value::<HistoryAction>(v).unwrap(), a);
            assert_eq!(HistoryAction::named(a.as_str()), a);
        }
    }

    #[test]
    fn an_action_from_a_newer_server_keeps_its_name() {
        let a: HistoryAction = serde_json::from_str(r#""merged_into""#).unwrap();
        assert_eq!(a, HistoryAction::Other("merged_into".into()));
        assert_eq!(serde_json::to_string(&a).unwrap(), r#""merged_into""#);
        assert_eq!(HistoryAction::named("merged_into"), a);
    }

    #[test]
    fn a_history_with_an_unknown_action_still_parses_whole() {
        let history: Vec<crate::api::HistoryEntry> = serde_json::from_str(
            r#"[{"at":1,"action":"created","note":""},{"at":2,"action":"merged_into","note":"no. 7"},{"at":3,"action":"note","note":"hi"}]"#,
        )
        .unwrap();
        let actions: Vec<_> = history.iter().map(|h| h.action.clone()).collect();
        assert_eq!(
            actions,
            [
                HistoryAction::Created,
                HistoryAction::Other("merged_into".into()),
                HistoryAction::Note
            ]
        );
    }
}
