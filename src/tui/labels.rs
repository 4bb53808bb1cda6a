//! The words for domain values on screen, from the catalogs.

use crate::api::HistoryAction;
use crate::domain::{Category, Channel, FrontlineGroup, ItemKind, ItemStatus, OutcomeCode, TimeActivity};

fn label(prefix: &str, name: &str) -> String {
    let key = format!("tui.{prefix}.{name}");
    rust_i18n::t!(&key).into_owned()
}

/// The same label in a named language, for matching typed text in both.
fn label_in(prefix: &str, name: &str, lang: &str) -> String {
    crate::i18n::text(&format!("tui.{prefix}.{name}"), lang)
}

pub fn kind(k: ItemKind) -> String {
    label("kind", k.as_str())
}
pub fn channel(c: Channel) -> String {
    label("channel", c.as_str())
}
pub fn category(c: Category) -> String {
    label("category", c.as_str())
}
pub fn group(g: FrontlineGroup) -> String {
    label("group", g.as_str())
}
/// A frontline group's full name, for the markers' legend.
pub fn group_name(g: FrontlineGroup) -> String {
    let key = format!("roles.group.{}", g.as_str());
    rust_i18n::t!(&key).into_owned()
}
pub fn status(s: ItemStatus) -> String {
    label("status", s.as_str())
}
pub fn outcome(o: OutcomeCode) -> String {
    label("outcome", o.as_str())
}
pub fn activity(a: TimeActivity) -> String {
    label("activity", a.as_str())
}

/// What happened, in an item's history. An action this version has no
/// words for (a newer server's) is shown as the server named it, cleaned.
pub fn history_action(action: &HistoryAction) -> String {
    match action {
        HistoryAction::Created
        | HistoryAction::Claimed
        | HistoryAction::Assigned
        | HistoryAction::Status
        | HistoryAction::Outcome
        | HistoryAction::Time
        | HistoryAction::Rescheduled
        | HistoryAction::Note
        | HistoryAction::TypicalCase
        | HistoryAction::OutcomeCorrected => label("history", action.as_str()),
        // No catalog words yet: shown by name, as before the enum.
        HistoryAction::Released | HistoryAction::Scheduled | HistoryAction::ConflictAcknowledged => {
            action.as_str().to_string()
        }
        HistoryAction::Other(name) => crate::text::clean(name),
    }
}

/// The detail of a history entry: the server keeps plain data for some
/// actions (an outcome code, minutes, flagged or not), shown here in the
/// user's language; any other note as it was written.
pub fn history_note(action: &HistoryAction, note: &str) -> String {
    let known = match action {
        HistoryAction::Outcome => OutcomeCode::ALL
            .into_iter()
            .find(|c| c.as_str() == note)
            .map(outcome),
        HistoryAction::Time => note
            .parse::<i64>()
            .ok()
            .map(|m| rust_i18n::t!("tui.detail.minutes", minutes = m).into_owned()),
        HistoryAction::TypicalCase if note == "flagged" || note == "unflagged" => {
            Some(label("history", note))
        }
        _ => None,
    };
    known.unwrap_or_else(|| note.to_string())
}

/// A category's names in both languages, lower-cased, for the filter.
pub fn category_both(c: Category) -> String {
    format!(
        "{} {}",
        label_in("category", c.as_str(), "en").to_lowercase(),
        label_in("category", c.as_str(), "zh-CN")
    )
}

/// Both languages' names of a catalog key, for the command palette.
pub fn both(key: &str) -> (String, String) {
    (crate::i18n::text(key, "en"), crate::i18n::text(key, "zh-CN"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_history_action_shows_by_its_name_cleaned() {
        let action = HistoryAction::Other("merged\u{1b}[2J_into\u{202e}".into());
        assert_eq!(history_action(&action), "merged_into");
        assert_eq!(history_note(&action, "#7"), "#7");
    }
}
