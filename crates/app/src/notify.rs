//! The event targets other than a plain webhook, as settings and as messages: an Amazon
//! SNS topic ([`create_sns_target`]), email through SMTP ([`create_email_target`]), and
//! what a Slack-compatible incoming webhook, an email's subject and its text say about an
//! event ([`slack_body`], [`subject`], [`text`]). Sending is the server's
//! (`rampart_server::delivery`, which dispatches by target kind); the settings are checked
//! here, once, for the CLI and the API alike.
//!
//! No secret is stored: an SMTP password is named by the environment variable that holds
//! it (`password_env`), read by the deliverer when it sends; SNS credentials come from the
//! standard AWS chain or a named profile.

use anyhow::{bail, Result};
use rampart_hub::{EventTarget, Store};
use serde_json::{json, Value};

/// An SNS topic target: the topic's ARN and Region, an optional named profile, an optional
/// SNS-compatible endpoint (an emulator). Publishing is the only write Rampart makes, and
/// only to a topic named here.
pub fn create_sns_target(
    store: &mut Store,
    name: &str,
    topic_arn: &str,
    region: &str,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
) -> Result<EventTarget> {
    let topic = rampart_collect_aws::notify::SnsTopic {
        topic_arn: topic_arn.to_string(),
        region: region.to_string(),
        profile: profile.map(str::to_string),
        endpoint_url: endpoint_url.map(str::to_string),
    };
    if let Err(e) = rampart_collect_aws::notify::check_topic(&topic) {
        bail!(e);
    }
    if profile.is_some_and(|p| p.trim().is_empty()) {
        bail!("an empty profile name: give a profile of the AWS config files, or none for the default credential chain");
    }
    let mut config = json!({ "topic_arn": topic_arn, "region": region });
    if let Some(p) = profile {
        config["profile"] = json!(p);
    }
    if let Some(u) = endpoint_url {
        config["endpoint_url"] = json!(u);
    }
    Ok(store.create_event_target(name, "sns", &config, crate::now())?)
}

/// The SNS settings of a target of kind `sns`.
pub fn sns_topic(target: &EventTarget) -> Result<rampart_collect_aws::notify::SnsTopic, String> {
    let c = &target.config;
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(rampart_collect_aws::notify::SnsTopic {
        topic_arn: s("topic_arn").ok_or("the SNS target has no topic_arn")?,
        region: s("region").ok_or("the SNS target has no region")?,
        profile: s("profile"),
        endpoint_url: s("endpoint_url"),
    })
}

/// How an email target talks to its SMTP server.
pub const SMTP_TLS: &[&str] = &["starttls", "tls", "none"];

/// An email target's settings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EmailSettings {
    /// The SMTP server.
    pub host: String,
    pub port: u16,
    /// `starttls` (upgrade the plain connection; refused if the server cannot), `tls`
    /// (TLS from the first byte, usually port 465) or `none` (plain text: a relay on a
    /// trusted network, or a test sink).
    pub tls: String,
    pub from: String,
    pub to: Vec<String>,
    /// Sign in with this user name, and the password in environment variable
    /// `password_env` (never stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_env: Option<String>,
}

/// Whether `a` looks like a mailbox address (`local@domain`, no spaces or angle brackets);
/// the deliverer parses it fully.
fn looks_like_address(a: &str) -> bool {
    let Some((local, domain)) = a.rsplit_once('@') else { return false };
    !local.is_empty()
        && !domain.is_empty()
        && a.len() <= 254
        && !a.chars().any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

/// Checks an email target's settings.
pub fn check_email(s: &EmailSettings) -> Result<()> {
    if s.host.trim().is_empty() || s.host.chars().any(|c| c.is_whitespace() || c == '/') {
        bail!("`{}` is not an SMTP host name: give one like smtp.example.com", crate::shown(&s.host));
    }
    if s.port == 0 {
        bail!("port 0 is not an SMTP port: give 587 (STARTTLS), 465 (TLS) or 25");
    }
    if !SMTP_TLS.contains(&s.tls.as_str()) {
        bail!("unknown TLS mode `{}`: use one of {}", crate::shown(&s.tls), SMTP_TLS.join(", "));
    }
    if !looks_like_address(&s.from) {
        bail!("`{}` is not an email address: give the sender like rampart@example.com", crate::shown(&s.from));
    }
    if s.to.is_empty() {
        bail!("an email target needs at least one recipient");
    }
    if s.to.len() > 50 {
        bail!("at most 50 recipients per email target, not {}: use a mailing list", s.to.len());
    }
    for a in &s.to {
        if !looks_like_address(a) {
            bail!("`{}` is not an email address: give recipients like soc@example.com", crate::shown(a));
        }
    }
    match (&s.username, &s.password_env) {
        (Some(_), None) => bail!("a user name needs the environment variable that holds the password (password_env)"),
        (None, Some(_)) => bail!("a password needs a user name"),
        (_, Some(var)) if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            bail!(
                "`{}` is not an environment variable name: give one like RAMPART_SMTP_PASSWORD (the password itself is never stored)",
                crate::shown(var)
            )
        }
        // Only variables meant for this: otherwise whoever may add a target could have the
        // server send any of its variables (AWS_SECRET_ACCESS_KEY, ...) to a host they name.
        (_, Some(var)) if !var.starts_with(SMTP_PASSWORD_PREFIX) => {
            bail!(
                "the password's environment variable must start with {SMTP_PASSWORD_PREFIX} (not `{}`): e.g. RAMPART_SMTP_PASSWORD, set where rampart runs",
                crate::shown(var)
            )
        }
        (Some(_), Some(_)) if s.tls == "none" && !is_loopback_host(&s.host) => {
            bail!("a password is never sent without TLS to `{}`: use --tls starttls or tls, or a loopback relay", crate::shown(&s.host))
        }
        _ => {}
    }
    Ok(())
}

/// The prefix every SMTP password variable's name carries.
pub const SMTP_PASSWORD_PREFIX: &str = "RAMPART_SMTP_";

/// Whether a host name is this machine (a relay on loopback may take a password in clear).
fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A URL as shown to people and written in errors: its scheme, host and port only, since a
/// webhook's path or query is often its credential (Slack's incoming webhooks) and user
/// information is one (`https://user:pass@host`).
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s, r),
        None => return "(not a URL)".to_string(),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let more = if end < rest.len() && &rest[end..] != "/" { "/…" } else { "" };
    format!("{scheme}://{host}{more}")
}

/// Where a target sends, as shown in the console and `rampart events list`: a webhook's
/// redacted URL, a topic's ARN, an email target's recipients and SMTP host.
pub fn target_where(target: &EventTarget) -> String {
    let s = |k: &str| target.config.get(k).and_then(Value::as_str).map(str::to_string);
    match target.kind.as_str() {
        "sns" => s("topic_arn").unwrap_or_else(|| "-".into()),
        "email" => {
            let to: Vec<&str> =
                target.config.get("to").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            format!("{} via {}", to.join(", "), s("host").unwrap_or_default())
        }
        _ => s("url").map(|u| redact_url(&u)).unwrap_or_else(|| "-".into()),
    }
}

/// An email target: SMTP `host:port`, sender, recipients, optional sign-in.
pub fn create_email_target(store: &mut Store, name: &str, settings: &EmailSettings) -> Result<EventTarget> {
    check_email(settings)?;
    Ok(store.create_event_target(name, "email", &serde_json::to_value(settings)?, crate::now())?)
}

/// The email settings of a target of kind `email`.
pub fn email_settings(target: &EventTarget) -> Result<EmailSettings, String> {
    serde_json::from_value(target.config.clone()).map_err(|e| format!("the email target's settings are not readable: {e}"))
}

/// What an event is about, in one line: the custom action and its findings, the assessment
/// run and its state, or the (first) finding's title.
pub fn title(body: &Value) -> String {
    let d = &body["detail"];
    let findings = d["findings"].as_array().map_or(&[][..], Vec::as_slice);
    let first = findings.first().and_then(|f| f["title"].as_str().or_else(|| f["Title"].as_str()));
    let more = if findings.len() > 1 { format!(" (+{} more)", findings.len() - 1) } else { String::new() };
    if let Some(action) = d["actionName"].as_str() {
        let n = if findings.is_empty() { d["insightResults"].as_array().map_or(0, Vec::len) } else { findings.len() };
        return format!("custom action \"{action}\" on {n} item(s)");
    }
    if let (Some(run), Some(state)) = (d["assessmentRunId"].as_i64(), d["state"].as_str()) {
        let tpl = d["template"].as_str().unwrap_or("");
        return match d["finding"]["title"].as_str() {
            Some(t) => format!("assessment run {run} of {tpl}: {t}"),
            None => format!("assessment run {run} of {tpl}: {state}"),
        };
    }
    match first {
        Some(t) => format!("{t}{more}"),
        None => body["id"].as_str().map_or_else(|| "event".to_string(), |id| format!("event {id}")),
    }
}

/// An email's subject: `[Rampart] <detail-type>: <title>`, one line, at most 200 characters.
pub fn subject(body: &Value) -> String {
    let kind = body["detail-type"].as_str().unwrap_or("event");
    let s: String = format!("[Rampart] {kind}: {}", title(body)).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(199).collect::<String>())
    } else {
        s
    }
}

/// One line per finding: severity, status, title, resource.
fn finding_lines(body: &Value) -> Vec<String> {
    let d = &body["detail"];
    let mut all: Vec<&Value> = d["findings"].as_array().map(|v| v.iter().collect()).unwrap_or_default();
    if d["finding"].is_object() {
        all.push(&d["finding"]);
    }
    all.iter()
        .map(|f| {
            let sev = f["severity"].as_str().unwrap_or("");
            let status = f["status"].as_str().unwrap_or("");
            let t = f["title"].as_str().unwrap_or("");
            let res = f["resource"]["id"].as_str().or_else(|| f["resource"]["arn"].as_str()).unwrap_or("");
            format!("{sev} {status} {t} {res}").split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// An email's text: what it is, when, the findings one per line, then the event's JSON.
pub fn text(body: &Value) -> String {
    let mut out = format!(
        "{}\n\nevent {}\nsource {}, {}\ntime {}\n",
        title(body),
        body["id"].as_str().unwrap_or(""),
        body["source"].as_str().unwrap_or(""),
        body["detail-type"].as_str().unwrap_or(""),
        body["time"].as_str().unwrap_or("")
    );
    let lines = finding_lines(body);
    if !lines.is_empty() {
        out.push_str("\nfindings:\n");
        for l in lines {
            out.push_str("  ");
            out.push_str(&l);
            out.push('\n');
        }
    }
    out.push_str("\nThe event:\n");
    out.push_str(&serde_json::to_string_pretty(body).unwrap_or_default());
    out.push('\n');
    out
}

/// Slack's mrkdwn escapes: `&`, `<` and `>`.
fn mrkdwn(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Slack-compatible incoming-webhook body: `text` (the notification's fallback line) and
/// `blocks` (a header, the event's kind and id, then up to 10 findings, one per line).
pub fn slack_body(body: &Value) -> Value {
    let kind = body["detail-type"].as_str().unwrap_or("event");
    let line = format!("Rampart: {kind}: {}", title(body));
    let header: String = title(body).chars().take(150).collect();
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": header}}),
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(&format!("{kind} · {} · event {}", body["source"].as_str().unwrap_or(""), body["id"].as_str().unwrap_or("")))}]}),
    ];
    let lines = finding_lines(body);
    if !lines.is_empty() {
        let mut shown: Vec<String> = lines.iter().take(10).map(|l| format!("• {}", mrkdwn(l))).collect();
        if lines.len() > 10 {
            shown.push(format!("… and {} more", lines.len() - 10));
        }
        let text: String = shown.join("\n").chars().take(2900).collect();
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": text}}));
    }
    json!({ "text": mrkdwn(&line), "blocks": blocks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> EmailSettings {
        EmailSettings {
            host: "smtp.example.com".into(),
            port: 587,
            tls: "starttls".into(),
            from: "rampart@example.com".into(),
            to: vec!["soc@example.com".into()],
            username: None,
            password_env: None,
        }
    }

    #[test]
    fn email_settings_are_checked_with_a_message_saying_what_to_give() {
        assert!(check_email(&email()).is_ok());
        let bad = |f: &dyn Fn(&mut EmailSettings), says: &str| {
            let mut s = email();
            f(&mut s);
            let e = check_email(&s).unwrap_err().to_string();
            assert!(e.contains(says), "{e}");
        };
        bad(&|s| s.host = "".into(), "not an SMTP host");
        bad(&|s| s.port = 0, "not an SMTP port");
        bad(&|s| s.tls = "ssl".into(), "unknown TLS mode");
        bad(&|s| s.from = "rampart".into(), "not an email address");
        bad(&|s| s.to = vec![], "at least one recipient");
        bad(&|s| s.to = vec!["a b@example.com".into()], "not an email address");
        bad(&|s| s.username = Some("u".into()), "password_env");
        bad(&|s| s.password_env = Some("P".into()), "needs a user name");
        bad(
            &|s| {
                s.username = Some("u".into());
                s.password_env = Some("hunter2!".into());
            },
            "not an environment variable name",
        );
        // Only variables meant for it: never the server's AWS keys or anything else.
        bad(
            &|s| {
                s.username = Some("u".into());
                s.password_env = Some("AWS_SECRET_ACCESS_KEY".into());
            },
            "must start with RAMPART_SMTP_",
        );
        // No password in clear to another machine; a loopback relay may take it.
        bad(
            &|s| {
                s.username = Some("u".into());
                s.password_env = Some("RAMPART_SMTP_PASSWORD".into());
                s.tls = "none".into();
            },
            "never sent without TLS",
        );
        let mut relay = email();
        (relay.username, relay.password_env, relay.tls, relay.host) =
            (Some("u".into()), Some("RAMPART_SMTP_PASSWORD".into()), "none".into(), "127.0.0.1".into());
        assert!(check_email(&relay).is_ok());
    }

    #[test]
    fn subjects_texts_and_slack_bodies_name_the_event() {
        let ev = json!({"id": "e1", "source": "rampart.hub", "detail-type": "Security Hub Findings - Imported", "time": "2026-01-01T00:00:00Z",
            "detail": {"findings": [{"title": "S3 bucket <b> is public", "severity": "HIGH", "status": "FAILED", "resource": {"id": "arn:aws:s3:::b"}}, {"title": "x"}]}});
        assert_eq!(subject(&ev), "[Rampart] Security Hub Findings - Imported: S3 bucket <b> is public (+1 more)");
        let t = text(&ev);
        assert!(t.contains("HIGH FAILED S3 bucket <b> is public arn:aws:s3:::b"), "{t}");
        assert!(t.contains("\"id\": \"e1\""), "{t}");
        let s = slack_body(&ev);
        assert_eq!(s["text"], "Rampart: Security Hub Findings - Imported: S3 bucket &lt;b&gt; is public (+1 more)");
        assert_eq!(s["blocks"][0]["type"], "header");
        assert!(s["blocks"][2]["text"]["text"].as_str().unwrap().starts_with("• HIGH FAILED S3 bucket &lt;b&gt; is public"), "{s}");
        let run = json!({"id": "e2", "detail-type": "Inspector Assessment Run State Change", "detail": {"assessmentRunId": 3, "template": "weekly", "state": "COMPLETED"}});
        assert_eq!(subject(&run), "[Rampart] Inspector Assessment Run State Change: assessment run 3 of weekly: COMPLETED");
        let long = json!({"detail-type": "x".repeat(300)});
        assert_eq!(subject(&long).chars().count(), 200);
    }
}

#[cfg(test)]
mod redaction_tests {
    use super::redact_url;

    #[test]
    fn a_url_is_shown_without_its_path_query_or_user() {
        assert_eq!(redact_url("https://hooks.slack.com/services/T000/B000/XXXX"), "https://hooks.slack.com/…");
        assert_eq!(redact_url("https://user:pass@example.com:8443/hook?token=1"), "https://example.com:8443/…");
        assert_eq!(redact_url("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
        assert_eq!(redact_url("http://127.0.0.1:9000/"), "http://127.0.0.1:9000");
        assert_eq!(redact_url("not a url"), "(not a URL)");
    }
}
