//! Realistic Chinese work: consultations, mediations and green-channel
//! requests as a public legal service centre sees them.

use std::sync::{Mutex, MutexGuard};

use dutydesk::api::{
    DutyShift, HistoryEntry, ItemDetail, MediationInfo, Outcome, Party, Room, RoomSchedule, Schedule,
    TimeEntry, UserRef, WorkItem,
};
use dutydesk::domain::{Category, Channel, FrontlineGroup, ItemKind, ItemStatus, OutcomeCode, TimeActivity};
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::model::{Identity, Model, OutboxRow, OutboxState, OutboxSummary};
use dutydesk::tui::theme::Theme;
use dutydesk::tui::{Message, update};

/// 2026-11-24 10:00 in Beijing.
pub const NOW: i64 = 1_795_485_600_000;
pub const MIN: i64 = 60_000;
pub const HOUR: i64 = 60 * MIN;

static LANG: Mutex<()> = Mutex::new(());

/// The catalogs' language is global: tests that read text hold this.
pub fn lang(code: &str) -> MutexGuard<'static, ()> {
    let guard = LANG.lock().unwrap_or_else(|e| e.into_inner());
    rust_i18n::set_locale(code);
    guard
}

pub fn user(id: i64, name: &str) -> UserRef {
    UserRef {
        id,
        username: format!("u{id}"),
        display_name: name.into(),
    }
}

pub struct ItemSpec {
    pub id: i64,
    pub kind: ItemKind,
    pub title: &'static str,
    pub channel: Channel,
    pub category: Category,
    pub group: Option<FrontlineGroup>,
    pub status: ItemStatus,
    pub due_in: i64,
    pub party: &'static str,
}

pub fn item(s: ItemSpec) -> WorkItem {
    WorkItem {
        channel: s.channel,
        category: s.category,
        green_channel: s.group.is_some(),
        frontline_group: s.group,
        fee_waiver_eligible: s.group.is_some(),
        status: s.status,
        assignee: Some(user(7, "王律师")),
        parties: vec![Party {
            name: s.party.into(),
            role: "申请人".into(),
            contact: Some("138****5678".into()),
            kind: Default::default(),
            id_number: None,
        }],
        due_at: NOW + s.due_in,
        created_at: NOW - 2 * HOUR - s.id * MIN,
        updated_at: NOW - HOUR,
        mediation: (s.kind == ItemKind::Mediation).then(|| MediationInfo {
            scheduled_start: NOW + s.due_in,
            scheduled_end: NOW + s.due_in + HOUR,
            room_id: 1 + s.id % 2,
            room_name: if s.id % 2 == 0 {
                "第一调解室".into()
            } else {
                "第二调解室".into()
            },
            join_link: Some(format!("https://meet.example.cn/r/{}", s.id)),
        }),
        version: 3,
        ..crate::work_item::item(s.id, s.kind.as_str(), s.title)
    }
}

use Category::*;
use Channel::*;
use ItemKind::*;
use ItemStatus::*;

#[allow(clippy::too_many_arguments)] // one row of the fixture table per call
fn spec(
    id: i64,
    kind: ItemKind,
    title: &'static str,
    channel: Channel,
    category: Category,
    group: Option<FrontlineGroup>,
    status: ItemStatus,
    due_in: i64,
    party: &'static str,
) -> WorkItem {
    item(ItemSpec {
        id,
        kind,
        title,
        channel,
        category,
        group,
        status,
        due_in,
        party,
    })
}

pub fn my_items() -> Vec<WorkItem> {
    use FrontlineGroup::*;
    vec![
        spec(
            1,
            Consultation,
            "餐饮店租赁合同因疫情无法履行，能否解除",
            Hotline,
            HousingLease,
            None,
            Accepted,
            3 * HOUR,
            "李女士",
        ),
        spec(
            2,
            Consultation,
            "护士被拖欠三个月加班工资怎么办",
            Wechat,
            Wages,
            Some(Medical),
            New,
            150 * MIN,
            "张护士",
        ),
        spec(
            3,
            Consultation,
            "劳动合同到期不续签的经济补偿",
            WalkIn,
            LabourContract,
            None,
            InProgress,
            -30 * MIN,
            "赵先生",
        ),
        spec(
            4,
            Mediation,
            "物业费纠纷远程视频调解",
            Video,
            ContractBreach,
            None,
            Accepted,
            90 * MIN,
            "陈某某",
        ),
        spec(
            6,
            Mediation,
            "工伤赔偿电话调解（退役军人）",
            Hotline,
            Insurance,
            Some(Military),
            New,
            5 * HOUR,
            "刘某",
        ),
        spec(
            8,
            ProBono,
            "社区志愿者医保报销咨询",
            Online,
            Insurance,
            Some(Volunteer),
            Accepted,
            20 * HOUR,
            "周志愿者",
        ),
        spec(
            9,
            Consultation,
            "企业法治体检：复工复产用工风险",
            WalkIn,
            EnterpriseHealthCheck,
            None,
            New,
            40 * HOUR,
            "某餐饮公司",
        ),
        spec(
            10,
            Consultation,
            "Hotline: unpaid wages at a construction site",
            Hotline,
            Wages,
            None,
            New,
            2 * HOUR,
            "Wu Gang",
        ),
    ]
}

pub fn pool_items() -> Vec<WorkItem> {
    vec![
        spec(
            21,
            Consultation,
            "快递员工伤认定咨询",
            Hotline,
            Insurance,
            Some(FrontlineGroup::Community),
            New,
            3 * HOUR,
            "孙师傅",
        ),
        spec(
            22,
            Consultation,
            "房东不退押金",
            Online,
            HousingLease,
            None,
            New,
            30 * HOUR,
            "钱同学",
        ),
    ]
    .into_iter()
    // Nobody's until claimed.
    .map(|i| WorkItem { assignee: None, ..i })
    .collect()
}

/// A queue row as the server's detail (or the store) has it: the queue
/// keeps its rows without their parties, these come from the fixture
/// item with the same id.
pub fn with_parties(row: &WorkItem) -> WorkItem {
    let mut whole = row.clone();
    if let Some(fixture) = my_items()
        .into_iter()
        .chain(pool_items())
        .find(|i| i.id == row.id)
        && whole.parties.is_empty()
    {
        whole.parties = fixture.parties;
    }
    whole
}

pub fn detail_of(item: &WorkItem) -> ItemDetail {
    ItemDetail {
        item: item.clone(),
        history: vec![
            HistoryEntry {
                at: NOW - 2 * HOUR,
                actor: Some(user(1, "值班台")),
                action: dutydesk::api::HistoryAction::Assigned,
                from_status: None,
                to_status: Some(New),
                note: "热线转入".into(),
            },
            HistoryEntry {
                at: NOW - HOUR,
                actor: Some(user(7, "王律师")),
                action: dutydesk::api::HistoryAction::Status,
                from_status: Some(New),
                to_status: Some(Accepted),
                note: String::new(),
            },
        ],
        outcomes: vec![Outcome {
            id: "o1".into(),
            item_id: item.id,
            user_id: 7,
            code: OutcomeCode::Answered,
            minutes: Some(25),
            settled_amount: None,
            fee_waived: None,
            note: "已告知可协商解除".into(),
            occurred_at: NOW - 30 * MIN,
            created_at: NOW - 30 * MIN,
        }],
        time_entries: vec![TimeEntry {
            id: "t1".into(),
            item_id: item.id,
            user_id: 7,
            minutes: 25,
            activity: TimeActivity::Session,
            note: "电话解答".into(),
            occurred_at: NOW - 30 * MIN,
            created_at: NOW - 30 * MIN,
        }],
    }
}

pub fn schedule() -> Schedule {
    let items = my_items();
    let room = |id: i64, name: &str| Room {
        id,
        name: name.into(),
        unit_id: 1,
        operator: Some(user(3, "调解室小林")),
    };
    Schedule {
        date: "2026-11-24".into(),
        rooms: vec![
            RoomSchedule {
                room: room(1, "第一调解室"),
                sessions: vec![items[3].clone()],
            },
            RoomSchedule {
                room: room(2, "第二调解室"),
                sessions: vec![items[4].clone()],
            },
        ],
    }
}

pub fn shifts() -> Vec<DutyShift> {
    vec![
        DutyShift {
            id: 31,
            user_id: 7,
            place: "区公共法律服务中心 窗口2".into(),
            starts_at: NOW - HOUR,
            ends_at: NOW + 7 * HOUR,
            checked_in_at: Some(NOW - 55 * MIN),
            checked_out_at: None,
            version: 1,
        },
        DutyShift {
            id: 32,
            user_id: 7,
            place: "12348 热线".into(),
            starts_at: NOW + 48 * HOUR,
            ends_at: NOW + 56 * HOUR,
            checked_in_at: None,
            checked_out_at: None,
            version: 1,
        },
    ]
}

pub fn outbox() -> OutboxSummary {
    OutboxSummary {
        entries: vec![
            OutboxRow {
                id: "a1".into(),
                what: "#1 办理结果：已解答".into(),
                state: OutboxState::Pending,
                message: None,
                created_at: NOW - 5 * MIN,
            },
            OutboxRow {
                id: "a2".into(),
                what: "#3 工时 45 分钟".into(),
                state: OutboxState::Failed,
                message: Some("事项已办结，不能再登记工时".into()),
                created_at: NOW - 20 * MIN,
            },
        ],
    }
}

/// A model as a lawyer sees it after the first sync.
pub fn model() -> Model {
    let identity = Identity {
        user: "王律师".into(),
        profile: "default".into(),
    };
    let mut m = Model::new(identity, Keymap::default(), Theme::default(), NOW);
    update(&mut m, Message::ItemsLoaded(my_items()));
    update(&mut m, Message::PoolLoaded(pool_items()));
    update(&mut m, Message::OutboxChanged(outbox()));
    update(&mut m, Message::Online(true));
    update(&mut m, Message::Synced(NOW - 2 * MIN));
    m
}
