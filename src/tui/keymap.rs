//! Keys are data: each action has default keys, config.toml's `[keys]`
//! table replaces the keys of single actions (`claim = "C"` or
//! `claim = ["C", "ctrl-k"]`). Help and the help bar read this live map.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Screen;

macro_rules! actions {
    ($($variant:ident = $name:literal, [$($key:literal),*], $scope:expr;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &[Action] = &[$(Action::$variant),*];

            /// The name in config.toml's `[keys]` and in the catalogs.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }

            fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$variant => &[$($key),*]),* }
            }

            /// Where the action applies; `None` is everywhere.
            pub fn scope(self) -> Option<Screen> {
                match self { $(Action::$variant => $scope),* }
            }
        }
    };
}

use Screen::*;
actions! {
    Quit = "quit", ["q", "ctrl-c"], None;
    Help = "help", ["?"], None;
    Palette = "palette", [":"], None;
    Back = "back", ["esc"], None;
    Up = "up", ["up", "k"], None;
    Down = "down", ["down", "j"], None;
    PageUp = "page_up", ["pageup"], None;
    PageDown = "page_down", ["pagedown"], None;
    GoQueue = "go_queue", ["1"], None;
    GoSchedule = "go_schedule", ["2"], None;
    GoDuty = "go_duty", ["3"], None;
    GoOutbox = "go_outbox", ["4"], None;
    GoStats = "go_stats", ["5"], None;
    Refresh = "refresh", ["ctrl-r"], None;
    LogActivity = "log_activity", ["A"], None;
    NextTab = "next_tab", ["tab", "right", "l"], Some(Queue);
    PrevTab = "prev_tab", ["backtab", "left", "h"], Some(Queue);
    Filter = "filter", ["/"], Some(Queue);
    Sort = "sort", ["s"], Some(Queue);
    Claim = "claim", ["c"], Some(Queue);
    Open = "open", ["enter"], Some(Queue);
    Timer = "timer", ["t"], Some(Detail);
    Accept = "accept", ["a"], Some(Detail);
    Transition = "transition", ["x"], Some(Detail);
    LogOutcome = "log_outcome", ["o"], Some(Detail);
    AddTime = "add_time", ["m"], Some(Detail);
    AddNote = "add_note", ["n"], Some(Detail);
    FlagTypical = "flag_typical", ["f"], Some(Detail);
    MarkStarted = "mark_started", ["b"], Some(Schedule);
    MarkEnded = "mark_ended", ["e"], Some(Schedule);
    MarkNoShow = "mark_no_show", ["n"], Some(Schedule);
    CopyLink = "copy_link", ["y"], Some(Schedule);
    PrevDay = "prev_day", ["left", "h", "["], Some(Schedule);
    NextDay = "next_day", ["right", "l", "]"], Some(Schedule);
    CheckIn = "check_in", ["i"], Some(Duty);
    CheckOut = "check_out", ["o"], Some(Duty);
    Retry = "retry", ["r"], Some(Outbox);
    Discard = "discard", ["d"], Some(Outbox);
    PrevPeriod = "prev_period", ["left", "h", "["], Some(Stats);
    NextPeriod = "next_period", ["right", "l", "]"], Some(Stats);
    NextCampaign = "next_campaign", ["c", "tab"], Some(Stats);
    ScopeMe = "scope_me", ["m"], Some(Stats);
    ScopeUnit = "scope_unit", ["u"], Some(Stats);
    Export = "export", ["e"], Some(Stats);
}

impl Action {
    /// The catalog key of the action's short label.
    pub fn label_key(self) -> String {
        format!("tui.action.{}", self.name())
    }

    pub fn label(self) -> String {
        let key = self.label_key();
        rust_i18n::t!(&key).into_owned()
    }
}

/// One key press as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn from_event(ev: &KeyEvent) -> Self {
        Key {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// `a`, `?`, `enter`, `esc`, `tab`, `backtab`, `up`, `pagedown`, `f5`,
    /// `ctrl-r`, `space`.
    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, rest) = match text.strip_prefix("ctrl-").or_else(|| text.strip_prefix("C-")) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            lower if lower.len() > 1 && lower.starts_with('f') => KeyCode::F(lower[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Key { code, ctrl })
    }

    pub fn display(self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("^{base}") } else { base }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("{}", rust_i18n::t!("tui.config.unknown_action", action = .0, known = .1))]
    UnknownAction(String, String),
    #[error("{}", rust_i18n::t!("tui.config.bad_key", action = action, value = value))]
    BadKey { action: String, value: String },
}

#[derive(Debug, Clone)]
pub struct Keymap {
    keys: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = Action::ALL
            .iter()
            .map(|a| {
                (
                    *a,
                    a.default_keys().iter().filter_map(|k| Key::parse(k)).collect(),
                )
            })
            .collect();
        Keymap { keys }
    }
}

impl Keymap {
    /// The defaults with config.toml's `[keys]` table over them.
    pub fn with_overrides(table: Option<&toml::Table>) -> Result<Self, KeymapError> {
        let mut map = Keymap::default();
        for (name, value) in table.into_iter().flatten() {
            let action = Action::ALL.iter().find(|a| a.name() == name).ok_or_else(|| {
                let known: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
                KeymapError::UnknownAction(name.clone(), known.join(", "))
            })?;
            let texts: Vec<&str> = match value {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(list) => list.iter().filter_map(|v| v.as_str()).collect(),
                _ => vec![],
            };
            let bad = || KeymapError::BadKey {
                action: name.clone(),
                value: value.to_string(),
            };
            if texts.is_empty() {
                return Err(bad());
            }
            let keys = texts
                .iter()
                .map(|t| Key::parse(t).ok_or_else(bad))
                .collect::<Result<_, _>>()?;
            map.keys.insert(*action, keys);
        }
        Ok(map)
    }

    /// The action a key means on a screen: the screen's own first, then
    /// the global ones.
    pub fn action(&self, screen: Screen, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev);
        let find = |scope: Option<Screen>| {
            Action::ALL
                .iter()
                .copied()
                .filter(|a| a.scope() == scope)
                .find(|a| self.keys.get(a).is_some_and(|ks| ks.contains(&key)))
        };
        find(Some(screen)).or_else(|| find(None))
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.keys.get(&action).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `"c/x"`: every key of an action, for help.
    pub fn keys_text(&self, action: Action) -> String {
        self.keys(action)
            .iter()
            .map(|k| k.display())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The actions of a screen, then the global ones, as help lists them.
    pub fn for_screen(&self, screen: Screen) -> Vec<Action> {
        let own = Action::ALL.iter().copied().filter(|a| a.scope() == Some(screen));
        let global = Action::ALL.iter().copied().filter(|a| a.scope().is_none());
        own.chain(global).collect()
    }
}
