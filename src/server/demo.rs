//! Demo data: three reporting units, six users (password `demo`), about 60
//! work items in Chinese, two mediation rooms with sessions today and
//! tomorrow, this week's duty roster and the two campaigns of DOMAIN.md.
//! Times are relative to `now`, so the demo always looks alive; the same
//! `now` gives the same data.

use sqlx::{Any, Transaction};

use super::auth::hash_password;
use super::db::{Store, b, next_id};
use super::demo_campaigns::campaigns;
use super::schedule::{day_bounds, today_shanghai};
use crate::api::Party;
use crate::domain::{
    Category, Channel, EpochMs, FrontlineGroup, HOUR_MS, ItemKind, ItemStatus, MINUTE_MS, due_at,
};

pub const DEMO_USERS: [&str; 6] = [
    "lawyer",
    "lawyer2",
    "mediator",
    "operator",
    "coordinator",
    "admin",
];

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
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn person(r: &mut Lcg) -> String {
    format!(
        "{}{}",
        SURNAMES[r.next(SURNAMES.len())],
        GIVEN[r.next(GIVEN.len())]
    )
}

fn title_for(category: Category, kind: ItemKind, who: &str, firm: &str) -> (String, String) {
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

pub async fn is_empty(store: &Store) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&store.pool)
        .await?;
    Ok(n == 0)
}

/// Seeds only an empty database; returns whether it seeded.
pub async fn seed_if_empty(store: &Store, now: EpochMs) -> anyhow::Result<bool> {
    if !is_empty(store).await? {
        return Ok(false);
    }
    // argon2 is slow on purpose: hash once, share among the demo users.
    let hash = tokio::task::spawn_blocking(|| hash_password("demo")).await??;
    let mut w = store.begin_write().await?;
    seed(&mut w.tx, now, &hash).await?;
    w.tx.commit().await?;
    Ok(true)
}

async fn insert_unit(tx: &mut Transaction<'static, Any>, name: &str, kind: &str) -> Result<i64, sqlx::Error> {
    let id = next_id(tx, "unit").await?;
    sqlx::query("INSERT INTO units (id, name, kind) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

pub async fn insert_user(
    tx: &mut Transaction<'static, Any>,
    (username, name, role, profession, unit): (&str, &str, &str, &str, i64),
    hash: &str,
    now: EpochMs,
) -> Result<i64, sqlx::Error> {
    let id = next_id(tx, "user").await?;
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, profession, unit_id, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(username)
    .bind(name)
    .bind(role)
    .bind(profession)
    .bind(unit)
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// What one demo item needs beyond the generated text.
struct Spec {
    kind: ItemKind,
    assignee: Option<i64>,
    unit: i64,
    status: ItemStatus,
    green: bool,
    room: Option<(i64, EpochMs)>,
}

async fn seed(tx: &mut Transaction<'static, Any>, now: EpochMs, hash: &str) -> anyhow::Result<()> {
    let firm = insert_unit(tx, "明德律师事务所", "law_firm").await?;
    let office = insert_unit(tx, "城关基层法律服务所", "grassroots_office").await?;
    let centre = insert_unit(tx, "区公共法律服务中心", "service_centre").await?;
    let lawyer = insert_user(tx, ("lawyer", "张明律师", "lawyer", "lawyer", firm), hash, now).await?;
    let lawyer2 = insert_user(tx, ("lawyer2", "李华律师", "lawyer", "lawyer", firm), hash, now).await?;
    let mediator = insert_user(
        tx,
        ("mediator", "王芳", "mediator", "grassroots_worker", centre),
        hash,
        now,
    )
    .await?;
    let operator = insert_user(
        tx,
        ("operator", "赵磊", "operator", "grassroots_worker", centre),
        hash,
        now,
    )
    .await?;
    insert_user(
        tx,
        ("coordinator", "陈静", "coordinator", "grassroots_worker", office),
        hash,
        now,
    )
    .await?;
    insert_user(tx, ("admin", "系统管理员", "admin", "lawyer", centre), hash, now).await?;

    let mut rooms = Vec::new();
    for name in ["律师调解室一号", "律师调解室二号"] {
        let id = next_id(tx, "room").await?;
        sqlx::query("INSERT INTO rooms (id, name, unit_id, operator_id) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(centre)
            .bind(operator)
            .execute(&mut **tx)
            .await?;
        rooms.push(id);
    }

    let mut specs = Vec::new();
    // lawyer: open items of every kind, plus closed history.
    for (i, kind) in [ItemKind::Consultation, ItemKind::ProBono, ItemKind::Mediation]
        .into_iter()
        .enumerate()
    {
        for status in [
            ItemStatus::New,
            ItemStatus::Accepted,
            ItemStatus::InProgress,
            ItemStatus::Waiting,
        ] {
            specs.push(Spec {
                kind,
                assignee: Some(lawyer),
                unit: firm,
                status,
                green: kind == ItemKind::ProBono,
                room: None,
            });
        }
        specs.push(Spec {
            kind,
            assignee: Some(lawyer),
            unit: firm,
            status: ItemStatus::Cancelled,
            green: i == 0,
            room: None,
        });
    }
    for status in [
        ItemStatus::Accepted,
        ItemStatus::InProgress,
        ItemStatus::New,
        ItemStatus::Cancelled,
    ] {
        specs.push(Spec {
            kind: ItemKind::Consultation,
            assignee: Some(lawyer2),
            unit: firm,
            status,
            green: false,
            room: None,
        });
    }
    // The firm's on-duty pool, shared by lawyer and lawyer2.
    for i in 0..10 {
        let kind = if i % 3 == 2 {
            ItemKind::ProBono
        } else {
            ItemKind::Consultation
        };
        specs.push(Spec {
            kind,
            assignee: None,
            unit: firm,
            status: ItemStatus::New,
            green: i % 4 == 0,
            room: None,
        });
    }
    // Mediation sessions today and tomorrow in both rooms.
    let today = today_shanghai(now);
    let day_start = day_bounds(today).map(|b| b.0).unwrap_or(now);
    for day in 0..2 {
        for slot in 0..4 {
            let room = rooms[slot % 2];
            let start = day_start + day * 24 * HOUR_MS + (9 + 2 * slot as i64) * HOUR_MS + 30 * MINUTE_MS;
            let status = if day == 0 && slot == 0 {
                ItemStatus::InProgress
            } else {
                ItemStatus::Accepted
            };
            specs.push(Spec {
                kind: ItemKind::Mediation,
                assignee: Some(mediator),
                unit: centre,
                status,
                green: slot == 3,
                room: Some((room, start)),
            });
        }
    }
    // The centre's and the office's own work, for coordinators and the pool.
    for i in 0..20 {
        let kind = if i % 2 == 0 {
            ItemKind::Consultation
        } else {
            ItemKind::ProBono
        };
        let status = if i < 4 {
            ItemStatus::Cancelled
        } else {
            ItemStatus::New
        };
        specs.push(Spec {
            kind,
            assignee: None,
            unit: if i < 10 { office } else { centre },
            status,
            green: i % 5 == 0,
            room: None,
        });
    }
    for i in 0..3 {
        specs.push(Spec {
            kind: ItemKind::Mediation,
            assignee: Some(mediator),
            unit: centre,
            status: if i == 0 {
                ItemStatus::Waiting
            } else {
                ItemStatus::New
            },
            green: false,
            room: None,
        });
    }

    let mut rng = Lcg(20_200_512);
    for (n, spec) in specs.iter().enumerate() {
        insert_item(tx, &mut rng, n as i64, spec, rooms[0], now).await?;
    }
    seed_duty(tx, now, &[lawyer, lawyer2, mediator]).await?;
    for c in campaigns() {
        sqlx::query("INSERT INTO campaigns (id, definition) VALUES ($1, $2)")
            .bind(&c.id)
            .bind(serde_json::to_string(&c)?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn insert_item(
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
    let (title, description) = title_for(category, s.kind, &who, firm);
    let frontline = s
        .green
        .then(|| FrontlineGroup::ALL[rng.next(FrontlineGroup::ALL.len())]);
    let created = now - (1 + rng.next(72) as i64) * HOUR_MS;
    let mut parties = vec![Party {
        name: who.clone(),
        role: "申请人".into(),
        contact: Some(format!("138{:08}", rng.next(100_000_000))),
    }];
    if s.kind == ItemKind::Mediation {
        parties.push(Party {
            name: firm.to_string(),
            role: "被申请人".into(),
            contact: None,
        });
    }
    let (room, start) = match (s.kind, s.room) {
        (_, Some((room, start))) => (Some(room), Some(start)),
        (ItemKind::Mediation, None) => (Some(default_room), Some(now + (48 + n) * HOUR_MS)),
        _ => (None, None),
    };
    let due = due_at(s.kind, channel, s.green, created, start);
    let id = next_id(tx, "item").await?;
    let seq = next_id(tx, "change_seq").await?;
    sqlx::query(
        "INSERT INTO items (id, kind, title, description, channel, category, green_channel, frontline_group, \
         fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, typical_case, \
         scheduled_start, scheduled_end, room_id, join_link, version, change_seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22)",
    )
    .bind(id)
    .bind(s.kind.as_str())
    .bind(title)
    .bind(description)
    .bind(channel.as_str())
    .bind(category.as_str())
    .bind(b(s.green))
    .bind(frontline.map(|f| f.as_str()))
    .bind(b(s.green || s.kind == ItemKind::ProBono))
    .bind(s.status.as_str())
    .bind(s.assignee)
    .bind(s.unit)
    .bind(serde_json::to_string(&parties)?)
    .bind(due)
    .bind(created)
    .bind(created)
    .bind(b(n % 17 == 5))
    .bind(start)
    .bind(start.map(|t| t + 90 * MINUTE_MS))
    .bind(room)
    .bind((channel == Channel::Video && room.is_some()).then(|| format!("https://meet.example.cn/room/{id}")))
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO item_history (id, item_id, at, actor_id, action, from_status, to_status, note) \
         VALUES ($1, $2, $3, NULL, 'created', NULL, 'new', '')",
    )
    .bind(next_id(tx, "history").await?)
    .bind(id)
    .bind(created)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn seed_duty(
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
            let id = next_id(tx, "duty").await?;
            sqlx::query(
                "INSERT INTO duty_shifts (id, user_id, place, starts_at, ends_at, checked_in_at, checked_out_at, version) \
                 VALUES ($1, $2, $3, $4, $5, NULL, NULL, 1)",
            )
            .bind(id)
            .bind(user)
            .bind(places[(day as usize + i) % places.len()])
            .bind(starts)
            .bind(starts + 8 * HOUR_MS)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
