//! Whose store this is: the cache, sync cursors, drafts and timer belong to
//! the (server, user) pair signed in. A different pair signing in, or
//! signing out, leaves nothing of the previous user's reads on screen;
//! their drafts and timer wait for them, and their unsent outbox entries
//! stay theirs (sent only with their token).

use super::{LocalStore, StoreError, Writer};

impl LocalStore {
    /// The owner that drafts and the timer are read and written under:
    /// `("", "")` while nobody is known.
    pub(super) fn owner(&self) -> (&str, &str) {
        match &self.writer {
            Some(w) => (w.user.as_str(), w.server.as_str()),
            None => ("", ""),
        }
    }

    /// Forgets everything read from the server: cached items and
    /// documents (the signed-in user among them) and the sync cursors, in
    /// one transaction. The outbox, drafts and timers stay.
    pub async fn forget_reads(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for statement in [
            "DELETE FROM cached_items",
            "DELETE FROM cached_docs",
            "DELETE FROM sync_state",
        ] {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Becomes `writer`'s store. When someone else's reads are cached they
    /// go first, so nothing of theirs is shown to `writer`; drafts and a
    /// timer kept from before owners were recorded become `writer`'s.
    pub async fn switch_to(self, writer: Writer) -> Result<LocalStore, StoreError> {
        if self.writer.as_ref() != Some(&writer) {
            self.forget_reads().await?;
        }
        let store = self.with_writer(writer);
        store.adopt_unowned().await?;
        Ok(store)
    }

    /// Gives rows without an owner (written before owners were recorded)
    /// to the signed-in user.
    pub async fn adopt_unowned(&self) -> Result<(), StoreError> {
        let (user, server) = self.owner();
        if user.is_empty() {
            return Ok(());
        }
        // Read first: most opens find none, and need no write lock.
        let unowned: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM drafts WHERE owner_user = '' AND owner_server = '') \
             OR EXISTS (SELECT 1 FROM timer WHERE owner_user = '' AND owner_server = '')",
        )
        .fetch_one(&self.pool)
        .await?;
        if !unowned {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        // OR IGNORE: a row the user already has under the same key wins.
        for statement in [
            "UPDATE OR IGNORE drafts SET owner_user = ?, owner_server = ? \
             WHERE owner_user = '' AND owner_server = ''",
            "UPDATE OR IGNORE timer SET owner_user = ?, owner_server = ? \
             WHERE owner_user = '' AND owner_server = ''",
        ] {
            sqlx::query(statement)
                .bind(user)
                .bind(server)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
