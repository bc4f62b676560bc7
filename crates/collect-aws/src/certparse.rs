//! Certificate bodies: what the checks need of a PEM certificate (IAM server certificates) or
//! a DER one (the certificate an origin serves). Outside input: every error is a reason, never
//! a panic. Self-contained (x509-parser, `time`, `rampart-inventory`) so that the fuzz target
//! `certificate_parse` includes this file as it is.

use rampart_inventory::{CertificateKey, ServedCertificate};

/// The public key algorithm and size, the signature algorithm and the notAfter (RFC 3339) of a
/// PEM certificate.
pub fn certificate_body(pem: &str) -> Result<(CertificateKey, String), String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).map_err(|e| format!("not a PEM certificate: {e}"))?;
    let cert = pem.parse_x509().map_err(|e| format!("not an X.509 certificate: {e}"))?;
    Ok((key_of(&cert), not_after(&cert)?))
}

/// A certificate's notAfter as RFC 3339.
pub fn not_after(cert: &x509_parser::certificate::X509Certificate<'_>) -> Result<String, String> {
    cert.validity()
        .not_after
        .to_datetime()
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("certificate expiry out of range: {e}"))
}

/// The public key algorithm and size and the signature algorithm of a parsed certificate.
pub fn key_of(cert: &x509_parser::certificate::X509Certificate<'_>) -> CertificateKey {
    use x509_parser::public_key::PublicKey;
    let spki = cert.public_key();
    let (algorithm, bits) = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".to_string(), Some(rsa.key_size() as u32)),
        Ok(PublicKey::EC(ec)) => ("EC".to_string(), Some(ec.key_size() as u32)),
        _ => {
            let oid = spki.algorithm.algorithm.to_id_string();
            // Ed25519 (RFC 8410): 1.3.101.112.
            if oid == "1.3.101.112" { ("Ed25519".to_string(), Some(256)) } else { (oid, None) }
        }
    };
    let sig_oid = &cert.signature_algorithm.algorithm;
    let signature_algorithm = x509_parser::oid_registry::OidRegistry::default()
        .with_crypto()
        .with_x509()
        .get(sig_oid)
        .map(|e| e.sn().to_string())
        .unwrap_or_else(|| sig_oid.to_id_string());
    CertificateKey { algorithm, bits, signature_algorithm }
}

/// What the checks need of a DER certificate that `endpoint` served in a TLS handshake.
pub fn served(endpoint: &str, der: &[u8], protocol: String) -> Result<ServedCertificate, String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| format!("{endpoint} presented a certificate that does not parse: {e}"))?;
    let not_after = not_after(&cert).map_err(|e| format!("{endpoint}: {e}"))?;
    Ok(ServedCertificate { endpoint: endpoint.to_string(), subject: cert.subject().to_string(), not_after, key: key_of(&cert), protocol })
}
