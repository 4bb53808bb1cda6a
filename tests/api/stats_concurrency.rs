//! Rebuilds running while records arrive lose nothing and count nothing
//! twice: afterwards, a rebuild finds every cell already right.

use dutydesk::server::stats_admin::rebuild_all;
use futures_util::future::join_all;
use serde_json::json;

use crate::on_all_backends_at;
use crate::support::{Ctx, json as body};

/// 2026-04-10 10:00 in Beijing: inside both campaigns.
const APRIL: i64 = 1_775_786_400_000;

async fn concurrency_case(ctx: &Ctx) {
    let store = ctx.server.as_ref().unwrap().store.clone();
    let token = ctx.login("lawyer").await;
    let posts = (0..40).map(|n| {
        let token = token.clone();
        async move {
            let req = json!({"indicator": "enterprises_visited", "count": 1 + n % 3, "occurred_at": APRIL});
            body(
                ctx.post_idem(&token, "/api/v1/activities", &format!("race-{n}"), req)
                    .await,
                201,
            )
            .await;
        }
    });
    let rebuilds = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { rebuild_all(&store).await.map(|_| ()).map_err(|e| e.to_string()) })
    });
    let (_, rebuilt) = tokio::join!(join_all(posts), join_all(rebuilds));
    for r in rebuilt {
        r.unwrap().unwrap();
    }
    let report = rebuild_all(&store).await.unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] {:?}",
        ctx.backend,
        report.changes
    );
    let f = body(
        ctx.get(
            &token,
            "/api/v1/campaigns/form1-enterprise-service/stats?period=2026-04-01..2026-04-15&scope=me",
        )
        .await,
        200,
    )
    .await;
    let row = f["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "enterprises_visited")
        .unwrap();
    // 40 visits of 1, 2, 3, 1, 2, 3, ...: 14×1 + 13×2 + 13×3.
    assert_eq!(row["total"]["value1"], 14 + 26 + 39, "[{}]", ctx.backend);
}
on_all_backends_at!(
    rebuilds_during_records_lose_nothing,
    concurrency_case,
    crate::support::APRIL_12
);
