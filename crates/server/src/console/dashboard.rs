//! (being built)

use crate::routes::{r, Table, VIEWER};
use axum::routing::get;

pub(crate) fn routes() -> Table {
    vec![(r("GET", "/", VIEWER), get(super::home))]
}
