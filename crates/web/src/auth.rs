//! Who is asking: a staff session (cookie) or an API token (Authorization: Bearer), and the
//! CSRF check for session-authenticated writes.

use abonent_domain::{Permission, Role};
use abonent_storage::{users, Actor, Db};
use axum::http::{header, HeaderMap};

pub const SESSION_COOKIE: &str = "abonent_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// The authenticated caller, put into request extensions by the route guard.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Option<i64>,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub via: Via,
    /// CSRF token of the session (None for API tokens, which need none).
    pub csrf: Option<String>,
}

impl Principal {
    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p)
    }

    /// How the history names this caller.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user_id,
            name: match self.via {
                Via::Session => format!("{} ({})", self.name, self.login),
                Via::Token => format!("API: {}", self.name),
            },
        }
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The caller behind the request's cookie or bearer token, if any. Bearer tokens are
/// honoured only on the API.
pub async fn principal(
    db: &Db,
    headers: &HeaderMap,
    api: bool,
) -> Result<Option<Principal>, abonent_storage::StoreError> {
    if api {
        if let Some(secret) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            return Ok(users::token(db, secret.trim()).await?.map(|t| Principal {
                user_id: None,
                login: format!("token-{}", t.id),
                name: t.name,
                role: t.role,
                via: Via::Token,
                csrf: None,
            }));
        }
    }
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(users::session(db, &token)
        .await?
        .map(|(u, csrf)| Principal {
            user_id: Some(u.id),
            login: u.login,
            name: u.full_name,
            role: u.role,
            via: Via::Session,
            csrf: Some(csrf),
        }))
}

/// Compare secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether the browser reached the site over HTTPS, so that the session cookie is `Secure`:
/// the public address is https://, or an administrator trusts the proxy's
/// `X-Forwarded-Proto` (a client could send that header itself, hence the setting).
pub async fn over_https(app: &abonent_app::App, headers: &HeaderMap) -> bool {
    use abonent_app::settings::get;
    use abonent_domain::settings::{is_yes, PUBLIC_URL, TRUST_FORWARDED_PROTO};
    let public = get(app, PUBLIC_URL).await.unwrap_or_default();
    if public.trim().to_lowercase().starts_with("https://") {
        return true;
    }
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    forwarded && is_yes(&get(app, TRUST_FORWARDED_PROTO).await.unwrap_or_default())
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        users::SESSION_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; abonent_session=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn secrets_compare() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
