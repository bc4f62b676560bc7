//! Change-triggered checks: CloudTrail log files a trail delivers to S3, each management
//! write event mapped to the inventory pieces it can change, only those re-collected and
//! only the checks that read them re-run.
