//! The checks of new work at the intake desk, used by the server's intake
//! endpoint, the CSV import and the CLI before it sends.

use super::{FrontlineGroup, ItemKind};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PARTIES: usize = 20;

/// What is wrong with a new item, in which field, and a stable code the
/// client words in its user's language (`intake.refusal.<code>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRefusal {
    pub code: &'static str,
    pub field: String,
    pub message: String,
}

fn refuse(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> IntakeRefusal {
    IntakeRefusal {
        code,
        field: field.into(),
        message: message.into(),
    }
}

/// A party's fields as typed.
pub struct PartyInput<'a> {
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub id_number: Option<&'a str>,
}

/// A phone: 5 to 20 digits, with an optional leading `+`, spaces and dashes.
pub fn check_phone(phone: &str) -> bool {
    let digits: Vec<char> = phone
        .trim()
        .trim_start_matches('+')
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    (5..=20).contains(&digits.len()) && digits.iter().all(char::is_ascii_digit)
}

/// A resident ID (15 or 18 characters, the last may be X) or a unified
/// social credit code (18 letters and digits).
pub fn check_id_number(id: &str) -> bool {
    let id = id.trim();
    (id.len() == 15 || id.len() == 18) && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Checks a new item; the first problem found.
pub fn check_new_item(
    kind: ItemKind,
    title: &str,
    green_channel: bool,
    frontline_group: Option<FrontlineGroup>,
    parties: &[PartyInput<'_>],
) -> Result<(), IntakeRefusal> {
    let title = title.trim();
    if title.is_empty() {
        return Err(refuse(
            "title_empty",
            "title",
            "the title is empty; say what the matter is about",
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(refuse(
            "title_too_long",
            "title",
            format!(
                "the title is longer than {MAX_TITLE_CHARS} characters; shorten it and put the rest in the description"
            ),
        ));
    }
    if frontline_group.is_some() && !green_channel {
        return Err(refuse(
            "group_without_green",
            "frontline_group",
            "a frontline worker group goes with the green channel; set green_channel or drop the group",
        ));
    }
    if parties.is_empty() {
        return Err(refuse("no_parties", "parties", "name at least the applicant"));
    }
    if kind == ItemKind::Mediation && parties.len() < 2 {
        return Err(refuse(
            "mediation_needs_both",
            "parties",
            "a mediation needs both sides: the applicant and the respondent",
        ));
    }
    if parties.len() > MAX_PARTIES {
        return Err(refuse(
            "too_many_parties",
            "parties",
            format!("at most {MAX_PARTIES} parties"),
        ));
    }
    for (n, p) in parties.iter().enumerate() {
        if p.name.trim().is_empty() {
            return Err(refuse(
                "party_name",
                format!("parties[{n}].name"),
                "a party needs a name",
            ));
        }
        if p.phone.is_some_and(|x| !check_phone(x)) {
            return Err(refuse(
                "phone",
                format!("parties[{n}].phone"),
                "the phone number is not 5 to 20 digits",
            ));
        }
        if p.id_number.is_some_and(|x| !check_id_number(x)) {
            return Err(refuse(
                "id_number",
                format!("parties[{n}].id_number"),
                "the ID number is not 15 or 18 letters and digits",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party<'a>(name: &'a str, phone: Option<&'a str>) -> PartyInput<'a> {
        PartyInput {
            name,
            phone,
            id_number: None,
        }
    }

    #[test]
    fn new_items_are_checked_field_by_field() {
        let ok = [party("张三", Some("138-1234-2256"))];
        assert_eq!(
            check_new_item(ItemKind::Consultation, "工资", false, None, &ok),
            Ok(())
        );
        let e = check_new_item(ItemKind::Consultation, " ", false, None, &ok).unwrap_err();
        assert_eq!(e.field, "title");
        let e = check_new_item(ItemKind::Mediation, "调解", false, None, &ok).unwrap_err();
        assert_eq!(e.field, "parties");
        let e =
            check_new_item(ItemKind::ProBono, "x", false, Some(FrontlineGroup::Courier), &ok).unwrap_err();
        assert_eq!(e.field, "frontline_group");
        let bad = [party("张三", Some("12ab"))];
        let e = check_new_item(ItemKind::Consultation, "x", false, None, &bad).unwrap_err();
        assert_eq!(e.field, "parties[0].phone");
        assert!(check_id_number("32010219900101123X") && !check_id_number("3201"));
    }
}
