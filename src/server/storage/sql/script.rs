//! Statements sent to the database together. Every call to SQLite costs two
//! thread wake-ups (sqlx runs each SQLite connection on a worker thread of
//! its own), far more than the statements themselves: a group commit's
//! write used to spend 800 µs on a dozen calls doing 60 µs of SQLite work
//! (docs/scale.md). A [`Script`] is one call on SQLite — one query of
//! several statements, which sqlx's SQLite driver runs in order, binding
//! `$N` across the whole text — and one call per statement on PostgreSQL,
//! whose protocol prepares one statement at a time.
//!
//! sqlx marks several statements in one query as deprecated (its issue
//! 3108); this module is the one place that relies on it. Should it go,
//! `together` returns false and every script runs a statement at a time.

use futures_util::TryStreamExt;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{AnyConnection, Arguments, Either, Executor};

/// A value bound to a statement of a script.
#[derive(Debug, Clone)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}

/// The values of one statement, in `$1, $2, …` order.
#[macro_export]
macro_rules! sql_values {
    ($($v:expr),* $(,)?) => {
        vec![$($crate::server::storage::sql::script::Value::from($v)),*]
    };
}

impl Value {
    fn add_to(self, args: &mut AnyArguments) -> Result<(), sqlx::Error> {
        match self {
            Value::Int(v) => args.add(v),
            Value::Text(v) => args.add(v),
        }
        .map_err(sqlx::Error::Encode)
    }
}

#[derive(Clone)]
struct Part {
    sql: &'static str,
    values: Vec<Value>,
}

/// Statements run in order, inside the caller's transaction. The SQL is
/// static text numbering its own values from `$1`, with no `$` outside
/// placeholders (they are renumbered when statements are joined).
#[derive(Default, Clone)]
pub struct Script {
    parts: Vec<Part>,
}

impl Script {
    pub fn new() -> Script {
        Script::default()
    }

    pub fn push(&mut self, sql: &'static str, values: Vec<Value>) -> &mut Script {
        self.parts.push(Part { sql, values });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// How many statements it holds.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// `other`'s statements after this one's.
    pub fn append(&mut self, other: Script) {
        self.parts.extend(other.parts);
    }

    /// Runs every statement, discarding what they return.
    pub async fn run(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        self.run_until_failure(conn).await.1
    }

    /// Runs the statements in order until one fails: how many succeeded,
    /// and the failure (its statement is the next one), if any.
    pub async fn run_until_failure(self, conn: &mut AnyConnection) -> (usize, Result<(), sqlx::Error>) {
        let mut ran = 0;
        let result = self
            .each(conn, |step| {
                if step.is_left() {
                    ran += 1;
                }
            })
            .await;
        (ran, result)
    }

    /// Runs every statement; each statement's rows, in order.
    pub async fn fetch(self, conn: &mut AnyConnection) -> Result<Vec<Vec<AnyRow>>, sqlx::Error> {
        let count = self.parts.len();
        let mut out: Vec<Vec<AnyRow>> = Vec::with_capacity(count);
        let mut rows = Vec::new();
        self.each(conn, |step| match step {
            Either::Left(()) => out.push(std::mem::take(&mut rows)),
            Either::Right(row) => rows.push(row),
        })
        .await?;
        if out.len() != count {
            return Err(sqlx::Error::Protocol(format!(
                "a script of {count} statements answered for {}",
                out.len()
            )));
        }
        Ok(out)
    }

    /// Runs the statements, handing `step` each row and, after each
    /// statement's rows, the statement's end.
    async fn each(
        self,
        conn: &mut AnyConnection,
        mut step: impl FnMut(Either<(), AnyRow>),
    ) -> Result<(), sqlx::Error> {
        if !together(conn) {
            for part in self.parts {
                let mut args = AnyArguments::default();
                for v in part.values {
                    v.add_to(&mut args)?;
                }
                for row in sqlx::query_with(part.sql, args).fetch_all(&mut *conn).await? {
                    step(Either::Right(row));
                }
                step(Either::Left(()));
            }
            return Ok(());
        }
        if self.parts.is_empty() {
            return Ok(());
        }
        let (sql, args) = self.joined()?;
        // Each statement's rows end with its result: that is where one
        // statement's rows stop and the next one's begin.
        let mut steps = conn.fetch_many(sqlx::query_with(sqlx::AssertSqlSafe(sql), args));
        while let Some(next) = steps.try_next().await? {
            step(next.map_left(|_| ()));
        }
        Ok(())
    }

    /// One text of every statement, each one's `$N` moved past the values
    /// of the statements before it, and all the values in that order.
    fn joined(self) -> Result<(String, AnyArguments), sqlx::Error> {
        let mut sql = String::with_capacity(self.parts.iter().map(|p| p.sql.len() + 8).sum());
        let mut args = AnyArguments::default();
        let mut offset = 0;
        for part in self.parts {
            let n = part.values.len();
            renumber(part.sql, offset, &mut sql);
            sql.push_str(";\n");
            for v in part.values {
                v.add_to(&mut args)?;
            }
            offset += n;
        }
        Ok((sql, args))
    }
}

/// Whether this connection runs several statements in one call (SQLite).
fn together(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// Appends `sql` with every `$N` written as `$(N + offset)`.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::renumber;

    #[test]
    fn placeholders_move_past_the_earlier_statements_values() {
        let mut out = String::new();
        renumber("UPDATE t SET a = $1 WHERE b = $2 AND c = $10", 3, &mut out);
        assert_eq!(out, "UPDATE t SET a = $4 WHERE b = $5 AND c = $13");
        let mut none = String::new();
        renumber("SELECT 1", 5, &mut none);
        assert_eq!(none, "SELECT 1");
    }
}
