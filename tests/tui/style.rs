//! Themes and borders: data files, overrides, NO_COLOR.

use dutydesk::tui::theme::{Borders, MEANINGS, Theme, parse_style};
use ratatui::style::{Color, Modifier};

#[test]
fn every_built_in_theme_loads_and_styles_every_meaning_in_16_colours() {
    for name in ["default", "light", "high-contrast", "mono"] {
        let text = std::fs::read_to_string(format!("themes/{name}.toml")).expect("theme file");
        let table: toml::Table = text.parse().expect("toml");
        for meaning in MEANINGS {
            let value = table.get(meaning).and_then(|v| v.as_str());
            let style = value.and_then(parse_style);
            assert!(style.is_some(), "{name}: {meaning} missing or not a style");
            for c in style.into_iter().flat_map(|s| [s.fg, s.bg]).flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{name}: {meaning} beyond 16 colours"
                );
            }
        }
        Theme::load(name, None, false).expect("loads");
    }
}

#[test]
fn no_color_means_mono_and_config_colours_are_ignored() {
    let over: toml::Table = "overdue = \"red\"\nborders = \"ascii\"".parse().expect("toml");
    let theme = Theme::load("default", Some(&over), true).expect("theme");
    assert_eq!(theme.overdue().fg, None);
    assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
    assert_eq!(theme.borders, Borders::Ascii, "borders are not colour");
}

#[test]
fn partial_overrides_change_only_what_they_name() {
    let over: toml::Table = "name = \"light\"\noverdue = \"white on red bold\""
        .parse()
        .expect("toml");
    let theme = Theme::load("default", Some(&over), false).expect("theme");
    assert_eq!(theme.overdue().bg, Some(Color::Red));
    let light = Theme::load("light", None, false).expect("light");
    assert_eq!(theme.selected(), light.selected());
}

#[test]
fn theme_mistakes_are_explained() {
    let _l = crate::fixtures::lang("en");
    let err = Theme::load("solarized", None, false).expect_err("unknown");
    assert!(err.to_string().contains("no theme named “solarized”"), "{err}");
    let over: toml::Table = "overdue = \"blinking pink\"".parse().expect("toml");
    let err = Theme::load("default", Some(&over), false).expect_err("bad style");
    assert!(err.to_string().contains("overdue"), "{err}");
    let over: toml::Table = "borders = \"fancy\"".parse().expect("toml");
    assert!(Theme::load("default", Some(&over), false).is_err());
}

/// Config mistakes in the terminal app read in the user's language too.
#[test]
fn theme_and_key_mistakes_in_chinese() {
    let _l = crate::fixtures::lang("zh-CN");
    let err = Theme::load("solarized", None, false).expect_err("unknown");
    assert!(err.to_string().contains("没有名为 “solarized” 的主题"), "{err}");
    let bad: toml::Table = "claim = \"shift-enter-x\"".parse().expect("toml");
    let err = dutydesk::tui::keymap::Keymap::with_overrides(Some(&bad)).expect_err("bad key");
    assert!(err.to_string().contains("不是按键"), "{err}");
}
