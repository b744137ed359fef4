//! Reading result columns by name. A statement's column list and the positions its rows are
//! read at come from one declaration, [`columns!`], so the two cannot drift apart: the list is a
//! `&'static str` built by `concat!` (statement text, and so the prepared-statement caches, stay
//! as they were) and each position is an enum discriminant, known at compile time.
//!
//! ```ignore
//! columns! {
//!     /// The columns of a chain head.
//!     enum HeadCol { Seq = "last_seq", Hash = "last_hash" }
//!     /// A merchant's chain head.
//!     const HEAD = "SELECT " + COLUMNS + " FROM audit_heads WHERE merchant_id = ?1";
//! }
//! // HeadCol::LIST == "last_seq, last_hash"; HEAD is the whole statement.
//! let seq = row.i64(HeadCol::Seq)?;
//! ```

/// A column of a result row: where it sits and what the statement selects there (for errors).
pub trait Column: Copy {
    /// Its position in the row.
    fn index(self) -> usize;
    /// The selected expression (`payment_links.id`, `COALESCE(d.url, w.url)`, …).
    fn name(self) -> &'static str;
}

/// The one column of a single-column statement (`SELECT count(*)`, `RETURNING id`): there is no
/// list to drift from, and the name says so where a bare `0` would not.
#[derive(Clone, Copy, Debug)]
pub struct Only;

impl Column for Only {
    fn index(self) -> usize {
        0
    }

    fn name(self) -> &'static str {
        "(the only column)"
    }
}

/// A bare position, for code outside the store (benches, tests); the store reads by name.
impl Column for usize {
    fn index(self) -> usize {
        self
    }

    fn name(self) -> &'static str {
        "(by position)"
    }
}

/// Declares a statement's columns once: an enum with one variant per column (its discriminant
/// is the position), `LIST` (the comma-separated column list), `COUNT`, and optionally whole
/// statements written as `"…" + COLUMNS + "…"`, concatenated at compile time.
macro_rules! columns {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $first:ident = $first_sql:literal $(, $var:ident = $sql:literal)* $(,)?
        }
        $($statements:tt)*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $first,
            $($var,)*
        }

        // Not every declaration uses every constant (some only through their statements).
        #[allow(dead_code)]
        impl $name {
            /// The columns, comma-separated, in position order.
            $vis const LIST: &'static str = concat!($first_sql $(, ", ", $sql)*);
            /// How many columns there are.
            $vis const COUNT: usize = Self::NAMES.len();
            const NAMES: &'static [&'static str] = &[$first_sql $(, $sql)*];
        }

        impl $crate::store::columns::Column for $name {
            #[inline]
            fn index(self) -> usize {
                self as usize
            }

            fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }
        }

        $crate::store::columns::columns!(@statements [$first_sql $(, ", ", $sql)*] $($statements)*);
    };
    (@statements [$($list:tt)*]) => {};
    (
        @statements [$($list:tt)*]
        $(#[$meta:meta])*
        $vis:vis const $stmt:ident = $pre:literal + COLUMNS $(+ $post:literal)?;
        $($rest:tt)*
    ) => {
        $(#[$meta])*
        $vis const $stmt: &str = concat!($pre, $($list)*, $($post)?);
        $crate::store::columns::columns!(@statements [$($list)*] $($rest)*);
    };
}

pub(crate) use columns;

#[cfg(test)]
mod tests {
    use super::Column;

    columns! {
        enum Probe { First = "a.first", Second = "COALESCE(b, c)", Third = "third" }
        const SELECT = "SELECT " + COLUMNS + " FROM t";
        const RETURNING = "UPDATE t SET x = 1 RETURNING " + COLUMNS;
    }

    #[test]
    fn one_declaration_gives_the_list_the_positions_and_the_names() {
        assert_eq!(Probe::LIST, "a.first, COALESCE(b, c), third");
        assert_eq!(Probe::COUNT, 3);
        assert_eq!(SELECT, "SELECT a.first, COALESCE(b, c), third FROM t");
        assert_eq!(RETURNING, "UPDATE t SET x = 1 RETURNING a.first, COALESCE(b, c), third");
        assert_eq!((Probe::First.index(), Probe::Third.index()), (0, 2));
        assert_eq!(Probe::Second.name(), "COALESCE(b, c)");
    }
}
