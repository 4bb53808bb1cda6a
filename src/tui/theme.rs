//! Themes are data: `themes/<name>.toml` holds one style per meaning, a
//! `[theme]` table in config.toml overrides single entries. Widgets ask for
//! a meaning (`theme.overdue()`), never for a colour. Every built-in theme
//! uses only the 16 ANSI colours so it reads on any terminal.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

const BUILT_IN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// The meanings a theme must style; a theme file names each one.
pub const MEANINGS: [&str; 17] = [
    "base",
    "border",
    "title",
    "header",
    "selected",
    "overdue",
    "due_soon",
    "green_channel",
    "muted",
    "tab_active",
    "tab_inactive",
    "status_bar",
    "help_bar",
    "error",
    "ok",
    "popup",
    "deadline_near",
];

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("{}", rust_i18n::t!("tui.config.unknown_theme", name = .0))]
    Unknown(String),
    #[error("{}", rust_i18n::t!("tui.config.bad_style", theme = theme, key = key, value = value))]
    BadStyle {
        theme: String,
        key: String,
        value: String,
    },
    #[error("{}", rust_i18n::t!("tui.config.unknown_style", theme = theme, key = key, known = known))]
    UnknownKey {
        theme: String,
        key: String,
        known: String,
    },
    #[error("{}", rust_i18n::t!("tui.config.bad_borders", theme = theme, value = value))]
    BadBorders { theme: String, value: String },
    #[error("{}", rust_i18n::t!("tui.config.theme_toml", theme = .0, error = .1))]
    Toml(String, String),
}

/// Box-drawing or plain ASCII frames: the config's choice, one enum for both.
pub use crate::client::config::Borders;

#[derive(Debug, Clone)]
pub struct Theme {
    styles: BTreeMap<&'static str, Style>,
    pub borders: Borders,
}

impl Theme {
    /// A built-in theme, then the overrides of config.toml's `[theme]`
    /// table (`name`, `borders` and single meanings). `no_color` (the
    /// `NO_COLOR` convention) forces the mono theme's colours.
    pub fn load(name: &str, overrides: Option<&toml::Table>, no_color: bool) -> Result<Self, ThemeError> {
        let chosen = overrides
            .and_then(|t| t.get("name"))
            .and_then(|v| v.as_str())
            .unwrap_or(name);
        let chosen = if no_color { "mono" } else { chosen };
        let text = BUILT_IN
            .iter()
            .find(|(n, _)| *n == chosen)
            .map(|(_, t)| *t)
            .ok_or_else(|| ThemeError::Unknown(chosen.to_string()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| ThemeError::Toml(chosen.into(), format!("{e}")))?;
        let mut theme = Theme {
            styles: BTreeMap::new(),
            borders: Borders::Unicode,
        };
        theme.apply(chosen, &table)?;
        if let Some(over) = overrides {
            let mut over = over.clone();
            over.remove("name");
            if no_color {
                // Colours from config would defeat NO_COLOR; only borders stay.
                over.retain(|k, _| k == "borders");
            }
            theme.apply("[theme]", &over)?;
        }
        Ok(theme)
    }

    /// The theme chosen by name with `NO_COLOR` read from the environment.
    pub fn from_env(name: &str, overrides: Option<&toml::Table>) -> Result<Self, ThemeError> {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self::load(name, overrides, no_color)
    }

    fn apply(&mut self, theme: &str, table: &toml::Table) -> Result<(), ThemeError> {
        for (key, value) in table {
            if key == "borders" {
                self.borders = match value.as_str() {
                    Some("unicode") => Borders::Unicode,
                    Some("ascii") => Borders::Ascii,
                    _ => {
                        return Err(ThemeError::BadBorders {
                            theme: theme.into(),
                            value: value.to_string(),
                        });
                    }
                };
                continue;
            }
            let Some(meaning) = MEANINGS.iter().find(|m| **m == key) else {
                return Err(ThemeError::UnknownKey {
                    theme: theme.into(),
                    key: key.clone(),
                    known: MEANINGS.join(", "),
                });
            };
            let bad = || ThemeError::BadStyle {
                theme: theme.into(),
                key: key.clone(),
                value: value.to_string(),
            };
            let style = parse_style(value.as_str().ok_or_else(bad)?).ok_or_else(bad)?;
            self.styles.insert(meaning, style);
        }
        Ok(())
    }

    fn get(&self, meaning: &str) -> Style {
        self.styles.get(meaning).copied().unwrap_or_default()
    }

    // The glyphs below are ambiguous-width; with `borders = "ascii"` the
    // finished frame draws them as ASCII look-alikes (`tui::ascii`), so no
    // widget has to ask.

    pub fn border_set(&self) -> border::Set<'static> {
        border::PLAIN
    }

    /// Between parts of the status bar.
    pub fn separator(&self) -> &'static str {
        " │ "
    }

    /// The green-channel marker.
    pub fn mark(&self) -> &'static str {
        "●"
    }

    /// Offline, beside the status bar's online marker.
    pub fn off_mark(&self) -> &'static str {
        "○"
    }

    /// Before the running timer in the status bar: `⏱` is drawn as an
    /// emoji, two columns wide, by many terminals.
    pub fn timer_mark(&self) -> String {
        match self.borders {
            Borders::Unicode => "⏱".to_string(),
            Borders::Ascii => rust_i18n::t!("tui.status.timer").into_owned(),
        }
    }

    /// Before a room's name on the schedule.
    pub fn room_mark(&self) -> &'static str {
        "■"
    }

    pub fn base(&self) -> Style {
        self.get("base")
    }
    pub fn border(&self) -> Style {
        self.get("border")
    }
    pub fn title(&self) -> Style {
        self.get("title")
    }
    pub fn header(&self) -> Style {
        self.get("header")
    }
    pub fn selected(&self) -> Style {
        self.get("selected")
    }
    pub fn overdue(&self) -> Style {
        self.get("overdue")
    }
    pub fn due_soon(&self) -> Style {
        self.get("due_soon")
    }
    pub fn green_channel(&self) -> Style {
        self.get("green_channel")
    }
    pub fn muted(&self) -> Style {
        self.get("muted")
    }
    pub fn tab_active(&self) -> Style {
        self.get("tab_active")
    }
    pub fn tab_inactive(&self) -> Style {
        self.get("tab_inactive")
    }
    pub fn status_bar(&self) -> Style {
        self.get("status_bar")
    }
    pub fn help_bar(&self) -> Style {
        self.get("help_bar")
    }
    pub fn error(&self) -> Style {
        self.get("error")
    }
    pub fn ok(&self) -> Style {
        self.get("ok")
    }
    pub fn popup(&self) -> Style {
        self.get("popup")
    }
    /// A reporting deadline in the last two days.
    pub fn deadline_near(&self) -> Style {
        self.get("deadline_near")
    }
}

impl Default for Theme {
    fn default() -> Self {
        // The built-in default parses: the theme tests load every built-in.
        Self::load("default", None, false).unwrap_or(Theme {
            styles: BTreeMap::new(),
            borders: Borders::Unicode,
        })
    }
}

/// `"yellow on black bold"`, `"reversed"`, `"default"`: a colour, an
/// optional `on <colour>`, and modifiers, in any order after the colour.
pub fn parse_style(text: &str) -> Option<Style> {
    let mut style = Style::default();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "on" => style = style.bg(color(words.next()?)?),
            "bold" => style = style.add_modifier(Modifier::BOLD),
            "dim" => style = style.add_modifier(Modifier::DIM),
            "italic" => style = style.add_modifier(Modifier::ITALIC),
            "underlined" => style = style.add_modifier(Modifier::UNDERLINED),
            "reversed" => style = style.add_modifier(Modifier::REVERSED),
            "default" | "plain" => {}
            other => style = style.fg(color(other)?),
        }
    }
    Some(style)
}

fn color(name: &str) -> Option<Color> {
    Some(match name {
        "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}
