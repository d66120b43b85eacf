//! A private certificate authority and a server certificate for 127.0.0.1/localhost.
//!
//! With a data dir the CA is made once and kept, so a user can trust `ca.pem` once; without one,
//! everything is made fresh (tests use `ignoreHTTPSErrors`).

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

type BoxError = Box<dyn std::error::Error>;

struct Pems {
    ca_cert: String,
    cert: String,
    key: String,
}

const FILES: [&str; 3] = ["ca.pem", "cert.pem", "key.pem"];

fn generate() -> Result<Pems, BoxError> {
    let now = time::OffsetDateTime::now_utc();

    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::default();
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name.push(DnType::CommonName, "Pool Portal emulator local CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.not_before = now - time::Duration::days(1);
    ca.not_after = now + time::Duration::days(3650);
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate()?;
    let mut leaf = CertificateParams::default();
    leaf.distinguished_name.push(DnType::CommonName, "Pool Portal emulator");
    leaf.subject_alt_names = vec![
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::DnsName("localhost".try_into()?),
    ];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.not_before = now - time::Duration::days(1);
    leaf.not_after = now + time::Duration::days(397);
    let cert = leaf.signed_by(&key, &issuer)?;

    Ok(Pems { ca_cert: ca_cert.pem(), cert: cert.pem(), key: key.serialize_pem() })
}

fn load_or_generate(data_dir: Option<&Path>) -> Result<Pems, BoxError> {
    let Some(dir) = data_dir else { return generate() };
    if FILES.iter().all(|f| dir.join(f).exists()) {
        let read = |f: &str| std::fs::read_to_string(dir.join(f));
        return Ok(Pems { ca_cert: read(FILES[0])?, cert: read(FILES[1])?, key: read(FILES[2])? });
    }
    let pems = generate()?;
    std::fs::write(dir.join(FILES[0]), &pems.ca_cert)?;
    std::fs::write(dir.join(FILES[1]), &pems.cert)?;
    crate::write_private(&dir.join(FILES[2]), pems.key.as_bytes())?;
    Ok(pems)
}

/// The rustls configuration every HTTPS listener shares (ring crypto). ALPN offers HTTP/2 first,
/// as ARM's front door does (issue 22): a browser then carries every request to an origin on one
/// connection instead of six; clients that speak only HTTP/1.1 (the az CLI's `requests`, the
/// Python SDKs) still get it.
pub fn server_config(data_dir: Option<&Path>) -> Result<Arc<rustls::ServerConfig>, BoxError> {
    let pems = load_or_generate(data_dir)?;
    let mut chain = vec![CertificateDer::from_pem_slice(pems.cert.as_bytes())?];
    chain.push(CertificateDer::from_pem_slice(pems.ca_cert.as_bytes())?);
    let key = PrivateKeyDer::from_pem_slice(pems.key.as_bytes())?;
    let mut config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_dir_keeps_the_same_authority_across_starts() {
        let dir = std::env::temp_dir().join(format!("emu-tls-{}", crate::ids::random_token(6)));
        std::fs::create_dir_all(&dir).unwrap();
        let first = load_or_generate(Some(&dir)).unwrap();
        let second = load_or_generate(Some(&dir)).unwrap();
        assert_eq!(first.ca_cert, second.ca_cert);
        assert!(server_config(Some(&dir)).is_ok());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn without_a_data_dir_each_start_gets_new_keys() {
        assert_ne!(generate().unwrap().key, generate().unwrap().key);
    }
}
