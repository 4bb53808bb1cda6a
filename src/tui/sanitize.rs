//! The sanitizer lives in `crate::text` (the client CLI shares it and must
//! not depend on the TUI); re-exported here so TUI imports keep working.

pub use crate::text::*;
