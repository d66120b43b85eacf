//! The RS256 key that signs every token, published as a JWKS, and token verification for ARM.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub struct SigningKeys {
    kid: String,
    n: String,
    e: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

const KEY_FILE: &str = "signing-key.pem";

impl SigningKeys {
    /// Keeps the key in `data_dir` so tokens stay valid across restarts; otherwise a fresh key.
    pub fn load_or_create(data_dir: Option<&Path>) -> Result<Self, Box<dyn std::error::Error>> {
        let path = data_dir.map(|d| d.join(KEY_FILE));
        let key = match &path {
            Some(p) if p.exists() => RsaPrivateKey::from_pkcs8_pem(&std::fs::read_to_string(p)?)?,
            _ => {
                let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)?;
                if let Some(p) = &path {
                    crate::write_private(p, key.to_pkcs8_pem(LineEnding::LF)?.as_bytes())?;
                }
                key
            }
        };
        let pem = key.to_pkcs8_pem(LineEnding::LF)?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(n.as_bytes()))[..16].to_string();
        Ok(SigningKeys {
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes())?,
            decoding: DecodingKey::from_rsa_components(&n, &e)?,
            kid,
            n,
            e,
        })
    }

    pub fn sign<T: Serialize>(&self, claims: &T) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.typ = Some("JWT".into());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("RS256 signing cannot fail")
    }

    /// Checks the signature and algorithm only; the caller checks `aud`, `iss` and `exp`, because
    /// ARM names each failure differently.
    pub fn verify_signature<T: DeserializeOwned>(&self, token: &str) -> Option<T> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<T>(token, &self.decoding, &validation).ok().map(|d| d.claims)
    }

    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({
            "keys": [{
                "kty": "RSA", "use": "sig", "alg": "RS256",
                "kid": self.kid, "n": self.n, "e": self.e,
            }]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Claims {
        aud: String,
        exp: u64,
    }

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let keys = SigningKeys::load_or_create(None).unwrap();
        let claims = Claims { aud: "a".into(), exp: 1 };
        let token = keys.sign(&claims);
        assert_eq!(keys.verify_signature::<Claims>(&token), Some(claims));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"aud":"b","exp":1}"#);
        parts[1] = &forged;
        assert_eq!(keys.verify_signature::<Claims>(&parts.join(".")), None);
        let other = SigningKeys::load_or_create(None).unwrap();
        assert_eq!(other.verify_signature::<Claims>(&token), None);
    }
}
