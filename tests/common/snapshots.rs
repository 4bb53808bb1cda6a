//! The one loop of the TUI's picture tests: every case drawn in both
//! languages at both sizes, each checked against its snapshot
//! `{name}_{code}_{w}x{h}`. A macro, so that insta names the snapshots after
//! the module of the test that uses it, as it did before the loop moved here.

/// `each_case_in_both_languages_and_sizes!(CASES, fixtures::model, lang, render)`:
/// `CASES` is a list of `(name, setup)`; `setup` gets a fresh model.
macro_rules! each_case_in_both_languages_and_sizes {
    ($cases:expr, $model:expr, $lang:expr, $render:expr) => {
        for (name, setup) in $cases {
            for code in ["zh-CN", "en"] {
                let _l = $lang(code);
                for (w, h) in [(80, 24), (120, 40)] {
                    let mut m = $model();
                    setup(&mut m);
                    let screen = $render(&mut m, w, h);
                    insta::assert_snapshot!(format!("{name}_{code}_{w}x{h}"), screen);
                }
            }
        }
    };
}

pub(crate) use each_case_in_both_languages_and_sizes;
