//! Synthetic work items for the benchmarks: realistic Chinese titles and
//! parties, every kind, channel and category, some green channel.
#![allow(dead_code)]

use dutydesk::api::{Party, WorkItem};
use dutydesk::domain::{Category, Channel, FrontlineGroup, ItemKind, ItemStatus};

const TITLES: [&str; 8] = [
    "餐饮店租赁合同因疫情无法履行，能否解除",
    "护士被拖欠三个月加班工资怎么办",
    "劳动合同到期不续签的经济补偿",
    "物业费纠纷远程视频调解",
    "企业法治体检：复工复产用工风险",
    "医保报销被拒的申诉途径",
    "Hotline: unpaid wages at a construction site",
    "志愿者在防疫工作中受伤的工伤认定",
];
const PARTIES: [&str; 6] = ["李女士", "张护士", "赵先生", "王师傅", "陈医生", "刘警官"];

pub const NOW: i64 = 1_764_000_000_000;

pub fn synthetic_items(n: usize) -> Vec<WorkItem> {
    (0..n)
        .map(|i| {
            let kind = ItemKind::ALL[i % 3];
            let green = i % 5 == 0;
            WorkItem {
                id: i as i64 + 1,
                kind,
                title: format!("{} #{}", TITLES[i % TITLES.len()], i + 1),
                description: String::new(),
                channel: Channel::ALL[i % Channel::ALL.len()],
                category: Category::ALL[i % Category::ALL.len()],
                green_channel: green,
                frontline_group: green.then(|| FrontlineGroup::ALL[i % FrontlineGroup::ALL.len()]),
                fee_waiver_eligible: green,
                status: [ItemStatus::New, ItemStatus::Accepted, ItemStatus::InProgress][i % 3],
                assignee: None,
                unit_id: 1,
                parties: vec![Party {
                    name: PARTIES[i % PARTIES.len()].to_string(),
                    role: "申请人".to_string(),
                    contact: None,
                    kind: Default::default(),
                    id_number: None,
                }],
                due_at: NOW + ((i as i64 % 97) - 20) * 3_600_000,
                created_at: NOW - 86_400_000,
                updated_at: NOW - 3_600_000,
                typical_case: false,
                mediation: None,
                version: 1,
            }
        })
        .collect()
}

/// Like [`synthetic_items`], as a real server sends them: a description of
/// a few sentences, both parties with a (masked) contact and ID number, and
/// the lawyer as assignee.
pub fn whole_items(n: usize) -> Vec<WorkItem> {
    let mut items = synthetic_items(n);
    for (i, item) in items.iter_mut().enumerate() {
        item.description = format!(
            "申请人{}称，{}。现请求值班律师提供法律意见并协助调解，材料已通过窗口提交，编号 {}。",
            PARTIES[i % PARTIES.len()],
            TITLES[(i + 3) % TITLES.len()],
            i + 1
        )
        .repeat(2);
        for p in &mut item.parties {
            p.contact = Some("138****5678".to_string());
            p.id_number = Some("110101********1234".to_string());
        }
        item.parties.push(Party {
            name: format!("某某餐饮管理有限公司{}", i % 50),
            role: "被申请人".to_string(),
            contact: Some("021-****8888".to_string()),
            kind: dutydesk::domain::PartyKind::Enterprise,
            id_number: Some("91310000********1X".to_string()),
        });
        item.assignee = Some(dutydesk::api::UserRef {
            id: 2,
            username: "lawyer".to_string(),
            display_name: "王律师".to_string(),
        });
    }
    items
}
