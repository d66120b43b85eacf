//! Authorization codes (one use, five minutes) and refresh tokens (until sign-out).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::ids::{now_secs, random_token};

#[derive(Clone, Debug)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub oid: String,
    pub expires_at: u64,
}

#[derive(Clone, Debug)]
pub struct RefreshGrant {
    pub client_id: String,
    pub oid: String,
}

#[derive(Default)]
pub struct Grants {
    codes: Mutex<HashMap<String, CodeGrant>>,
    refresh: Mutex<HashMap<String, RefreshGrant>>,
}

pub const CODE_LIFETIME_SECS: u64 = 300;

impl Grants {
    pub fn issue_code(&self, grant: CodeGrant) -> String {
        let code = random_token(32);
        self.codes.lock().expect("codes").insert(code.clone(), grant);
        code
    }

    /// A code works once, and only before it expires.
    pub fn redeem_code(&self, code: &str) -> Option<CodeGrant> {
        let grant = self.codes.lock().expect("codes").remove(code)?;
        (grant.expires_at > now_secs()).then_some(grant)
    }

    pub fn issue_refresh(&self, grant: RefreshGrant) -> String {
        let token = random_token(48);
        self.refresh.lock().expect("refresh").insert(token.clone(), grant);
        token
    }

    /// Like Entra ID, a refresh token stays valid after use (two tabs may refresh at once).
    pub fn lookup_refresh(&self, token: &str) -> Option<RefreshGrant> {
        self.refresh.lock().expect("refresh").get(token).cloned()
    }

    /// Every refresh token ends, as when an administrator revokes sessions: the next silent
    /// renewal needs the user to sign in again.
    pub fn revoke_all(&self) -> usize {
        let mut refresh = self.refresh.lock().expect("refresh");
        let n = refresh.len();
        refresh.clear();
        n
    }

    /// Sign-out ends every refresh token of that user.
    pub fn revoke_user(&self, oid: &str) {
        self.refresh.lock().expect("refresh").retain(|_, g| g.oid != oid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(expires_at: u64) -> CodeGrant {
        CodeGrant {
            client_id: "c".into(),
            redirect_uri: "r".into(),
            code_challenge: "x".into(),
            scope: "s".into(),
            nonce: None,
            oid: "u".into(),
            expires_at,
        }
    }

    #[test]
    fn a_code_is_redeemed_once() {
        let grants = Grants::default();
        let c = grants.issue_code(code(now_secs() + 60));
        assert!(grants.redeem_code(&c).is_some());
        assert!(grants.redeem_code(&c).is_none());
    }

    #[test]
    fn an_expired_code_is_refused() {
        let grants = Grants::default();
        let c = grants.issue_code(code(now_secs() - 1));
        assert!(grants.redeem_code(&c).is_none());
    }

    #[test]
    fn sign_out_revokes_refresh_tokens() {
        let grants = Grants::default();
        let t = grants.issue_refresh(RefreshGrant { client_id: "c".into(), oid: "u".into() });
        assert!(grants.lookup_refresh(&t).is_some());
        grants.revoke_user("u");
        assert!(grants.lookup_refresh(&t).is_none());
    }
}
