//! One round of a group commit's batch: one read call for all its writes,
//! the checks in Rust, one write call (see the module above).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, FromRow};

use super::super::script::Script;
use super::super::time_entries::{Asked, DayTotals};
use super::{Answer, Broken, Done, Job, Opened, not_stored};
use crate::domain::campaign::CampaignDef;
use crate::server::aggregate::{TxReads, rules_of};
use crate::server::storage::aggregates::{REVISIONS_SQL, Revision};
use crate::server::storage::{StorageError, StoredResponse};

/// The first write of each key, in order, and the rest (for later rounds).
pub(super) fn one_per_key(jobs: Vec<Job>) -> (Vec<Job>, Vec<Job>) {
    let mut seen = HashSet::new();
    let (mut round, mut later) = (Vec::with_capacity(jobs.len()), Vec::new());
    for job in jobs {
        let (user, key) = job.work.key();
        if seen.insert((user, key.to_string())) {
            round.push(job);
        } else {
            later.push(job);
        }
    }
    (round, later)
}

/// One round of a batch: one read call, the checks, one write call (more
/// only when a write's statements fail).
pub(super) struct Round<'a> {
    pub jobs: Vec<Job>,
    /// The batch's first round begins the transaction and reads the
    /// campaigns' revisions, asking under the last batch's rules.
    pub first: Option<&'a mut Option<(Vec<Revision>, Vec<Arc<CampaignDef>>)>>,
    /// The batch's last round commits.
    pub last: bool,
}

impl Round<'_> {
    pub async fn run(
        self,
        conn: &mut AnyConnection,
        reads: &mut TxReads,
        done: &mut Done,
        last_call: &mut Instant,
    ) -> Result<(), Broken> {
        let Round { jobs, first, last } = self;
        let mut script = Script::new();
        if let Some(rules) = &first {
            script.push("BEGIN IMMEDIATE", Vec::new());
            script.push(REVISIONS_SQL, Vec::new());
            reads.set_defs(rules.as_ref().map(|(_, defs)| defs.clone()).unwrap_or_default());
        }
        let asked: Vec<Asked> = jobs.iter().map(|job| job.work.ask(&mut script, reads)).collect();
        let mut parts = match script.fetch(conn).await {
            Ok(parts) => parts.into_iter(),
            Err(e) => {
                tracing::warn!(error = %e, "group commit: reading for a round failed");
                done.extend(jobs.into_iter().map(|job| (job.answer, Err(not_stored()))));
                return Err(());
            }
        };
        let mut rules_held = true;
        if let Some(rules) = first {
            let revisions = parts.nth(1).unwrap_or_default();
            match held_rules(conn, rules, revisions).await {
                Ok((defs, held)) => {
                    reads.set_defs(defs);
                    rules_held = held;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "group commit: reading the rules failed");
                    done.extend(jobs.into_iter().map(|job| (job.answer, Err(not_stored()))));
                    return Err(());
                }
            }
        }
        let mut days = DayTotals::default();
        let mut writes: Vec<(Answer, StoredResponse, Script)> = Vec::with_capacity(jobs.len());
        let opened: Vec<_> = jobs
            .into_iter()
            .zip(asked)
            .map(|(job, asked)| {
                let opened = job.work.found(&mut parts, asked, reads, rules_held);
                (job, opened)
            })
            .collect();
        for (job, opened) in opened {
            let found = match opened {
                Ok(Opened::New(found)) => *found,
                Ok(Opened::Answered(stored)) => {
                    done.push((job.answer, Ok(stored)));
                    continue;
                }
                Err(refused) => {
                    done.push((job.answer, Err(refused)));
                    continue;
                }
            };
            let mut statements = Script::new();
            statements.push("SAVEPOINT dd_write", Vec::new());
            match job
                .work
                .write_into(conn, reads, found, &mut days, &mut statements)
                .await
            {
                Ok(stored) => writes.push((job.answer, stored, statements)),
                // Refused by its checks: it wrote nothing.
                Err(refused) => done.push((job.answer, Err(refused))),
            }
        }
        if last {
            *last_call = Instant::now();
        }
        write_all(conn, writes, last, done).await
    }
}

/// The rules this batch counts by, from the revisions it read, and whether
/// they are the ones its submissions were asked under (the last batch's).
async fn held_rules(
    conn: &mut AnyConnection,
    rules: &mut Option<(Vec<Revision>, Vec<Arc<CampaignDef>>)>,
    rows: Vec<AnyRow>,
) -> Result<(Vec<Arc<CampaignDef>>, bool), sqlx::Error> {
    let revisions = rows
        .iter()
        .map(Revision::from_row)
        .collect::<Result<Vec<Revision>, _>>()?;
    if let Some((known, defs)) = rules.as_ref()
        && *known == revisions
    {
        return Ok((defs.clone(), true));
    }
    let defs = rules_of(conn, revisions.clone()).await?;
    *rules = Some((revisions, defs.clone()));
    Ok((defs, false))
}

/// Runs the writes' statements in one call, then COMMIT when `commit`.
/// When one write's statements fail, the writes before it stand, it is
/// undone (back to its own savepoint, never released: `ROLLBACK TO` goes
/// to the newest of that name, and COMMIT ends them all) and refused, and
/// the ones after it run in the next call. A failed COMMIT breaks the batch.
async fn write_all(
    conn: &mut AnyConnection,
    mut writes: Vec<(Answer, StoredResponse, Script)>,
    commit: bool,
    done: &mut Done,
) -> Result<(), Broken> {
    loop {
        let mut all = Script::new();
        for (_, _, statements) in &writes {
            all.append(statements.clone());
        }
        let statements = all.len();
        if commit {
            all.push("COMMIT", Vec::new());
        }
        if all.is_empty() {
            return Ok(());
        }
        let (mut ran, result) = all.run_until_failure(conn).await;
        let Err(e) = result else {
            done.extend(writes.into_iter().map(|(answer, stored, _)| (answer, Ok(stored))));
            return Ok(());
        };
        if ran >= statements {
            tracing::warn!(error = %e, "group commit: commit failed");
            done.extend(
                writes
                    .into_iter()
                    .map(|(answer, _, _)| (answer, Err(not_stored()))),
            );
            return Err(());
        }
        let mut rest = writes.into_iter();
        for (answer, stored, statements) in rest.by_ref() {
            if ran < statements.len() {
                // This write's statements failed; those before it stand.
                tracing::debug!(error = %e, "group commit: a write's statements failed");
                if let Err(undo) = conn.execute("ROLLBACK TO dd_write").await {
                    tracing::warn!(error = %undo, "group commit: undoing a failed write failed");
                    done.push((answer, Err(not_stored())));
                    done.extend(rest.map(|(answer, _, _)| (answer, Err(not_stored()))));
                    return Err(());
                }
                done.push((answer, Err(StorageError::from(e))));
                break;
            }
            ran -= statements.len();
            done.push((answer, Ok(stored)));
        }
        writes = rest.collect();
    }
}
