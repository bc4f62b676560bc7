//! Scan schedules per scope: last run, next run, duration, errors.

use crate::routes::Table;

pub(crate) fn routes() -> Table {
    vec![]
}
