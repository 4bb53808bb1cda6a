//! Booking, moving and cancelling a session: sent at once over the client
//! core's API (a room operator's booking should not wait in an outbox, and
//! a clash must come back to the dialog that sent it). Not retried: the
//! dialog keeps the input, so the operator sends again when they choose.

use tokio::sync::mpsc;

use super::{ClientBackend, send};
use crate::api::intake::{CancelRequest, ScheduleRequest};
use crate::api::{ProblemCode, WorkItem, paths};
use crate::client::http::HttpError;
use crate::tui::model::{Clash, Message, SessionRefusal};

impl ClientBackend {
    pub(super) async fn book_session(
        &self,
        item_id: i64,
        request: &ScheduleRequest,
        tx: &mpsc::Sender<Message>,
    ) {
        let path = paths::with_id(paths::ITEM_SCHEDULE, item_id);
        let result = self.post_session(&path, request, tx).await;
        send(tx, Message::SessionAnswered { item_id, result }).await;
    }

    pub(super) async fn cancel_session(
        &self,
        item_id: i64,
        request: &CancelRequest,
        tx: &mpsc::Sender<Message>,
    ) {
        let path = paths::with_id(paths::ITEM_CANCEL, item_id);
        let result = self.post_session(&path, request, tx).await;
        send(tx, Message::SessionAnswered { item_id, result }).await;
    }

    async fn post_session(
        &self,
        path: &str,
        body: &impl serde::Serialize,
        tx: &mpsc::Sender<Message>,
    ) -> Result<Box<WorkItem>, SessionRefusal> {
        let body = serde_json::to_value(body).map_err(|e| SessionRefusal {
            message: e.to_string(),
            clash: None,
        })?;
        match self.engine.api().post::<WorkItem>(path, &body).await {
            Ok(item) => Ok(Box::new(item)),
            Err(e) => {
                if e.is_transient() {
                    let _ = tx.try_send(Message::Online(false));
                }
                Err(refusal(&e))
            }
        }
    }
}

/// The refusal as the dialog shows it: the server's words (in the user's
/// language where the client knows the code), and a clash named in full.
fn refusal(e: &HttpError) -> SessionRefusal {
    let clash = match e {
        HttpError::Refused { problem } if problem.code == ProblemCode::ScheduleConflict => {
            let x = &problem.extra;
            let text = |k: &str| x.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let num = |k: &str| x.get(k).and_then(|v| v.as_i64()).unwrap_or_default();
            Some(Clash {
                item_id: num("clashing_item"),
                title: text("clashing_title"),
                room_taken: text("clash") != "mediator",
                start: num("clashing_start"),
                end: num("clashing_end"),
                room: text("clashing_room"),
                mediator: text("clashing_mediator"),
            })
        }
        _ => None,
    };
    SessionRefusal {
        message: e.to_string(),
        clash,
    }
}
