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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}
