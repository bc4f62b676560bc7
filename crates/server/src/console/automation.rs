//! (being built)

use crate::routes::Table;

pub(crate) fn routes() -> Table {
    vec![]
}
