//! Benign CloudTrail records (filled in below).
