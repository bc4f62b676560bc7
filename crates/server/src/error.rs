//! Errors of the API: a status and a one-line message, as JSON `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rampart_hub::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// A failure of the server itself: logged in full, answered in general words.
    pub fn internal(detail: impl Into<String>) -> ApiError {
        let detail = detail.into();
        tracing::error!(%detail, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error: see the server's log")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match &e {
            StoreError::UnknownFinding(_) | StoreError::UnknownRun(_) => ApiError::not_found(e.to_string()),
            StoreError::InvalidUpdate(_) | StoreError::Query(_) => ApiError::bad_request(e.to_string()),
            StoreError::UnknownInsight(_) => ApiError::not_found(e.to_string()),
            StoreError::InvalidInsight(_) | StoreError::ManagedInsight(_) => ApiError::bad_request(e.to_string()),
            StoreError::DuplicateInsight(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            // Another writer (a run being recorded) held what the change needed for longer
            // than the store waits: the caller may try again shortly.
            e if e.is_busy() => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the store is busy (another writer, such as a run being recorded, holds it): try again in a few seconds",
            ),
            // The database's connection was lost (a PostgreSQL server restarted): the server
            // connects again for the next request (`state.rs`).
            e if e.is_connection_lost() => {
                tracing::warn!(error = %e, "the store's connection was lost");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database's connection was lost and is being made again: try again in a few seconds",
                )
            }
            _ => {
                let mut detail = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    detail.push_str(": ");
                    detail.push_str(&s.to_string());
                    src = s.source();
                }
                ApiError::internal(detail)
            }
        }
    }
}

/// Seconds a client is told to wait before trying a busy store again.
const RETRY_AFTER_SECONDS: &str = "5";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_store_is_503_with_retry_after_not_an_internal_error() {
        let e = ApiError::from(StoreError::Busy { path: "/var/lib/rampart/rampart.db".into() });
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(e.message.contains("try again"), "{}", e.message);
        let response = e.into_response();
        assert_eq!(response.headers().get(axum::http::header::RETRY_AFTER).unwrap(), "5");
        let other = ApiError::from(StoreError::Corrupt { path: "x".into(), what: "t", value: "v".into() });
        assert_eq!(other.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
