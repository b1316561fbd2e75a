//! Errors as a person sees them: an HTML page with a Russian message, or an RFC 9457
//! problem document (`application/problem+json`) with a message per field in the API.

use abonent_domain::ValidationErrors;
use abonent_storage::StoreError;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub enum AppError {
    Invalid(ValidationErrors),
    NotFound(String),
    Unauthorized,
    Forbidden,
    Conflict {
        detail: String,
        extra: serde_json::Value,
    },
    BadRequest(String),
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => {
                tracing::error!("storage error: {other}");
                AppError::Internal(other.to_string())
            }
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "Ошибка в данных",
            AppError::NotFound(_) => "Не найдено",
            AppError::Unauthorized => "Нужен вход в систему",
            AppError::Forbidden => "Недостаточно прав",
            AppError::Conflict { .. } => "Возможный дубликат",
            AppError::BadRequest(_) => "Неверный запрос",
            AppError::Internal(_) => "Внутренняя ошибка",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::Invalid(e) => format!("Исправьте поля: {e}"),
            AppError::NotFound(what) => format!("Запись не найдена: {what}."),
            AppError::Unauthorized => {
                "Войдите в систему или передайте API-токен в заголовке Authorization: Bearer.".into()
            }
            AppError::Forbidden => "Вашей роли это действие не разрешено. Обратитесь к администратору.".into(),
            AppError::Conflict { detail, .. } => detail.clone(),
            AppError::BadRequest(m) => m.clone(),
            AppError::Internal(_) => {
                "Сервер не смог выполнить действие. Повторите попытку; если ошибка повторится, сообщите администратору.".into()
            }
        }
    }
}

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let mut body = json!({
            "type": "about:blank",
            "title": e.title(),
            "status": e.status().as_u16(),
            "detail": e.detail(),
        });
        if let AppError::Invalid(v) = &e {
            body["errors"] = serde_json::to_value(&v.0).unwrap_or_default();
        }
        if let AppError::Conflict { extra, .. } = &e {
            if let (Some(obj), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                obj.extend(extra.clone());
            }
        }
        (
            e.status(),
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// An error answered as an HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        let page = crate::views::ErrorPage {
            title: e.title(),
            detail: e.detail(),
            status: e.status().as_u16(),
        };
        (e.status(), Html(crate::views::render(&page))).into_response()
    }
}
