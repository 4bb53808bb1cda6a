//! The domain's record checks (`domain::records`) before a write is saved
//! to the outbox, for the CLI and the TUI alike: what can be known here —
//! the user's role, the note, the minutes, and for an activity the rows
//! that running campaigns count from activities — is refused before
//! anything is saved, in the user's language. The server checks again
//! (and alone knows closed periods of outcomes and the day's other time).

use rust_i18n::t;

use super::sync::{Engine, ME_KEY};
use crate::api::{CampaignList, User};
use crate::domain::EpochMs;
use crate::domain::records::{
    ActivityInput, ActivityTarget, MAX_INDICATOR_CHARS, Refusal, check_activity, check_note,
    check_occurred_at, may_count,
};

/// The cache key `Engine::campaigns` keeps the list under.
const CAMPAIGNS_KEY: &str = "campaigns";

/// The signed-in user, as cached at sign-in; `None` when unknown here.
pub async fn cached_user(engine: &Engine) -> Option<User> {
    engine.cached_doc::<User>(ME_KEY).await.ok().flatten()
}

/// Refuses, before saving, a record from a role that counts nothing.
pub async fn check_role(engine: &Engine) -> Result<(), Refusal> {
    match cached_user(engine).await {
        Some(me) => may_count(me.role),
        None => Ok(()),
    }
}

/// The rows running campaigns take activities on at `at`: from the cached
/// list, or fetched when there is none (or `fresh`). `None` when neither
/// says (offline with no copy, or an older server).
pub async fn activity_targets(engine: &Engine, at: EpochMs, fresh: bool) -> Option<Vec<ActivityTarget>> {
    if !fresh
        && let Ok(Some(list)) = engine.cached_doc::<CampaignList>(CAMPAIGNS_KEY).await
        && let Some(targets) = list.activity_targets(at)
    {
        return Some(targets);
    }
    let list = engine.campaigns().await.ok()?.value;
    list.activity_targets(at)
}

/// Checks an activity before it is saved. A refusal by the cached list is
/// confirmed against a fresh one first, so a campaign imported since the
/// copy was taken is never refused here. What only the server knows, it checks.
pub async fn check_new_activity(engine: &Engine, a: &ActivityInput<'_>, now: EpochMs) -> Result<(), Refusal> {
    check_role(engine).await?;
    let mut last = None;
    for fresh in [false, true] {
        let Some(targets) = activity_targets(engine, a.occurred_at, fresh).await else {
            break;
        };
        match check_activity(a, &targets, now) {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    if let Some(e) = last {
        return Err(e);
    }
    // Nothing to check the row against: what does not need the list.
    check_note(a.note)?;
    let chars = a.indicator.trim().chars().count();
    if chars > MAX_INDICATOR_CHARS {
        return Err(Refusal::IndicatorTooLong { chars });
    }
    check_occurred_at(a.occurred_at, now)?;
    if a.count < 1 || a.count2.is_some_and(|c| c < 1) {
        let (field, value) = if a.count < 1 {
            ("count", a.count)
        } else {
            ("count2", a.count2.unwrap_or(0))
        };
        return Err(Refusal::CountOutOfRange {
            field,
            value,
            max: crate::domain::records::DEFAULT_MAX_COUNT,
        });
    }
    Ok(())
}

/// An indicator's name in the user's language.
pub fn target_name(t: &ActivityTarget) -> &str {
    if rust_i18n::locale().starts_with("zh") {
        &t.name_zh
    } else {
        &t.name_en
    }
}

/// A refusal in the user's language: the catalog's `problem.<code>` (what is
/// wrong and the fix), then what this case needs (the numbers, the rows).
pub fn refusal_text(r: &Refusal) -> String {
    let mut text = crate::i18n::text(&format!("problem.{}", r.code()), &rust_i18n::locale());
    let detail = match r {
        Refusal::UnknownIndicator { indicator, valid } => {
            let mut lines = vec![t!("counting.not_counted", indicator = indicator.as_str()).into_owned()];
            if valid.is_empty() {
                lines.push(t!("counting.no_rows").into_owned());
            } else {
                lines.push(t!("counting.valid_rows").into_owned());
                lines.extend(valid.iter().map(|v| {
                    let two = if v.two_valued {
                        t!("counting.two_values").into_owned()
                    } else {
                        String::new()
                    };
                    format!("  {}  {}{two}", v.code, target_name(v))
                }));
            }
            Some(lines.join("\n"))
        }
        Refusal::CountOutOfRange { field, value, max } => {
            Some(t!("counting.limit", field = field, value = value, max = max).into_owned())
        }
        Refusal::MinutesOutOfRange { value, max } => {
            Some(t!("counting.limit", field = "minutes", value = value, max = max).into_owned())
        }
        Refusal::NoteTooLong { chars } => Some(
            t!(
                "counting.limit",
                field = "note",
                value = chars,
                max = crate::domain::records::MAX_NOTE_CHARS
            )
            .into_owned(),
        ),
        Refusal::IndicatorTooLong { chars } => Some(
            t!(
                "counting.limit",
                field = "indicator",
                value = chars,
                max = MAX_INDICATOR_CHARS
            )
            .into_owned(),
        ),
        Refusal::SecondValueRequired { indicator } | Refusal::SecondValueNotTaken { indicator } => {
            Some(format!("{indicator}{}", t!("counting.two_values")))
        }
        Refusal::PeriodClosed { campaign, period, .. } => Some(format!("({campaign} {period})")),
        _ => None,
    };
    if let Some(d) = detail {
        text.push('\n');
        text.push_str(&d);
    }
    text
}
