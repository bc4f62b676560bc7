//! Recording a run as a stream of parts (one account at a time), so memory does not grow
//! with the estate: [`crate::Store::begin_run`] / [`crate::PgStore::begin_run`].
