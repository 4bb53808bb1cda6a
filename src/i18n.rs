//! Text catalogs. Every user-facing string goes through `t!` with a key
//! from `locales/*.toml`; `dutydesk::i18n::set_language` picks the language.

/// The languages dutydesk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// `zh-CN`, `zh_CN.UTF-8`, `zh` → Chinese; `en*`, `C`, `POSIX` → English.
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Self::ZhCn)
        } else if lower.starts_with("en") || lower == "c" || lower == "posix" || lower.starts_with("c.") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`, the first set; Chinese when
    /// none says otherwise, since that is the users' working language.
    pub fn from_env() -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Self::parse(&v))
            .unwrap_or_default()
    }
}

pub fn set_language(lang: Language) {
    rust_i18n::set_locale(lang.code());
}

/// One key in one language, without touching the global choice.
pub fn text(key: &str, lang: &str) -> String {
    rust_i18n::t!(key, locale = lang).into_owned()
}

/// A refusal of new work (`domain::intake`) in the user's language.
pub fn intake_refusal(r: &crate::domain::intake::IntakeRefusal) -> String {
    rust_i18n::t!(
        &format!("intake.refusal.{}", r.code),
        max = crate::domain::intake::MAX_TITLE_CHARS
    )
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locale_variables() {
        assert_eq!(Language::parse("zh_CN.UTF-8"), Some(Language::ZhCn));
        assert_eq!(Language::parse("en_US.UTF-8"), Some(Language::En));
        assert_eq!(Language::parse("C.UTF-8"), Some(Language::En));
        assert_eq!(Language::parse("fr_FR"), None);
    }
}
