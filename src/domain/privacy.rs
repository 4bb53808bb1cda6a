//! Personal information (个人信息保护法): a party's phone and ID number are
//! shown masked unless someone explicitly reveals them.

/// `13812342256` → `138****2256`; anything short keeps only its last two.
pub fn mask_phone(phone: &str) -> String {
    mask(phone, 3, 4)
}

/// `320102199001011234` → `3201**********1234`.
pub fn mask_id_number(id: &str) -> String {
    mask(id, 4, 4)
}

fn mask(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    let (head, tail) = if n > head + tail {
        (head, tail)
    } else {
        (0, n.min(2).saturating_sub(1))
    };
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

/// Whether a value is masked already (so masking twice changes nothing).
pub fn is_masked(value: &str) -> bool {
    value.contains('*')
}

/// The keys two parties match on (they match when they share one): the ID
/// number, and the name and phone together (spaces and dashes ignored).
pub fn match_keys(name: &str, phone: Option<&str>, id_number: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(k) = id_key(id_number) {
        keys.push(k);
    }
    if let Some(k) = name_phone_key(name, phone) {
        keys.push(k);
    }
    keys
}

fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn id_key(id_number: Option<&str>) -> Option<String> {
    id_number
        .map(clean)
        .filter(|s| !s.is_empty() && !is_masked(s))
        .map(|id| format!("id:{id}"))
}

fn name_phone_key(name: &str, phone: Option<&str>) -> Option<String> {
    let phone = phone.map(clean).filter(|s| !s.is_empty() && !is_masked(s))?;
    let name = clean(name);
    (!name.is_empty()).then(|| format!("np:{name}|{phone}"))
}

/// The first of [`match_keys`] (the ID number when there is one).
pub fn match_key(name: &str, phone: Option<&str>, id_number: Option<&str>) -> Option<String> {
    match_keys(name, phone, id_number).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_bureau_prints_them() {
        assert_eq!(mask_phone("13812342256"), "138****2256");
        assert_eq!(mask_id_number("320102199001011234"), "3201**********1234");
        assert_eq!(
            mask_phone("12348"),
            "*****".chars().take(4).collect::<String>() + "8"
        );
        assert_eq!(mask_phone(""), "");
        assert_eq!(mask_phone("7"), "*");
    }

    #[test]
    fn parties_match_on_id_or_name_and_phone() {
        let a = match_key("张三", Some("138-1234-2256"), None);
        assert_eq!(a, match_key(" 张三", Some("13812342256"), None));
        assert_ne!(a, match_key("张四", Some("13812342256"), None));
        assert_eq!(
            match_key("张三", None, Some("32010219900101123x")),
            match_key("张叁", Some("1"), Some("32010219900101123X"))
        );
        assert_eq!(match_key("张三", None, None), None);
        assert_eq!(
            match_key("张三", Some("138****2256"), None),
            None,
            "masked values never match"
        );
    }
}
