//! The Dispatch screen's network: the signed-in coordinator's unit, its
//! open work (every page) and its people with their load, fetched side by
//! side; assigning at once on the server (no outbox: a coordinator's
//! decision is the server's to accept or refuse now).

use tokio::sync::mpsc;

use super::screens_flow::not_for_role;
use super::{ClientBackend, send};
use crate::api::dispatch::UnitPeople;
use crate::api::intake::{AssignRequest, ItemWithConflicts, UnitItemPage};
use crate::api::{ProblemCode, User, WorkItem, paths};
use crate::client::http::{Api, Fetched, HttpError};
use crate::client::sync::{ME_KEY, PullError};
use crate::tui::model::{Command, Message, Screen};

/// At most this many pages of the unit's open work (50 each): a unit with
/// more sees the soonest due first, which is what dispatching needs.
const MAX_PAGES: usize = 40;

impl ClientBackend {
    /// `unit`: one below the coordinator's own; `None` their own.
    pub(super) async fn fetch_dispatch(
        &self,
        unit: Option<i64>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let me = match (unit, self.engine.cached_doc::<User>(ME_KEY).await) {
            (Some(unit), _) => unit,
            (None, Ok(Some(me))) => me.unit.id,
            (None, _) => match self.engine.fetch_doc::<User>(paths::ME, ME_KEY).await {
                Ok(Some(me)) => me.unit.id,
                Ok(None) => return Err(rust_i18n::t!("intake.cli.no_answer").into_owned()),
                Err(e) => return Err(self.offline(e, tx)),
            },
        };
        let api = self.engine.api();
        let unit = me;
        let people_path = paths::with_id(paths::UNIT_PEOPLE, unit);
        let (people, items) = tokio::join!(api.get::<UnitPeople>(&people_path, None), open_items(api, unit));
        let fetched = people.and_then(|p| match p {
            Fetched::Fresh { value, .. } => Ok(value),
            Fetched::NotModified => Err(HttpError::BadResponse {
                url: people_path.clone(),
                reason: "304 without a cached copy".into(),
            }),
        });
        let both = fetched.and_then(|p| items.map(|i| (p, i)));
        match both {
            Ok((people, items)) => {
                send(tx, Message::Online(true)).await;
                send(
                    tx,
                    Message::DispatchLoaded {
                        unit: (people.unit_id, people.unit_name),
                        items,
                        people: people.people,
                        units_below: people.units_below,
                    },
                )
                .await;
                Ok(())
            }
            Err(e) => {
                let e = PullError::Http(e);
                if not_for_role(&e) {
                    send(tx, Message::NotForRole(Screen::Dispatch)).await;
                    return Ok(());
                }
                Err(self.offline(e, tx))
            }
        }
    }

    /// `Command::Assign`: answered by `Assigned`, or `AssignStale` on a 409.
    pub(super) async fn assign(&self, cmd: Command, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        let Command::Assign {
            item_id,
            assignee_id,
            version,
            reason,
        } = cmd
        else {
            return Ok(());
        };
        let req = AssignRequest {
            assignee_id,
            version,
            reason,
        };
        let body = serde_json::to_value(&req).map_err(|e| e.to_string())?;
        let path = paths::with_id(paths::ITEM_ASSIGN, item_id);
        match self.engine.api().post::<ItemWithConflicts>(&path, &body).await {
            Ok(answer) => {
                send(
                    tx,
                    Message::Assigned {
                        item: Box::new(answer.item),
                        conflicts: answer.conflicts,
                    },
                )
                .await;
                Ok(())
            }
            Err(HttpError::Refused { problem }) if problem.code == ProblemCode::VersionConflict => {
                send(tx, Message::AssignStale { item_id }).await;
                Ok(())
            }
            Err(e) => Err(self.offline(PullError::Http(e), tx)),
        }
    }
}

/// Every page of the unit's open work, up to [`MAX_PAGES`].
async fn open_items(api: &Api, unit: i64) -> Result<Vec<WorkItem>, HttpError> {
    let base = paths::with_id(paths::UNIT_ITEMS, unit);
    let mut items = Vec::new();
    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let path = format!("{base}?status=open&offset={offset}");
        let page = match api.get::<UnitItemPage>(&path, None).await? {
            Fetched::Fresh { value, .. } => value,
            Fetched::NotModified => break,
        };
        items.extend(page.items);
        match page.next {
            Some(next) => offset = next,
            None => break,
        }
    }
    Ok(items)
}
