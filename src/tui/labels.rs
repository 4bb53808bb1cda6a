//! The words for domain values on screen, from the catalogs.

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

/// What happened, in an item's history. An action this version does not
/// know (a newer server's) is shown as the server named it.
pub fn history_action(action: &str) -> String {
    const KNOWN: [&str; 10] = [
        "created",
        "claimed",
        "assigned",
        "status",
        "outcome",
        "time",
        "rescheduled",
        "note",
        "typical_case",
        "outcome_corrected",
    ];
    if KNOWN.contains(&action) {
        label("history", action)
    } else {
        action.to_string()
    }
}

/// The detail of a history entry: the server keeps plain data for some
/// actions (an outcome code, minutes, flagged or not), shown here in the
/// user's language; any other note as it was written.
pub fn history_note(action: &str, note: &str) -> String {
    let known = match action {
        "outcome" => OutcomeCode::ALL
            .into_iter()
            .find(|c| c.as_str() == note)
            .map(outcome),
        "time" => note
            .parse::<i64>()
            .ok()
            .map(|m| rust_i18n::t!("tui.detail.minutes", minutes = m).into_owned()),
        "typical_case" if note == "flagged" || note == "unflagged" => Some(label("history", note)),
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
