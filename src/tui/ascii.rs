//! `borders = "ascii"` is for terminals that draw characters of ambiguous
//! width (box drawing, `…`, `“ ”`, `·`, `◀ ▶`, `①`) two columns wide: each
//! one would push the rest of its line a column out of place, and the
//! screen's diffed updates with it. In that mode every such character in a
//! finished frame, ours or the server's, is drawn as an ASCII look-alike, or
//! `?` where there is none.

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Replaces, cell by cell, what a CJK terminal would draw wider than
/// ratatui laid it out.
pub fn narrow_ambiguous(buf: &mut Buffer) {
    for cell in &mut buf.content {
        let symbol = cell.symbol();
        if symbol.is_ascii() || symbol.width_cjk() <= symbol.width() {
            continue;
        }
        let ascii = look_alike(symbol.chars().next().unwrap_or('?'));
        cell.set_symbol(ascii);
    }
}

fn look_alike(c: char) -> &'static str {
    match c {
        '…' | '⋯' => "~",
        '◀' | '◁' | '←' | '«' | '‹' => "<",
        '▶' | '▷' | '→' | '»' | '›' => ">",
        '↑' | '▲' | '△' => "^",
        '↓' | '▼' | '▽' => "v",
        '·' | '•' | '・' => ".",
        '●' | '★' | '☆' | '※' => "*",
        '○' | '◎' | '°' => "o",
        '■' | '□' | '◆' | '◇' | '█' | '▓' | '▒' | '░' => "#",
        '│' | '┃' | '║' | '¦' => "|",
        '─' | '━' | '═' | '—' | '–' | '‐' | '―' | '−' => "-",
        '“' | '”' | '″' => "\"",
        '‘' | '’' | '′' => "'",
        '×' => "x",
        '÷' => "/",
        '±' => "+",
        '§' => "S",
        '①' => "1",
        '②' => "2",
        '③' => "3",
        '④' => "4",
        '⑤' => "5",
        '⑥' => "6",
        '⑦' => "7",
        '⑧' => "8",
        '⑨' => "9",
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' => "+",
        _ => "?",
    }
}
