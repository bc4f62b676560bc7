use serde::{Deserialize, Serialize};

/// Data as the collector saw it: read (`Known`), or not readable (`Unknown`, with why).
///
/// A check that needs `Unknown` data reports NOT_AVAILABLE, never PASSED. It lives here, not in
/// `inventory`, because the host telemetry document uses it too; `rampart_inventory::Observed`
/// re-exports it. Serialized as `{"known": ..}` / `{"unknown": "<reason>"}` in snapshots and
/// telemetry documents: a compatibility promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observed<T> {
    Known(T),
    /// The reason, usually `<iam action> <gap kind>: <message>`.
    Unknown(String),
}

impl<T> Observed<T> {
    pub fn not_collected() -> Self {
        Observed::Unknown("not collected".to_string())
    }

    /// Whether nobody tried to read it (as opposed to a read that failed).
    pub fn is_not_collected(&self) -> bool {
        matches!(self, Observed::Unknown(r) if r == "not collected")
    }

    pub fn known(&self) -> Option<&T> {
        match self {
            Observed::Known(t) => Some(t),
            Observed::Unknown(_) => None,
        }
    }

    pub fn known_mut(&mut self) -> Option<&mut T> {
        match self {
            Observed::Known(t) => Some(t),
            Observed::Unknown(_) => None,
        }
    }

    pub fn as_result(&self) -> Result<&T, &str> {
        match self {
            Observed::Known(t) => Ok(t),
            Observed::Unknown(r) => Err(r),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Observed<U> {
        match self {
            Observed::Known(t) => Observed::Known(f(t)),
            Observed::Unknown(r) => Observed::Unknown(r),
        }
    }
}

/// A field missing from a snapshot was not collected: it is never read as "none".
impl<T> Default for Observed<T> {
    fn default() -> Self {
        Observed::not_collected()
    }
}

#[cfg(test)]
mod tests {
    use super::Observed;

    /// Snapshots and telemetry documents written before the move must still read, and what is
    /// written now must be what they hold.
    #[test]
    fn serialized_form_is_unchanged() {
        let known: Observed<Vec<u32>> = Observed::Known(vec![1, 2]);
        assert_eq!(serde_json::to_string(&known).unwrap(), r#"{"known":[1,2]}"#);
        let unknown: Observed<u32> = Observed::Unknown("ec2:DescribeVpcs access_denied: no".into());
        assert_eq!(serde_json::to_string(&unknown).unwrap(), r#"{"unknown":"ec2:DescribeVpcs access_denied: no"}"#);
        let back: Observed<Vec<u32>> = serde_json::from_str(r#"{"known":[1,2]}"#).unwrap();
        assert_eq!(back, known);
        assert!(Observed::<u32>::default().is_not_collected());
    }
}
