//! Workers that read AWS: one account × region (or an account's global services) per job,
//! through `rampart_collect_aws` (the [`crate::jobs::Collector`] of `rampart worker` without
//! `--snapshot`).
