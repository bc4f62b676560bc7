//! Email event targets: one plain-text message per event through the target's SMTP server
//! (lettre's SMTP client over rustls; no OpenSSL). `starttls` upgrades the connection and
//! refuses a server that cannot; `tls` speaks TLS from the first byte (port 465); `none`
//! sends in clear (a relay on a trusted network, or a test sink). With a user name the
//! password is read from the environment variable the target names, at each send: it is
//! never stored. The Message-ID carries the event id and the target, so a receiver can
//! tell a redelivery (at least once) from a new event.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use rampart_hub::EventTarget;
use serde_json::Value;
use std::time::Duration;

pub(crate) fn send(target: &EventTarget, body: &Value, key: &str, timeout: Duration) -> Result<(), String> {
    let s = rampart_app::notify::email_settings(target)?;
    let mailbox = |a: &str| a.parse::<Mailbox>().map_err(|e| format!("`{a}` is not an email address: {e}"));
    let id_part: String = key.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let mut msg = Message::builder()
        .from(mailbox(&s.from)?)
        .subject(rampart_app::notify::subject(body))
        .header(ContentType::TEXT_PLAIN)
        .message_id(Some(format!("<{id_part}.t{}@rampart.events>", target.id)));
    for to in &s.to {
        msg = msg.to(mailbox(to)?);
    }
    let msg = msg.body(rampart_app::notify::text(body)).map_err(|e| format!("the message cannot be built: {e}"))?;
    let tls = |host: &str| TlsParameters::new(host.to_string()).map_err(|e| format!("TLS settings for `{host}`: {e}"));
    let mut transport = SmtpTransport::builder_dangerous(s.host.as_str()).port(s.port).timeout(Some(timeout));
    transport = match s.tls.as_str() {
        "starttls" => transport.tls(Tls::Required(tls(&s.host)?)),
        "tls" => transport.tls(Tls::Wrapper(tls(&s.host)?)),
        "none" => transport.tls(Tls::None),
        other => return Err(format!("unknown TLS mode `{other}`: use starttls, tls or none")),
    };
    if let (Some(user), Some(var)) = (&s.username, &s.password_env) {
        let password = std::env::var(var)
            .map_err(|_| format!("the SMTP password's environment variable {var} is not set in the delivering process"))?;
        transport = transport.credentials(Credentials::new(user.clone(), password));
    }
    transport.build().send(&msg).map(|_| ()).map_err(|e| {
        let mut why = e.to_string();
        let mut next = std::error::Error::source(&e);
        while let Some(cause) = next {
            let c = cause.to_string();
            if !why.contains(&c) {
                why.push_str(": ");
                why.push_str(&c);
            }
            next = cause.source();
        }
        format!("SMTP {}:{}: {why}", s.host, s.port)
    })
}
