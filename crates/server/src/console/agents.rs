//! Agents that report in: last seen, version, health; silent ones flagged.

use crate::routes::Table;

pub(crate) fn routes() -> Table {
    vec![]
}
