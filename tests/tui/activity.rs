//! The activity form: opened by its key (and from the palette), a picker
//! of the rows the user's campaigns count from activities, in the user's
//! language; the domain's checks before saving; and the record it queues.

use crossterm::event::KeyCode;
use dutydesk::api::NewActivity;
use dutydesk::tui::popups::Popup;
use dutydesk::tui::{Command, Message, Model, update};

use crate::fixtures::{self, NOW, lang};
use crate::stats_fixtures as sf;
use crate::{press, render, typed};

/// The form open over the shipped campaigns.
fn open(m: &mut Model) {
    assert_eq!(press(m, KeyCode::Char('A')), Some(Command::FetchCampaigns));
    update(m, sf::campaigns());
}

/// Moves the picker to `code`.
fn pick(m: &mut Model, code: &str) {
    for _ in 0..40 {
        let Some(Popup::Activity(form)) = &m.popup else {
            panic!("the activity form is open")
        };
        if form.target().is_some_and(|t| t.code == code) {
            return;
        }
        press(m, KeyCode::Down);
    }
    panic!("{code} is not offered");
}

#[test]
fn activity_form_in_both_languages_and_sizes() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut m = fixtures::model();
            open(&mut m);
            pick(&mut m, "trainings");
            insta::assert_snapshot!(format!("activity_form_{code}_{w}x{h}"), render(&mut m, w, h));
            // Nothing for the second value: refused before saving, with the fix.
            press(&mut m, KeyCode::Tab);
            assert_eq!(press(&mut m, KeyCode::Enter), None);
            insta::assert_snapshot!(
                format!("activity_form_refused_{code}_{w}x{h}"),
                render(&mut m, w, h)
            );
        }
    }
}

#[test]
fn the_picker_offers_only_rows_counted_from_activities_in_the_users_language() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    // Before the campaigns arrive the form says it is loading.
    assert_eq!(press(&mut m, KeyCode::Char('A')), Some(Command::FetchCampaigns));
    assert!(render(&mut m, 80, 24).contains("正在读取专项活动"));
    update(&mut m, sf::campaigns());
    let screen = render(&mut m, 120, 40);
    assert!(screen.contains("走访企业"), "{screen}");
    let Some(Popup::Activity(form)) = &m.popup else {
        unreachable!()
    };
    let codes: Vec<&str> = form
        .targets
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    for counted_elsewhere in [
        "consultations",
        "walk_in_consultations",
        "remote_consultations",
        "losses_recovered",
    ] {
        assert!(!codes.contains(&counted_elsewhere), "{codes:?}");
    }
    assert!(codes.contains(&"trainings") && codes.contains(&"outreach_events"));
}

#[test]
fn keys_queue_the_right_record() {
    let _l = lang("en");
    let mut m = fixtures::model();
    // The queue's help bar names the key; the palette finds the action.
    assert!(render(&mut m, 120, 40).contains("A Log activity"));
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "activity");
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::FetchCampaigns));
    assert!(matches!(m.popup, Some(Popup::Activity(_))));
    update(&mut m, sf::campaigns());
    pick(&mut m, "trainings");
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Backspace);
    typed(&mut m, "2");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "35");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "复工复产培训");
    let Some(Command::SaveActivity { request, activity }) = press(&mut m, KeyCode::Enter) else {
        panic!("a save")
    };
    assert_eq!(
        activity,
        NewActivity {
            indicator: "trainings".into(),
            count: 2,
            count2: Some(35),
            note: Some("复工复产培训".into()),
            occurred_at: Some(NOW),
        }
    );
    // The same record the CLI would queue: one outbox entry for POST /activities.
    let entry = dutydesk::client::writes::activity(&activity);
    assert_eq!(
        (entry.method.as_str(), entry.path.as_str()),
        ("POST", "/api/v1/activities")
    );
    assert_eq!(entry.body["count2"], 35);
    // Saved: the form closes.
    update(&mut m, Message::Saved { request });
    assert!(m.popup.is_none());
}

#[test]
fn counts_out_of_range_and_roles_that_count_nothing_are_told() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open(&mut m);
    pick(&mut m, "contact_cards");
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Backspace);
    typed(&mut m, "10001");
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(render(&mut m, 120, 40).contains("The count must be a positive number"));
    press(&mut m, KeyCode::Esc);

    let mut m = fixtures::model();
    m.role = Some(dutydesk::domain::Role::Coordinator);
    assert!(!render(&mut m, 120, 40).contains("Log activity"), "not offered");
    assert_eq!(press(&mut m, KeyCode::Char('A')), None);
    assert!(render(&mut m, 120, 40).contains("Your role logs no work of its own"));
}
