//! The Stats screen's commands: the campaign list, one period's form with
//! what the outbox still holds for it, and exports written to a file.

use tokio::sync::mpsc;

use super::{ClientBackend, send};
use crate::api::stats::StatsQuery;
use crate::api::{NewActivity, NewOutcome, StatsForm, StatsScope, paths};
use crate::domain::campaign::{
    CampaignDef, FactItem, FactOwner, OutcomeFigures, RecordFact, SHIPPED, parse_definition,
};
use crate::domain::{Profession, Role};
use crate::report::Format;
use crate::tui::model::{Message, Screen, StatsPending};

/// Whose form the Stats screen asks for.
pub(super) struct Whose {
    pub scope: StatsScope,
    pub unit: Option<i64>,
    pub by_unit: bool,
}

impl ClientBackend {
    pub(super) async fn fetch_campaigns(&self, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        let fetched = self.engine.campaigns().await;
        if let Some(list) = self.shown_on(Screen::Stats, fetched, tx).await? {
            send(tx, Message::CampaignsLoaded(list)).await;
        }
        Ok(())
    }

    /// Each campaign's next deadline, for the status bar. Best effort: a
    /// campaign whose periods cannot be had shows no countdown.
    pub(super) async fn fetch_deadlines(&self, tx: &mpsc::Sender<Message>) {
        let Ok(list) = self.engine.campaigns().await else {
            return;
        };
        let now = crate::domain::clock::now_ms();
        let mut out = Vec::new();
        for c in list.value.campaigns {
            let Ok(periods) = self.engine.periods(&c.id).await else {
                continue;
            };
            if let Some(p) = periods
                .value
                .periods
                .iter()
                .filter(|p| p.open && p.due_by > now)
                .min_by_key(|p| p.due_by)
            {
                out.push(crate::tui::deadlines::Deadline {
                    campaign_zh: c.name_zh.clone(),
                    campaign_en: c.name_en.clone(),
                    due_by: p.due_by,
                });
            }
        }
        send(tx, Message::DeadlinesLoaded(out)).await;
    }

    /// The user's open items past their due time and, for a coordinator,
    /// the unit's (`/units/{id}/items?status=overdue`). Best effort: what
    /// cannot be had now is not said.
    pub(super) async fn fetch_overdue(&self, tx: &mpsc::Sender<Message>) {
        let now = crate::domain::clock::now_ms();
        // Only the overdue ones, as slim as the queue's rows: the notice
        // names them by id and title.
        let mut items = self
            .store()
            .overdue_queue_items(crate::client::store::MINE, now)
            .await
            .unwrap_or_default();
        // Who is signed in: cached by `login`; a token from the environment
        // never went through it, so ask.
        let me = match self
            .engine
            .cached_doc::<crate::api::User>(crate::client::sync::ME_KEY)
            .await
        {
            Ok(Some(me)) => Some(me),
            _ => self
                .engine
                .fetch_or_cached::<crate::api::User>(paths::ME, crate::client::sync::ME_KEY)
                .await
                .ok()
                .map(|f| f.value),
        };
        if let Some(me) = me
            && matches!(me.role, Role::Coordinator)
        {
            let path = format!("{}?status=overdue", paths::with_id(paths::UNIT_ITEMS, me.unit.id));
            let unit = self
                .engine
                .fetch_or_cached::<crate::api::intake::UnitItemPage>(&path, "unit-overdue")
                .await;
            if let Ok(page) = unit {
                items.extend(page.value.items);
            }
        }
        items.retain(|i| crate::tui::overdue::is_overdue(i, now));
        send(tx, Message::OverdueLoaded(items)).await;
    }

    pub(super) async fn fetch_stats(
        &self,
        campaign: &str,
        period: Option<(String, String)>,
        whose: Whose,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let periods = match self.engine.periods(campaign).await {
            Err(e) if super::not_for_role(&e) => {
                send(tx, Message::NotForRole(Screen::Stats)).await;
                return Ok(());
            }
            other => other.map_err(|e| self.offline(e, tx))?,
        };
        let query = StatsQuery {
            period: period.map(|(start, end)| format!("{start}..{end}")),
            scope: Some(whose.scope),
            unit: whose.unit,
            by: whose.by_unit.then_some(crate::api::rollup::StatsBy::Unit),
        };
        let form = match self.engine.stats(campaign, &query).await {
            Err(e) if super::not_for_role(&e) => {
                send(tx, Message::NotForRole(Screen::Stats)).await;
                return Ok(());
            }
            other => other.map_err(|e| self.offline(e, tx))?,
        };
        if periods.stale.is_some() || form.stale.is_some() {
            send(tx, Message::Online(false)).await;
        }
        let pending = self.pending_for(&form.value).await;
        let hours_by_day = form
            .value
            .my_minutes_by_day
            .iter()
            .map(|m| u64::try_from(*m).unwrap_or(0))
            .collect();
        send(
            tx,
            Message::StatsLoaded {
                periods: periods.value,
                hours_by_day,
                form: Box::new(form.value),
            },
        )
        .await;
        send(tx, Message::StatsPending(pending)).await;
        Ok(())
    }

    /// What the unsent outbox entries would add to this form's period, by
    /// the campaign's rules where this build ships them (the server is the
    /// judge; this is what the lawyer sees as "pending").
    async fn pending_for(&self, form: &StatsForm) -> StatsPending {
        let Some(def) = shipped(&form.campaign_id) else {
            return StatsPending::default();
        };
        let Ok(entries) = self.store().outbox().await else {
            return StatsPending::default();
        };
        let mut facts = Vec::new();
        // Sent entries leave the outbox: every entry here is unsent. One
        // the server refused counts for nothing until it is fixed and sent.
        let waiting = entries
            .iter()
            .filter(|e| e.state == crate::client::store::EntryState::Pending);
        for entry in waiting {
            if entry.path == paths::ACTIVITIES {
                if let Ok(a) = serde_json::from_value::<NewActivity>(entry.body.clone()) {
                    facts.push(RecordFact::activity(
                        a.indicator,
                        (a.count, a.count2.unwrap_or(0)),
                        a.occurred_at.unwrap_or(entry.created_at),
                        nobody(),
                    ));
                }
            } else if let Some(item_id) = crate::client::edit::outcome_item(&entry.path)
                && let Ok(o) = serde_json::from_value::<NewOutcome>(entry.body.clone())
                && let Ok(Some(item)) = self.store().cached_item(item_id).await
            {
                let on = FactItem {
                    kind: Some(item.kind),
                    category: Some(item.category),
                    green_channel: item.green_channel,
                    channel: Some(item.channel),
                    enterprise_party: item
                        .parties
                        .iter()
                        .any(|p| p.kind == crate::domain::PartyKind::Enterprise),
                };
                let figures = OutcomeFigures {
                    code: Some(o.code),
                    settled_fen: o.settled_amount.map_or(0, |y| y.fen()),
                    fee_waived_fen: o.fee_waived.map_or(0, |y| y.fen()),
                };
                let at = o.occurred_at.unwrap_or(entry.created_at);
                facts.push(RecordFact::outcome(on, figures, false, at, nobody()));
            }
        }
        StatsPending::from_facts(&def, &form.period.start, &facts)
    }

    pub(super) async fn export_stats(
        &self,
        format: Format,
        form: &StatsForm,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let lang = crate::i18n::Language::parse(&rust_i18n::locale()).unwrap_or_default();
        let ext = match format {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Table => "txt",
        };
        // From the server: only what is safe in a file name, never a path.
        let part = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let name = format!(
            "dutydesk-{}-{}.{ext}",
            part(&form.campaign_id),
            part(&form.period.start)
        );
        let path = self.export_dir.join(name);
        let form = form.clone();
        let target = path.clone();
        let written = tokio::task::spawn_blocking(move || {
            crate::report::write(&form, format, lang, Some(target.as_path())).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
        let message = match written {
            Ok(()) => Message::ExportDone {
                path: path.display().to_string(),
            },
            Err(message) => Message::ExportFailed { message },
        };
        send(tx, message).await;
        Ok(())
    }
}

/// The shipped definition of a campaign, with its rules.
fn shipped(campaign_id: &str) -> Option<CampaignDef> {
    SHIPPED
        .iter()
        .filter_map(|(_, text)| parse_definition(text).ok())
        .find(|d| d.id == campaign_id)
}

/// Whose and when do not matter for what is pending: only the counts.
fn nobody() -> FactOwner {
    FactOwner {
        profession: Profession::Lawyer,
        unit_id: 0,
        user_id: 0,
    }
}
