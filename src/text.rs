//! Text from the server is untrusted: a title or a note could carry escape
//! sequences that move the cursor, rewrite the clipboard (OSC 52) or reorder
//! what the user reads (bidi overrides). Everything drawn passes through
//! [`clean`] first; [`fit`] then pads or truncates to a display width.
//! Shared by the TUI and the client CLI (which must not depend on the TUI).

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Removes control characters, terminal escape sequences (ESC and C1
/// introduced: CSI, OSC, DCS, APC, PM, SOS), bidi embeddings, overrides and
/// isolates, and invisible zero-width spaces. Line breaks and tabs become a
/// space: every caller draws one line at a time. CJK and emoji are kept.
pub fn clean(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | '_' | '^' | 'X') => skip_string(&mut chars),
                // A two-character escape (ESC 7, ESC c, ...): drop both.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{9d}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{202a}'..='\u{202e}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{200e}' | '\u{200f}' | '\u{061c}' // direction marks
            | '\u{200b}' | '\u{2060}' | '\u{feff}' // invisible spaces
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
        )
        || width_disagrees(c)
}

/// Default-ignorable code points (Unicode's DerivedCoreProperties): drawn
/// as nothing, and used to hide or reorder text.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff0}'..='\u{fff8}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}'
    )
}

/// The default-ignorable code points on which unicode-width (zero columns)
/// and the terminals' wcwidth (glibc, and the `wcwidth` reference: one,
/// two, or "unprintable") disagree; drawn, each shifts every column after
/// it (U+00AD SOFT HYPHEN left a popup's corner on screen). Found by
/// comparing the two over every default-ignorable code point.
fn width_disagrees(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{2065}' | '\u{3164}' | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}' | '\u{e0000}'
        | '\u{e0002}'..='\u{e001f}' | '\u{e0080}'..='\u{e00ff}' | '\u{e01f0}'..='\u{e0fff}'
    )
}

/// JSON text (as serde_json writes it) with every control character other
/// than a line break, every default-ignorable code point (bidi controls,
/// zero-width characters, the soft hyphen) and the line and paragraph
/// separators written as `\uXXXX` escapes: the data is kept whole for the
/// program that reads it, and none of it acts on a terminal that shows it.
/// Such characters only occur inside JSON strings, where an escape means
/// the same; serde_json has already escaped C0 controls there.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let hide =
            (c.is_control() && c != '\n') || is_default_ignorable(c) || matches!(c, '\u{2028}' | '\u{2029}');
        if hide {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// CSI: parameters and intermediates up to a final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            return;
        }
    }
}

/// OSC, DCS and friends: up to BEL, ESC \ or the C1 string terminator.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// The number of terminal columns `text` takes.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Exactly `cols` columns: truncated with `…` (never through a wide
/// character or a grapheme cluster) or padded with spaces.
pub fn fit(text: &str, cols: usize) -> String {
    fit_with(text, cols, "…")
}

/// [`fit`] with another mark for a cut (the CLI's `...`).
pub fn fit_with(text: &str, cols: usize, ellipsis: &str) -> String {
    let mut out = truncate_with(text, cols, ellipsis);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(used)));
    out
}

/// At most `cols` columns, ending in `…` when something was cut.
pub fn truncate(text: &str, cols: usize) -> String {
    truncate_with(text, cols, "…")
}

/// At most `cols` columns, ending in `ellipsis` when something was cut;
/// never through a wide character or a grapheme cluster. The CLI passes
/// `...`: `…` is ambiguous-width (two columns on some CJK terminals).
pub fn truncate_with(text: &str, cols: usize, ellipsis: &str) -> String {
    if width(text) <= cols {
        return text.to_string();
    }
    // Too narrow for the ellipsis: as much text as fits, unmarked.
    let mark = if width(ellipsis) < cols { ellipsis } else { "" };
    let budget = cols - width(mark);
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let w = width(g);
        if used + w > budget {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push_str(mark);
    out
}

/// Sanitized and fitted in one step, for server text in a column.
pub fn cell(text: &str, cols: usize) -> String {
    fit(&clean(text), cols)
}
