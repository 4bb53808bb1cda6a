use dutydesk::client::commands::items::item_rows;
use dutydesk::client::text::{table, width};

use crate::support::item;

#[test]
fn list_rows_align_by_display_width_with_chinese_titles() {
    dutydesk::i18n::set_language(dutydesk::i18n::Language::En);
    let items = vec![
        item(7, "mediation", "劳动合同纠纷调解"),
        item(12, "consultation", "wage arrears"),
        item(130, "pro_bono", "医护人员房屋租赁咨询"),
    ];
    let out = table(&item_rows(&items));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4);
    // The title starts at the same display column on every line, though
    // the byte offsets differ (a Chinese character is 3 bytes, 2 columns).
    let titles = ["劳动合同纠纷调解", "wage arrears", "医护人员房屋租赁咨询"];
    let cols: Vec<usize> = lines[1..]
        .iter()
        .zip(titles)
        .map(|(l, t)| width(&l[..l.find(t).unwrap_or_else(|| panic!("{t} missing:\n{out}"))]))
        .collect();
    assert!(cols.iter().all(|c| *c == cols[0]), "misaligned:\n{out}");
    let header_title = lines[0].find("Title").unwrap();
    assert_eq!(
        width(&lines[0][..header_title]),
        cols[0],
        "header aligned too:\n{out}"
    );
}

#[test]
fn long_chinese_titles_are_cut_without_splitting_a_character() {
    dutydesk::i18n::set_language(dutydesk::i18n::Language::En);
    let long = "新冠疫情期间餐饮企业租赁合同解除及违约责任承担问题咨询与调解申请";
    let rows = item_rows(&[item(1, "consultation", long)]);
    let title = &rows[1][4];
    assert!(width(title) <= 40, "{title}");
    // ASCII: `…` is ambiguous-width and takes two columns on CJK terminals.
    assert!(title.ends_with("..."), "{title}");
}
