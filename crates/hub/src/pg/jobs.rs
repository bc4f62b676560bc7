//! The job queue (`crate::jobs`) on PostgreSQL: claims with `FOR UPDATE SKIP LOCKED`.
