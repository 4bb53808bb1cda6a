//! Width-aware text for terminals: CJK characters take two columns, so
//! alignment is by display width (unicode-width), never by bytes or chars.
//! The TUI reuses these helpers.

/// `width`: columns on a terminal. `sanitize`: escape sequences (CSI,
/// OSC 52, ...), control characters and bidi overrides removed, so text
/// from the server cannot move the cursor, write the clipboard or reorder
/// what the lawyer reads.
pub use crate::text::{clean as sanitize, width};

/// Cuts `s` to at most `max` columns, ending with `...` when it was cut
/// (ASCII: `…` is ambiguous-width, two columns on some CJK terminals). A
/// wide character or grapheme cluster is dropped whole, never split.
pub fn truncate(s: &str, max: usize) -> String {
    crate::text::truncate_with(s, max, "...")
}

/// `s` truncated to `cols` and padded with spaces on the right to exactly
/// `cols` columns.
pub fn pad(s: &str, cols: usize) -> String {
    crate::text::fit_with(s, cols, "...")
}

/// Lays out rows as columns separated by two spaces, each column as wide as
/// its widest cell (in display columns). The last column is not padded.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&pad(cell, widths[i]));
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two_columns() {
        assert_eq!(width("劳动合同"), 8);
        assert_eq!(pad("劳动", 6), "劳动  ");
    }

    #[test]
    fn truncation_never_splits_a_wide_char() {
        // 5 columns: one wide char (2) + ellipsis (3).
        assert_eq!(truncate("劳动合同纠纷", 5), "劳...");
        // 7 columns fit two; at 6 a second one would need 7 with the ellipsis.
        assert_eq!(truncate("劳动合同纠纷", 7), "劳动...");
        assert_eq!(truncate("劳动合同纠纷", 6), "劳...");
        assert_eq!(width(&pad("劳动合同纠纷", 6)), 6);
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(sanitize("a\u{1b}[31mb\n"), "ab ");
    }
}
