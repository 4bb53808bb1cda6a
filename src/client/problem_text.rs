//! A server's problem document in the user's language. Each stable `code`
//! has a catalog key `problem.<code>` (any catalog file may add one for a
//! new code); its `%{name}` placeholders are filled from the problem's own
//! members (`status`, extension members such as `claimed_by`) and from
//! `fields`, the names of the fields that failed validation. The server's
//! English `detail` is shown only when there is no wording for the code or
//! a placeholder has nothing to fill it.

use rust_i18n::t;
use serde_json::Value;

use super::text::sanitize;
use crate::api::{Problem, ProblemCode};

/// The problem in the current language.
pub fn describe(problem: &Problem) -> String {
    worded(problem, &rust_i18n::locale()).unwrap_or_else(|| {
        t!(
            "cli.http.refused",
            status = problem.status,
            code = problem.code.as_str(),
            detail = sanitize(if problem.detail.is_empty() {
                &problem.title
            } else {
                &problem.detail
            })
        )
        .into_owned()
    })
}

/// The problem in the current language, or the server's own words (as
/// sent: callers sanitize on output) when this code has no wording.
pub fn words(problem: &Problem) -> String {
    worded(problem, &rust_i18n::locale()).unwrap_or_else(|| {
        if problem.detail.is_empty() {
            problem.title.clone()
        } else {
            problem.detail.clone()
        }
    })
}

/// The catalog's wording of the problem's code in `locale`, filled in;
/// `None` when there is none or it names a member the problem lacks.
pub fn worded(problem: &Problem, locale: &str) -> Option<String> {
    if problem.code == ProblemCode::Unknown {
        return None;
    }
    let key = format!("problem.{}", problem.code.as_str());
    let template = crate::_rust_i18n_try_translate(locale, &key)?;
    let mut members = match serde_json::to_value(problem) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    if !problem.errors.is_empty() {
        let names: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
        members.insert("fields".into(), Value::String(names.join(", ")));
    }
    fill(&template, &members)
}

/// Replaces each `%{name}` with the member's value (server text, so
/// sanitized); `None` when a name has no member.
fn fill(template: &str, members: &serde_json::Map<String, Value>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("%{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        let value = match members.get(&after[..end])? {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            other => other.to_string(),
        };
        out.push_str(&sanitize(&value));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_are_worded_in_the_language_asked_for() {
        let p = Problem::new(ProblemCode::AlreadyClaimed, "lawyer2 claimed this item first")
            .with_holder("王律师");
        let zh = worded(&p, "zh-CN").unwrap();
        assert!(zh.contains("王律师") && !zh.contains("claimed this"), "{zh}");
        let en = worded(&p, "en").unwrap();
        assert!(en.contains("王律师 claimed"), "{en}");
    }

    #[test]
    fn a_missing_member_or_an_unknown_code_falls_back_to_the_detail() {
        let p = Problem::new(ProblemCode::AlreadyClaimed, "someone claimed it first");
        assert_eq!(worded(&p, "zh-CN"), None);
        let p: Problem =
            serde_json::from_str(r#"{"title":"x","status":418,"code":"teapot","detail":"short and stout"}"#)
                .unwrap();
        assert_eq!(worded(&p, "en"), None);
        assert!(describe(&p).contains("short and stout"));
    }

    #[test]
    fn every_code_but_unknown_has_a_wording_in_both_languages() {
        let codes = [
            ProblemCode::InvalidBody,
            ProblemCode::ValidationFailed,
            ProblemCode::InvalidParameter,
            ProblemCode::Unauthorized,
            ProblemCode::Forbidden,
            ProblemCode::NotFound,
            ProblemCode::VersionConflict,
            ProblemCode::AlreadyClaimed,
            ProblemCode::InvalidTransition,
            ProblemCode::IdempotencyKeyRequired,
            ProblemCode::IdempotencyKeyReused,
            ProblemCode::PayloadTooLarge,
            ProblemCode::UnsupportedMediaType,
            ProblemCode::MethodNotAllowed,
            ProblemCode::RateLimited,
            ProblemCode::Internal,
            ProblemCode::Unavailable,
        ];
        for code in codes {
            for locale in ["en", "zh-CN"] {
                let key = format!("problem.{}", code.as_str());
                assert!(
                    crate::_rust_i18n_try_translate(locale, &key).is_some(),
                    "{key} in {locale}"
                );
            }
        }
    }

    #[test]
    fn server_text_in_members_is_sanitized() {
        let p = Problem::new(ProblemCode::AlreadyClaimed, "x").with_holder("evil\u{1b}[2J\u{202e}");
        let en = worded(&p, "en").unwrap();
        assert!(!en.contains('\u{1b}') && !en.contains('\u{202e}'), "{en:?}");
    }
}
