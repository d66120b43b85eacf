//! Bearer-token checks in ARM's order, each failure with ARM's own code.

use axum::http::{header, HeaderMap, StatusCode};

use crate::arm::pipeline::error::ArmError;
use crate::authority::token::AccessClaims;
use crate::{now_secs, Emulator};

/// Who is calling, once the token checks out.
#[derive(Clone, Debug)]
pub struct Caller {
    pub oid: String,
    pub name: String,
    pub upn: Option<String>,
    pub appid: String,
    /// A service principal (`idtyp: app`), not a person.
    pub app: bool,
}

impl Caller {
    /// As the Activity Log records the caller.
    pub fn who(&self) -> crate::store::activity::Who {
        crate::store::activity::Who {
            oid: self.oid.clone(),
            name: (!self.app).then(|| self.name.clone()),
            upn: self.upn.clone(),
            appid: self.appid.clone(),
            managed: false,
        }
    }
}

fn unauthorized(emu: &Emulator, code: &str, message: String, detail: &str) -> ArmError {
    let mut e = ArmError::new(StatusCode::UNAUTHORIZED, code, message);
    e.www_authenticate = Some(format!(
        "Bearer authorization_uri=\"{}/{}\", error=\"invalid_token\", error_description=\"{detail}\"",
        emu.origins.login,
        crate::authority::users::TENANT_ID
    ));
    e
}

fn expired_at(emu: &Emulator, exp: u64, now: u64) -> ArmError {
    unauthorized(
        emu,
        "ExpiredAuthenticationToken",
        format!(
            "The access token expiry UTC time '{}' is earlier than current UTC time '{}'.",
            crate::clock::rfc3339(exp),
            crate::clock::rfc3339(now)
        ),
        "The access token expiry UTC time is earlier than current UTC time.",
    )
}

/// The 401 of an expired token, for the fault switch that pretends every token just expired.
pub fn expired(emu: &Emulator) -> ArmError {
    let now = now_secs();
    expired_at(emu, now.saturating_sub(1), now)
}

pub fn authenticate(emu: &Emulator, headers: &HeaderMap) -> Result<Caller, ArmError> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some(value) = value else {
        return Err(unauthorized(
            emu,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing.".into(),
            "The authentication failed because of missing 'Authorization' header.",
        ));
    };
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() => token,
        _ => {
            return Err(unauthorized(
                emu,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.".into(),
                "The authentication failed because of invalid 'Authorization' header.",
            ))
        }
    };
    let Some(claims) = emu.keys.verify_signature::<AccessClaims>(token) else {
        return Err(unauthorized(
            emu,
            "InvalidAuthenticationToken",
            "The access token is invalid.".into(),
            "The access token is invalid.",
        ));
    };
    if claims.iss != emu.issuer() {
        return Err(unauthorized(
            emu,
            "InvalidAuthenticationTokenTenant",
            format!("The access token is from the wrong issuer '{}'.", claims.iss),
            "The access token is from the wrong issuer.",
        ));
    }
    if claims.aud != Emulator::ARM_RESOURCE {
        return Err(unauthorized(
            emu,
            "InvalidAuthenticationTokenAudience",
            format!(
                "The access token has been obtained for wrong audience or resource '{}'. It should exactly \
                 match with one of the allowed audiences '{}'.",
                claims.aud,
                Emulator::ARM_RESOURCE
            ),
            "The access token has been obtained for wrong audience or resource.",
        ));
    }
    let now = now_secs();
    if claims.exp <= now {
        return Err(expired_at(emu, claims.exp, now));
    }
    if claims.nbf > now + 300 {
        return Err(unauthorized(
            emu,
            "InvalidAuthenticationToken",
            "The access token is not yet valid.".into(),
            "The access token is not yet valid.",
        ));
    }
    let app = claims.idtyp.as_deref() == Some("app");
    Ok(Caller { oid: claims.oid, name: claims.name, upn: claims.upn, appid: claims.appid, app })
}
