//! What the reports add for the bureau's roll-up: a form per child unit out
//! of a `by=unit` answer, sheet names for them, and the submission's lines
//! (填报人, 联系电话, 填报日期, status) of a handed-in form.

use crate::api::rollup::{PersonRows, UnitRows};
use crate::api::{StatsForm, UnitRef};
use crate::i18n::Language;

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;

/// One unit's part of a roll-up as a form of its own.
pub(crate) fn part_form(whole: &StatsForm, part: &UnitRows) -> StatsForm {
    StatsForm {
        unit: Some(part.unit.clone()),
        rows: part.rows.clone(),
        hours: part.hours,
        units: Vec::new(),
        submission: None,
        people: Vec::new(),
        ..whole.clone()
    }
}

/// One person's part of their unit's form as a form of its own (the unit
/// stays the form's unit).
pub(crate) fn person_form(whole: &StatsForm, person: &PersonRows) -> StatsForm {
    StatsForm {
        rows: person.rows.clone(),
        hours: person.hours,
        units: Vec::new(),
        submission: None,
        people: Vec::new(),
        ..whole.clone()
    }
}

/// A sheet name for a unit, unique among `used` (which it joins): its name
/// without the characters Excel refuses, cut to 31 characters.
pub(crate) fn sheet_name(unit: &UnitRef, used: &mut Vec<String>) -> String {
    let clean: String = crate::text::clean(&unit.name)
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .collect();
    let mut name: String = clean.trim().chars().take(SHEET_NAME_MAX).collect();
    let taken = |n: &str, used: &[String]| n.is_empty() || used.iter().any(|u| u.eq_ignore_ascii_case(n));
    if taken(&name, used) {
        let suffix = format!(" ({})", unit.id);
        let keep = SHEET_NAME_MAX.saturating_sub(suffix.chars().count());
        name = clean.trim().chars().take(keep).collect::<String>() + &suffix;
    }
    used.push(name.clone());
    name
}

/// The submission's lines of a handed-in form.
pub(crate) struct HandedIn {
    pub filled_by: String,
    pub phone: String,
    /// 填报日期, `YYYY-MM-DD` in Beijing.
    pub date: String,
    pub status_line: String,
}

pub(crate) fn handed_in(form: &StatsForm, lang: Language) -> Option<HandedIn> {
    let s = form.submission.as_ref()?;
    let tz = crate::domain::clock::shanghai();
    let date = jiff::Timestamp::from_millisecond(s.submitted_at)
        .map(|t| tz.to_datetime(t).date().to_string())
        .unwrap_or_default();
    let l = lang.code();
    let status = crate::i18n::text(&format!("rollup.status.{}", s.status.as_str()), l);
    Some(HandedIn {
        filled_by: s.filled_by.clone(),
        phone: s.phone.clone(),
        date,
        status_line: rust_i18n::t!("rollup.status_line", locale = l, status = status).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_clean_short_and_unique() {
        let mut used = vec!["汇总".to_string()];
        let u = |id, name: &str| UnitRef {
            id,
            name: name.into(),
        };
        assert_eq!(sheet_name(&u(1, "明德律师事务所"), &mut used), "明德律师事务所");
        assert_eq!(
            sheet_name(&u(2, "明德律师事务所"), &mut used),
            "明德律师事务所 (2)"
        );
        assert_eq!(sheet_name(&u(3, "a/b[c]"), &mut used), "abc");
        assert_eq!(sheet_name(&u(4, &"x".repeat(40)), &mut used).chars().count(), 31);
        assert_eq!(sheet_name(&u(5, "汇总"), &mut used), "汇总 (5)");
    }
}
