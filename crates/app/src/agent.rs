//! Agents that report in: telemetry uploads checked, bound to their host, kept for 30 days,
//! and assessed by the templates that target the host.
