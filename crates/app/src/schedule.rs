//! Schedules: a scan per scope (organisation, account, region) every interval with jitter,
//! never two overlapping runs of one scope, a run missed during downtime run once at start.
