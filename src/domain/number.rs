//! Numbers as people type them: Chinese input methods give full-width
//! digits (`３０`) and the ideographic full stop (`。`) or the full-width
//! one (`．`) for a decimal point. Every number field of the CLI and the
//! TUI reads its text through here, so `３０` is 30 everywhere.

use std::borrow::Cow;

/// The text with full-width digits, signs and spaces and the Chinese
/// decimal points made ASCII; everything else as it was.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                // U+FF10..=U+FF19 are '０'..='９' in order.
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '。' | '．' | '｡' => '.',
                '－' | '−' => '-',
                '＋' => '+',
                '，' => ',',
                '\u{3000}' => ' ',
                other => other,
            })
            .collect(),
    )
}

/// A whole number, as typed (`30`, `３０`, ` 30 `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a whole number; write e.g. 30")]
pub struct NotAWholeNumber(pub String);

pub fn parse_whole(text: &str) -> Result<i64, NotAWholeNumber> {
    let normalized = normalize(text);
    let trimmed = normalized.trim();
    let digits = trimmed.strip_prefix('+').unwrap_or(trimmed);
    digits
        .parse::<i64>()
        .map_err(|_| NotAWholeNumber(text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_chinese_points() {
        assert_eq!(parse_whole("３０"), Ok(30));
        assert_eq!(parse_whole(" 30 "), Ok(30));
        assert_eq!(parse_whole("\u{3000}４５\u{3000}"), Ok(45));
        assert_eq!(parse_whole("－５"), Ok(-5));
        assert_eq!(normalize("１２。５"), "12.5");
        assert_eq!(normalize("１２．５"), "12.5");
        assert!(parse_whole("三十").is_err());
        assert!(parse_whole("3０x").is_err());
        assert!(parse_whole("").is_err());
    }
}
