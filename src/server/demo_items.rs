//! How demo items, duty shifts and the conflict of interest are made:
//! Chinese names, titles from the category, deterministic from a seed.

use sqlx::{Any, Transaction};

use super::db::next_id;
use super::storage::seed::{SeedItem, insert_duty_shift, insert_item as insert_seed_item};
use crate::api::Party;
use crate::domain::{
    Category, Channel, EpochMs, FrontlineGroup, HOUR_MS, ItemKind, ItemStatus, MINUTE_MS, PartyKind, due_at,
};

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "建国", "秀英", "伟", "芳", "敏", "静", "磊", "洋", "艳", "勇", "军", "娜",
];
const FIRMS: [&str; 6] = [
    "恒达餐饮有限公司",
    "新华物业公司",
    "宏运物流公司",
    "锦江建筑劳务公司",
    "百佳超市",
    "顺通快递站点",
];

/// A small deterministic generator: the same seed gives the same demo.
pub(super) struct Lcg(pub(super) u64);
impl Lcg {
    pub(super) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

pub(super) fn person(r: &mut Lcg) -> String {
    format!(
        "{}{}",
        SURNAMES[r.next(SURNAMES.len())],
        GIVEN[r.next(GIVEN.len())]
    )
}

pub(super) fn title_for(category: Category, kind: ItemKind, who: &str, firm: &str) -> (String, String) {
    let topic = match category {
        Category::LabourContract => "劳动合同解除纠纷",
        Category::Wages => "拖欠工资",
        Category::HousingLease => "房屋租赁合同纠纷",
        Category::ContractBreach => "疫情导致合同违约",
        Category::Insurance => "医疗保险、社会保险待遇",
        Category::EnterpriseHealthCheck => "企业法治体检",
        Category::Epidemic => "疫情防控相关法律问题",
        Category::Other => "邻里纠纷",
    };
    let title = match kind {
        ItemKind::Mediation => format!("{who}与{firm}{topic}调解"),
        ItemKind::Consultation => format!("{who}咨询：{topic}"),
        ItemKind::ProBono => format!("绿色通道：{who}{topic}法律援助"),
    };
    let desc = format!("{who}反映与{firm}之间存在{topic}问题，请求提供法律帮助。");
    (title, desc)
}

/// What one demo item needs beyond the generated text.
pub(super) struct Spec {
    pub(super) kind: ItemKind,
    pub(super) assignee: Option<i64>,
    pub(super) unit: i64,
    pub(super) status: ItemStatus,
    pub(super) green: bool,
    pub(super) room: Option<(i64, EpochMs)>,
}

pub(super) async fn insert_item(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Lcg,
    n: i64,
    s: &Spec,
    default_room: i64,
    now: EpochMs,
) -> anyhow::Result<()> {
    let category = Category::ALL[rng.next(Category::ALL.len())];
    let channel = match s.kind {
        ItemKind::Mediation => {
            if n % 2 == 0 {
                Channel::Video
            } else {
                Channel::Hotline
            }
        }
        _ => Channel::ALL[rng.next(4)],
    };
    let who = person(rng);
    let firm = FIRMS[rng.next(FIRMS.len())];
    // A neighbours' mediation is between people; the others are with a
    // firm. The neighbour's name is picked without the generator so the
    // rest of the demo stays as it was.
    let neighbour = (s.kind == ItemKind::Mediation && category == Category::Other).then(|| {
        format!(
            "{}{}",
            SURNAMES[n as usize % SURNAMES.len()],
            GIVEN[(n as usize * 5 + 3) % GIVEN.len()]
        )
    });
    let (title, description) = title_for(category, s.kind, &who, neighbour.as_deref().unwrap_or(firm));
    let frontline = s.green.then(
        || // The first six groups, as before the frontline workers were added:
        // the same seed keeps giving the same demo.
        FrontlineGroup::ALL[rng.next(6)],
    );
    let created = now - (1 + rng.next(72) as i64) * HOUR_MS;
    let mut parties = vec![Party {
        name: who.clone(),
        role: "申请人".into(),
        contact: Some(format!("138{:08}", rng.next(100_000_000))),
        kind: PartyKind::Person,
        id_number: None,
    }];
    if s.kind == ItemKind::Mediation {
        let other = if let Some(name) = &neighbour {
            Party {
                name: name.clone(),
                role: "被申请人".into(),
                contact: None,
                kind: PartyKind::Person,
                id_number: None,
            }
        } else {
            Party {
                name: firm.to_string(),
                role: "被申请人".into(),
                contact: None,
                kind: PartyKind::Enterprise,
                id_number: None,
            }
        };
        parties.push(other);
    }
    let enterprise_party = parties.iter().any(|p| p.kind == PartyKind::Enterprise);
    let (room, start) = match (s.kind, s.room) {
        (_, Some((room, start))) => (Some(room), Some(start)),
        (ItemKind::Mediation, None) => (Some(default_room), Some(now + (48 + n) * HOUR_MS)),
        _ => (None, None),
    };
    let due = due_at(s.kind, channel, s.green, created, start);
    let id = next_id(tx, "item").await?;
    let seq = next_id(tx, "change_seq").await?;
    let item = SeedItem {
        id,
        seq,
        kind: s.kind.as_str(),
        title,
        description,
        channel: channel.as_str(),
        category: category.as_str(),
        green_channel: s.green,
        frontline_group: frontline.map(|f| f.as_str()),
        fee_waiver_eligible: s.green || s.kind == ItemKind::ProBono,
        status: s.status.as_str(),
        assignee_id: s.assignee,
        unit_id: s.unit,
        parties: serde_json::to_string(&parties)?,
        due_at: due,
        created_at: created,
        typical_case: n % 17 == 5,
        scheduled: start.map(|t| (t, t + 90 * MINUTE_MS)),
        room_id: room,
        join_link: (channel == Channel::Video && room.is_some())
            .then(|| format!("https://meet.example.cn/room/{id}")),
        enterprise_party,
    };
    insert_seed_item(tx, &item).await?;
    Ok(())
}

pub(super) async fn seed_duty(
    tx: &mut Transaction<'static, Any>,
    now: EpochMs,
    people: &[i64],
) -> Result<(), sqlx::Error> {
    let (week_start, _) = super::schedule::week_bounds(now);
    let places = ["区公共法律服务中心窗口", "12348 热线", "网络咨询平台"];
    for day in 0..7i64 {
        for (i, user) in people.iter().enumerate() {
            if (day + i as i64) % 2 == 1 {
                continue;
            }
            let starts = week_start + day * 24 * HOUR_MS + 9 * HOUR_MS;
            let place = places[(day as usize + i) % places.len()];
            insert_duty_shift(tx, *user, place, (starts, starts + 8 * HOUR_MS)).await?;
        }
    }
    Ok(())
}

/// A conflict of interest to find: 周建华 asked 正衡 (lawyer3) about
/// unpaid wages from 恒达餐饮; now 恒达餐饮 asks for a mediation against
/// him, waiting in the same firm's pool. Claiming it warns lawyer3.
pub(super) async fn seed_conflict(
    tx: &mut Transaction<'static, Any>,
    now: EpochMs,
    firm: i64,
    lawyer: i64,
) -> anyhow::Result<()> {
    use super::storage::sql::intake::{insert_item, stored_form};
    use crate::api::intake::{NewItem, NewParty, PartySide};
    use crate::domain::{Category, Channel, PartyKind};
    let zhou = |role| NewParty {
        name: "周建华".into(),
        role,
        kind: PartyKind::Person,
        phone: Some("13900001234".into()),
        id_number: Some("320404198805061234".into()),
    };
    let firm_party = |role| NewParty {
        name: "恒达餐饮有限公司".into(),
        role,
        kind: PartyKind::Enterprise,
        phone: None,
        id_number: None,
    };
    let items = [
        NewItem {
            kind: ItemKind::Consultation,
            title: "周建华咨询：拖欠工资".into(),
            description: String::new(),
            channel: Channel::WalkIn,
            category: Category::Wages,
            green_channel: false,
            frontline_group: None,
            fee_waiver_eligible: false,
            parties: vec![zhou(PartySide::Applicant), firm_party(PartySide::Respondent)],
            unit_id: firm,
            assignee_id: Some(lawyer),
            external_ref: None,
        },
        NewItem {
            kind: ItemKind::Mediation,
            title: "恒达餐饮有限公司与周建华劳务费纠纷调解".into(),
            description: String::new(),
            channel: Channel::WalkIn,
            category: Category::LabourContract,
            green_channel: false,
            frontline_group: None,
            fee_waiver_eligible: false,
            parties: vec![firm_party(PartySide::Applicant), zhou(PartySide::Respondent)],
            unit_id: firm,
            assignee_id: None,
            external_ref: None,
        },
    ];
    for (n, item) in items.iter().enumerate() {
        let at = now - (48 - 24 * n as i64) * HOUR_MS;
        insert_item(tx, item, &stored_form(item), None, at)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
    }
    Ok(())
}
