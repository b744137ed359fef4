//! The one interface store code runs SQL through, implemented for SQLite and PostgreSQL. SQL is
//! written once with `?1`-style placeholders; the PostgreSQL side rewrites them to `$1`. Columns
//! use primitive types only (BIGINT, TEXT, BOOLEAN), so one `Value` covers both backends.

pub use super::columns::Column;

/// A parameter or column value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a parameter list: `params![a, b]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { &[$($crate::store::conn::Value::from($v)),*][..] };
}

/// Which database a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database failure, classified where store code needs to react to it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique constraint refused a row; the text names the constraint or its columns.
    #[error("unique violation: {0}")]
    Unique(String),
    /// Some other constraint (check, foreign key, not null).
    #[error("constraint violation: {0}")]
    Constraint(String),
    /// A column held a value of the wrong type, or text its domain type does not parse.
    #[error("unexpected value in column {column} (position {index})")]
    Decode { index: usize, column: &'static str },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("{0}")]
    Other(String),
    /// Anything else the driver or the runtime reported, kept as the source.
    #[error("{0}")]
    Driver(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl DbError {
    /// An error of the driver or the runtime, described by `context`.
    pub fn driver(context: &'static str, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        DbError::Driver(Box::new(crate::service::Context::new(context, e)))
    }
}

impl DbError {
    /// The column `c` held what its reader did not expect.
    pub fn decode(c: impl Column) -> DbError {
        DbError::Decode { index: c.index(), column: c.name() }
    }
}

/// One result row, decoded eagerly. Columns are read by the names a [`columns!`] declaration
/// gives them (positions resolved at compile time), or by position in single-column statements.
///
/// [`columns!`]: super::columns
#[derive(Clone, Debug)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// A non-null integer column.
    pub fn i64(&self, c: impl Column) -> Result<i64, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Int(v)) => Ok(*v),
            _ => Err(DbError::decode(c)),
        }
    }

    /// A nullable integer column.
    pub fn opt_i64(&self, c: impl Column) -> Result<Option<i64>, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Null) => Ok(None),
            _ => self.i64(c).map(Some),
        }
    }

    /// A non-null text column.
    pub fn text(&self, c: impl Column) -> Result<String, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Text(v)) => Ok(v.clone()),
            _ => Err(DbError::decode(c)),
        }
    }

    /// A nullable text column.
    pub fn opt_text(&self, c: impl Column) -> Result<Option<String>, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Null) => Ok(None),
            _ => self.text(c).map(Some),
        }
    }

    /// Moves a non-null text column out of the row (no copy; the row keeps an empty string).
    pub fn take_text(&mut self, c: impl Column) -> Result<String, DbError> {
        match self.0.get_mut(c.index()) {
            Some(Value::Text(v)) => Ok(std::mem::take(v)),
            _ => Err(DbError::decode(c)),
        }
    }

    /// Moves a nullable text column out of the row.
    pub fn take_opt_text(&mut self, c: impl Column) -> Result<Option<String>, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Null) => Ok(None),
            _ => self.take_text(c).map(Some),
        }
    }

    /// A boolean column (BOOLEAN on PostgreSQL, 0/1 on SQLite).
    pub fn bool(&self, c: impl Column) -> Result<bool, DbError> {
        match self.0.get(c.index()) {
            Some(Value::Bool(v)) => Ok(*v),
            Some(Value::Int(v)) => Ok(*v != 0),
            _ => Err(DbError::decode(c)),
        }
    }
}

/// A connection (inside a transaction when used for writes).
pub trait Conn {
    /// Runs a statement and returns its rows (`RETURNING` included).
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;
    /// Runs a statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError>;
    /// Which backend this is, for the few statements that differ.
    fn backend(&self) -> Backend;

    /// Runs a statement planned for these very parameter values (PostgreSQL: an unnamed
    /// statement, so the planner sees e.g. a search pattern instead of a generic plan).
    fn query_planned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        self.query(sql, params)
    }

    /// The first row, if any.
    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}
