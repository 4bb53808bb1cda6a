//! Keys are data: each action has default keys, config.toml's `[keys]`
//! table replaces the keys of single actions (`claim = "C"` or
//! `claim = ["C", "ctrl-k"]`). Help and the help bar read this live map.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::shared::Screen;

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

            /// The screens the action belongs to; none: everywhere.
            pub fn scope(self) -> &'static [Screen] {
                match self { $(Action::$variant => $scope),* }
            }
        }
    };
}

use Screen::*;
actions! {
    Quit = "quit", ["q", "ctrl-c"], &[];
    Help = "help", ["?"], &[];
    Palette = "palette", [":"], &[];
    Back = "back", ["esc"], &[];
    Up = "up", ["up", "k"], &[];
    Down = "down", ["down", "j"], &[];
    PageUp = "page_up", ["pageup"], &[];
    PageDown = "page_down", ["pagedown"], &[];
    GoQueue = "go_queue", ["1"], &[];
    GoSchedule = "go_schedule", ["2"], &[];
    GoDuty = "go_duty", ["3"], &[];
    GoOutbox = "go_outbox", ["4"], &[];
    GoStats = "go_stats", ["5"], &[];
    Refresh = "refresh", ["ctrl-r"], &[];
    LogActivity = "log_activity", ["A"], &[];
    NextTab = "next_tab", ["tab", "right", "l"], &[Queue];
    PrevTab = "prev_tab", ["backtab", "left", "h"], &[Queue];
    Filter = "filter", ["/"], &[Queue];
    Sort = "sort", ["s"], &[Queue];
    Claim = "claim", ["c"], &[Queue, Detail];
    Open = "open", ["enter"], &[Queue];
    Timer = "timer", ["t"], &[Detail];
    Accept = "accept", ["a"], &[Detail];
    Transition = "transition", ["x"], &[Detail];
    LogOutcome = "log_outcome", ["o"], &[Detail];
    AddTime = "add_time", ["m"], &[Detail];
    AddNote = "add_note", ["n"], &[Detail];
    FlagTypical = "flag_typical", ["f"], &[Detail];
    MarkStarted = "mark_started", ["b"], &[Schedule];
    MarkEnded = "mark_ended", ["e"], &[Schedule];
    MarkNoShow = "mark_no_show", ["n"], &[Schedule];
    CopyLink = "copy_link", ["y"], &[Schedule];
    PrevDay = "prev_day", ["left", "h", "["], &[Schedule];
    NextDay = "next_day", ["right", "l", "]"], &[Schedule];
    CheckIn = "check_in", ["i"], &[Duty];
    CheckOut = "check_out", ["o"], &[Duty];
    Retry = "retry", ["r"], &[Outbox];
    Discard = "discard", ["d"], &[Outbox];
    // First of the screen's keys, so the help bar keeps them in view.
    OpenUnit = "open_unit", ["enter"], &[Stats];
    UnitUp = "unit_up", ["backspace"], &[Stats];
    PrevPeriod = "prev_period", ["left", "h", "["], &[Stats];
    NextPeriod = "next_period", ["right", "l", "]"], &[Stats];
    NextCampaign = "next_campaign", ["c", "tab"], &[Stats];
    ScopeMe = "scope_me", ["m"], &[Stats];
    ScopeUnit = "scope_unit", ["u"], &[Stats];
    Export = "export", ["e"], &[Stats];
    GoDispatch = "go_dispatch", ["7"], &[];
    Assign = "assign", ["enter", "a"], &[Dispatch];
    ToPool = "to_pool", ["p"], &[Dispatch];
    DispatchNextTab = "dispatch_next_tab", ["tab", "right", "l"], &[Dispatch];
    DispatchPrevTab = "dispatch_prev_tab", ["backtab", "left", "h"], &[Dispatch];
    Release = "release", ["r"], &[Detail];
    NextUnit = "next_unit", ["u"], &[Dispatch];
    BookSession = "book_session", ["a"], &[Schedule];
    MoveSession = "move_session", ["m"], &[Schedule];
    CancelSession = "cancel_session", ["x"], &[Schedule];
    GoIntake = "go_intake", ["6"], &[];
    NewIntake = "new_intake", ["n"], &[Intake];
    ReviewConflicts = "review_conflicts", ["W"], &[];
}

impl Action {
    /// One of the screen's own actions.
    pub fn belongs_to(self, screen: Screen) -> bool {
        self.scope().contains(&screen)
    }

    /// Applies on every screen.
    pub fn is_global(self) -> bool {
        self.scope().is_empty()
    }

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
            "backspace" => KeyCode::Backspace,
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
            KeyCode::Backspace => "Bksp".to_string(),
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
        let find = |own: bool| {
            Action::ALL
                .iter()
                .copied()
                .filter(|a| if own { a.belongs_to(screen) } else { a.is_global() })
                .find(|a| self.keys.get(a).is_some_and(|ks| ks.contains(&key)))
        };
        find(true).or_else(|| find(false))
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
        let own = Action::ALL.iter().copied().filter(|a| a.belongs_to(screen));
        let global = Action::ALL.iter().copied().filter(|a| a.is_global());
        own.chain(global).collect()
    }
}
