//! The opt-in origin probe (`--probe-origins`): reads, in a TLS handshake, the certificate
//! each HTTPS custom origin of the account's CloudFront distributions serves.
//!
//! Trusted Advisor's "CloudFront SSL Certificate on the Origin Server" connects to origins the
//! same way. This is the one part of a collection that talks to something other than AWS's
//! APIs, so it runs only when asked: it opens a TCP connection to each origin's domain on its
//! HTTPS port, completes a handshake, keeps the leaf certificate and closes. No HTTP request is
//! sent. The certificate is read, not trusted: an expired or self-signed certificate is what
//! the check wants to see, so the handshake accepts any certificate.
//!
//! An origin that cannot be reached, or speaks only protocols older than TLS 1.2 (all this
//! probe speaks), is recorded as `Observed::Unknown` with the reason.

use crate::certparse::served;
use rampart_inventory::{Account, Observed, ServedCertificate};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::collections::BTreeMap;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// Reads the served certificate of every HTTPS custom origin of `account`'s distributions,
/// `concurrency` handshakes at a time, each step bounded by `timeout`.
pub async fn probe_origins(account: &mut Account, timeout: Duration, concurrency: usize) {
    let Observed::Known(distributions) = &mut account.cloudfront else { return };
    // One handshake per endpoint, however many distributions share it.
    let mut endpoints: BTreeMap<(String, u16), Observed<ServedCertificate>> = BTreeMap::new();
    for o in distributions.iter().flat_map(|d| &d.origins).filter(|o| probed(o)) {
        endpoints.insert((o.domain_name.trim_end_matches('.').to_string(), o.https_port.unwrap_or(443)), Observed::not_collected());
    }
    if endpoints.is_empty() {
        return;
    }
    let config = Arc::new(client_config());
    let limiter = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
    let tasks = endpoints.keys().cloned().map(|(host, port)| {
        let (config, limiter) = (config.clone(), limiter.clone());
        async move {
            let _permit = limiter.acquire_owned().await;
            let (h, p) = (host.clone(), port);
            let got = tokio::task::spawn_blocking(move || read_certificate(&config, &h, p, timeout))
                .await
                .unwrap_or_else(|e| Err(format!("the probe of {host}:{port} stopped: {e}")));
            ((host, port), got)
        }
    });
    for (key, got) in futures::future::join_all(tasks).await {
        let observed = match got {
            Ok(c) => Observed::Known(c),
            Err(why) => Observed::Unknown(why),
        };
        endpoints.insert(key, observed);
    }
    for o in distributions.iter_mut().flat_map(|d| &mut d.origins).filter(|o| probed(o)) {
        let key = (o.domain_name.trim_end_matches('.').to_string(), o.https_port.unwrap_or(443));
        if let Some(c) = endpoints.get(&key) {
            o.served_certificate = c.clone();
        }
    }
}

/// Custom origins CloudFront may reach over HTTPS.
fn probed(o: &rampart_inventory::Origin) -> bool {
    !o.s3_origin && o.origin_protocol_policy.as_deref() != Some("http-only") && !o.domain_name.is_empty()
}

fn client_config() -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("the aws-lc-rs provider supports TLS 1.2 and 1.3")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(ReadAnyCertificate(provider)))
        .with_no_client_auth()
}

/// Accepts whatever the origin presents: the probe reads certificates, it does not trust them,
/// and sends nothing over the connection.
#[derive(Debug)]
struct ReadAnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for ReadAnyCertificate {
    fn verify_server_cert(&self, _: &CertificateDer<'_>, _: &[CertificateDer<'_>], _: &ServerName<'_>, _: &[u8], _: UnixTime) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn verify_tls13_signature(&self, _: &[u8], _: &CertificateDer<'_>, _: &DigitallySignedStruct) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// One handshake with `host:port`; the leaf certificate it presented.
fn read_certificate(config: &Arc<rustls::ClientConfig>, host: &str, port: u16, timeout: Duration) -> Result<ServedCertificate, String> {
    let endpoint = format!("{host}:{port}");
    let addrs: Vec<_> = (host, port).to_socket_addrs().map_err(|e| format!("cannot resolve {host}: {e}"))?.collect();
    let mut last = format!("{host} has no address");
    let mut sock = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, timeout) {
            Ok(s) => {
                sock = Some(s);
                break;
            }
            Err(e) => last = format!("cannot connect to {endpoint} ({a}): {e}"),
        }
    }
    let mut sock = sock.ok_or(last)?;
    let _ = sock.set_read_timeout(Some(timeout));
    let _ = sock.set_write_timeout(Some(timeout));
    let name = ServerName::try_from(host.to_string()).map_err(|e| format!("`{host}` is not a host name: {e}"))?;
    let mut conn = rustls::ClientConnection::new(config.clone(), name).map_err(|e| format!("TLS with {endpoint}: {e}"))?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock).map_err(|e| format!("TLS handshake with {endpoint} failed: {e} (the probe speaks TLS 1.2 and 1.3)"))?;
    }
    let der = conn.peer_certificates().and_then(|c| c.first()).ok_or_else(|| format!("{endpoint} presented no certificate"))?.clone();
    let protocol = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        Some(v) => format!("{v:?}"),
        None => String::new(),
    };
    conn.send_close_notify();
    let _ = conn.complete_io(&mut sock);
    served(&endpoint, &der, protocol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_reads_expiry_subject_and_key_of_a_der_certificate() {
        let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/certs/rsa1024-sha1.pem")).unwrap();
        let (_, p) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).unwrap();
        let c = served("localhost:8443", &p.contents, "TLSv1.3".into()).unwrap();
        assert_eq!((c.key.algorithm.as_str(), c.key.bits, c.key.signature_algorithm.as_str()), ("RSA", Some(1024), "sha1WithRSAEncryption"));
        assert_eq!(c.subject, "CN=weak.example.com");
        assert!(c.not_after.starts_with("2036-11-25T"), "{}", c.not_after);
        assert!(served("x:1", b"not a certificate", String::new()).unwrap_err().contains("does not parse"));
    }

    #[test]
    fn an_unreachable_origin_is_a_reason_not_a_panic() {
        let config = Arc::new(client_config());
        // A port nothing listens on: bind, read the port, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let why = read_certificate(&config, "127.0.0.1", port, Duration::from_secs(2)).unwrap_err();
        assert!(why.contains("cannot connect to 127.0.0.1:"), "{why}");
        // A plain-TCP server that answers garbage: the handshake fails with a reason.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::Write;
            if let Ok((mut s, _)) = l.accept() {
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
            }
        });
        let why = read_certificate(&config, "127.0.0.1", port, Duration::from_secs(2)).unwrap_err();
        assert!(why.contains("TLS handshake with 127.0.0.1:"), "{why}");
    }
}
