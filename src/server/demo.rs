//! Demo data: a district bureau (钟楼区司法局) over two law firms, a
//! grassroots office, the legal aid centre and a notary office; twelve users
//! (password `demo`), about 70 work items in Chinese, two mediation rooms with sessions today and
//! tomorrow, this week's duty roster and the two shipped campaigns (`campaigns/*.toml`).
//! Times are relative to `now`, so the demo always looks alive; the same
//! `now` gives the same data.

use sqlx::{Any, Transaction};

use super::auth::hash_password;
use super::db::Store;
use super::demo_items::{Lcg, Spec, insert_item, seed_conflict, seed_duty};
use super::schedule::{day_bounds, today_shanghai};
use super::storage::seed::{has_no_users, insert_room, lock_and_recheck_empty};
use super::storage::units::{insert_unit, set_parent};
use super::storage::user_admin::{AddUserError, NewUser, insert_user};
use crate::domain::{EpochMs, HOUR_MS, ItemKind, ItemStatus, MINUTE_MS, Profession, Role, UnitKind};

pub const DEMO_USERS: [&str; 12] = [
    "lawyer",
    "lawyer2",
    "mediator",
    "operator",
    "coordinator",
    "admin",
    "worker",
    "lawyer3",
    "notary",
    "bureau",
    "intake",
    "lawyer4",
];

/// Whether the database holds no user yet (the demo seeds only then).
pub async fn is_empty(store: &Store) -> Result<bool, sqlx::Error> {
    has_no_users(store).await
}

/// Seeds only an empty database; returns whether it seeded.
pub async fn seed_if_empty(store: &Store, now: EpochMs) -> anyhow::Result<bool> {
    if !is_empty(store).await? {
        return Ok(false);
    }
    // argon2 is slow on purpose: hash once, share among the demo users.
    let hash = tokio::task::spawn_blocking(|| hash_password("demo")).await??;
    let mut w = store.begin_write().await?;
    if store.is_postgres() && !lock_and_recheck_empty(&mut w.tx).await? {
        return Ok(false);
    }
    seed(&mut w.tx, now, &hash).await?;
    w.tx.commit().await?;
    Ok(true)
}

/// One demo user: username, display name, role, profession, unit.
async fn add_user(
    tx: &mut Transaction<'static, Any>,
    (username, display_name, role, profession, unit_id): (&str, &str, Role, Profession, i64),
    hash: &str,
    now: EpochMs,
) -> anyhow::Result<i64> {
    let user = NewUser {
        username,
        display_name,
        role,
        profession,
        unit_id,
    };
    insert_user(tx, &user, hash, now).await.map_err(|e| match e {
        // Seeding runs only on an empty database.
        AddUserError::Exists => anyhow::anyhow!("demo user {username} is already there"),
        AddUserError::Sql(e) => e.into(),
    })
}

async fn seed(tx: &mut Transaction<'static, Any>, now: EpochMs, hash: &str) -> anyhow::Result<()> {
    // The first three units keep ids 1..3 (tests and scripts name unit 1);
    // the bureau above them comes next.
    let firm = insert_unit(tx, "明德律师事务所", UnitKind::LawFirm, None).await?;
    let office = insert_unit(tx, "城关基层法律服务所", UnitKind::GrassrootsOffice, None).await?;
    let centre = insert_unit(tx, "钟楼区法律援助中心", UnitKind::LegalAidCentre, None).await?;
    let bureau = insert_unit(tx, "钟楼区司法局", UnitKind::DistrictBureau, None).await?;
    for unit in [firm, office, centre] {
        set_parent(tx, unit, Some(bureau)).await?;
    }
    let firm2 = insert_unit(tx, "正衡律师事务所", UnitKind::LawFirm, Some(bureau)).await?;
    let notary_office = insert_unit(tx, "钟楼公证处", UnitKind::NotaryOffice, Some(bureau)).await?;
    // In id order: tests and scripts name some users by id, and the ones
    // added with later features come last so the ids above stay.
    #[rustfmt::skip]
    let people: [(&str, &str, Role, Profession, i64); 12] = [
        ("lawyer", "张明律师", Role::Lawyer, Profession::Lawyer, firm),
        ("lawyer2", "李华律师", Role::Lawyer, Profession::Lawyer, firm),
        ("mediator", "王芳", Role::Mediator, Profession::GrassrootsWorker, centre),
        ("operator", "赵磊", Role::Operator, Profession::GrassrootsWorker, centre),
        ("coordinator", "陈静", Role::Coordinator, Profession::GrassrootsWorker, office),
        ("admin", "系统管理员", Role::Admin, Profession::Lawyer, centre),
        // The grassroots office's own worker, who logs its outreach (the
        // coordinator counts nothing of their own).
        ("worker", "刘洋", Role::Lawyer, Profession::GrassrootsWorker, office),
        // Added with the unit tree.
        ("lawyer3", "孙伟律师", Role::Lawyer, Profession::Lawyer, firm2),
        ("notary", "周敏", Role::Lawyer, Profession::Notary, notary_office),
        ("bureau", "吴刚", Role::Coordinator, Profession::GrassrootsWorker, bureau),
        // The intake desk at the legal aid centre routes to the law firms; a
        // third lawyer at the first firm, so work can pass through three hands.
        ("intake", "钱芳", Role::Intake, Profession::GrassrootsWorker, centre),
        ("lawyer4", "郑凯律师", Role::Lawyer, Profession::Lawyer, firm),
    ];
    let mut ids = [0; 12];
    for (id, person) in ids.iter_mut().zip(people) {
        *id = add_user(tx, person, hash, now).await?;
    }
    let [
        lawyer,
        lawyer2,
        mediator,
        operator,
        _,
        _,
        _,
        lawyer3,
        notary,
        _,
        _,
        _,
    ] = ids;

    let mut rooms = Vec::new();
    for name in ["律师调解室一号", "律师调解室二号"] {
        rooms.push(insert_room(tx, name, centre, operator).await?);
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

    // Some work in the units the tree added: last, so the ids above stay.
    for (i, (assignee, unit)) in [
        (Some(lawyer3), firm2),
        (None, firm2),
        (Some(notary), notary_office),
        (None, notary_office),
    ]
    .into_iter()
    .enumerate()
    {
        specs.push(Spec {
            kind: ItemKind::Consultation,
            assignee,
            unit,
            status: if assignee.is_some() {
                ItemStatus::Accepted
            } else {
                ItemStatus::New
            },
            green: i == 1,
            room: None,
        });
    }

    let mut rng = Lcg(20_200_512);
    for (n, spec) in specs.iter().enumerate() {
        insert_item(tx, &mut rng, n as i64, spec, rooms[0], now).await?;
    }
    seed_conflict(tx, now, firm2, lawyer3).await?;
    seed_duty(tx, now, &[lawyer, lawyer2, mediator]).await?;
    // The shipped definitions with their rules, so demo work counts.
    for (file, source) in crate::domain::campaign::SHIPPED {
        let def = crate::domain::campaign::parse_definition(source)
            .map_err(|e| anyhow::anyhow!("shipped campaign {file}: {e}"))?;
        super::aggregate::store_campaign(tx, &def, source).await?;
    }
    Ok(())
}
