//! Fetching what a screen shows: a 403 (the screen is not for this role)
//! becomes `NotForRole`, and a reload brings the server's word on what a
//! write changed.

use tokio::sync::mpsc;

use super::{ClientBackend, send};
use crate::api::ProblemCode;
use crate::client::http::HttpError;
use crate::client::sync::{Fetch, PullError};
use crate::tui::model::{Message, Screen};

impl ClientBackend {
    /// `^r` or a write the server answered: the lists, then the open
    /// item's detail and the schedule's day, each as the server has it.
    pub(super) async fn reload(
        &self,
        item_id: Option<i64>,
        date: Option<String>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        self.refresh(tx).await?;
        if let Some(id) = item_id
            && let Ok(Fetch { value, stale: None }) = self.engine.item_detail(id).await
        {
            send(tx, Message::ItemDetailLoaded(Box::new(value))).await;
        }
        if let Some(date) = date {
            let fetched = self.engine.schedule(&date).await;
            if let Some(schedule) = self.shown_on(Screen::Schedule, fetched, tx).await? {
                send(tx, Message::ScheduleLoaded(schedule)).await;
            }
        }
        Ok(())
    }

    /// [`shown`](Self::shown) for a screen's data; a 403 (not for this
    /// role) becomes `NotForRole`, said once on the screen, instead of an
    /// error in the status bar. `None` then.
    pub(super) async fn shown_on<T>(
        &self,
        screen: Screen,
        fetched: Result<Fetch<T>, PullError>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<Option<T>, String> {
        match fetched {
            Err(e) if not_for_role(&e) => {
                send(tx, Message::NotForRole(screen)).await;
                Ok(None)
            }
            other => self.shown(other, tx).map(Some),
        }
    }
}

/// The server refused it to this role (403), as opposed to a failure.
pub(super) fn not_for_role(e: &PullError) -> bool {
    matches!(e, PullError::Http(HttpError::Refused { problem }) if problem.code == ProblemCode::Forbidden)
}
