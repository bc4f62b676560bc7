//! Which entities of the investigation graph a finding names: its resource (a detection's
//! principal, a bucket, an instance), its account, and the ARNs, addresses, access key ids,
//! instance and interface ids its reason, detail and title mention — each kept only when
//! the graph holds it, so every link the console draws opens a profile with data.

use crate::investigate::EntityLine;
use anyhow::Result;
use rampart_graph::EntityKind;
use rampart_hub::Store;

/// At most this many candidate ids are looked up per finding (a long detail cannot turn a
/// page into hundreds of queries).
pub const MAX_CANDIDATES: usize = 64;

/// The ids in `text` that look like graph entities: ARNs, IP addresses, access key ids,
/// instance and interface ids, account ids. In order of appearance, each once.
pub fn ids_in_text(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let cut = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>' | ',' | ';');
    for raw in text.split(cut) {
        let token = raw.trim_end_matches(['.', ':']);
        if token.len() < 7 || token.len() > 2048 {
            continue;
        }
        let kind = EntityKind::of_id(token);
        let wanted = token.starts_with("arn:") || kind != EntityKind::Resource;
        if wanted && !out.iter().any(|t| t == token) {
            out.push(token.to_string());
        }
    }
    out
}

/// The ids a finding names, in the order shown: its resource, its account, then those of
/// `texts` (its reason, detail and title).
pub fn finding_candidates(resource: &str, account: &str, texts: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        let id = id.trim();
        if !id.is_empty() && !out.iter().any(|t| t == id) && out.len() < MAX_CANDIDATES {
            out.push(id.to_string());
        }
    };
    push(resource);
    push(account);
    for text in texts {
        for id in ids_in_text(text) {
            push(&id);
        }
    }
    out
}

/// Of `candidates`, those the graph holds, in the given order.
pub fn known_entities(store: &Store, candidates: &[String]) -> Result<Vec<EntityLine>> {
    let mut out = Vec::new();
    for id in candidates.iter().take(MAX_CANDIDATES) {
        if let Some(e) = store.graph_entity(id)? {
            out.push(EntityLine {
                id: e.id,
                kind: e.kind,
                first_seen: rampart_graph::text_time(e.first_seen),
                last_seen: rampart_graph::text_time(e.last_seen),
            });
        }
    }
    Ok(out)
}

/// The graph's entities a finding names ([`finding_candidates`] the graph holds).
pub fn finding_entities(store: &Store, resource: &str, account: &str, texts: &[&str]) -> Result<Vec<EntityLine>> {
    known_entities(store, &finding_candidates(resource, account, texts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_in_prose_and_lists() {
        let text = "user/alice called from 203.0.113.7, with key AKIAIOSFODNN7EXAMPLE (instance i-0123456789abcdef0); \
                    role `arn:aws:iam::111122223333:role/deploy`. Event 9d3c0d0e-5a51-4b4e-9c6a-2f3e1d2c3b4a twice: 203.0.113.7";
        assert_eq!(
            ids_in_text(text),
            ["203.0.113.7", "AKIAIOSFODNN7EXAMPLE", "i-0123456789abcdef0", "arn:aws:iam::111122223333:role/deploy"]
        );
        assert!(ids_in_text("nothing here: 12 items, version 2.0").is_empty());
    }

    #[test]
    fn a_findings_resource_and_account_come_first() {
        let got = finding_candidates(
            "arn:aws:iam::111122223333:user/alice",
            "111122223333",
            &["from 198.51.100.9 and arn:aws:iam::111122223333:user/alice", "Stopped logging: user/alice"],
        );
        assert_eq!(got, ["arn:aws:iam::111122223333:user/alice", "111122223333", "198.51.100.9"]);
    }
}
