//! The investigation graph's store on both backends.

use super::*;
use rampart_graph::{Batch, EntityKind, Rel, Summariser, Tally};
use rampart_hub::GraphFile;

const USER: &str = "arn:aws:iam::111122223333:user/alice";
const KEY: &str = "AKIAIOSFODNN7EXAMPLE";

fn secs(hour: i64) -> i64 {
    at(hour).unix_timestamp()
}

/// Calls of `USER` in hour `hour` (`n`, every other failing), from an address, signed
/// with `KEY`, and a flow of an instance.
fn batch(hour: i64, n: u64) -> Batch {
    let mut s = Summariser::new(1000);
    for i in 0..n {
        let t = secs(hour) + i as i64 * 60;
        let ok = i % 2 == 0;
        s.add(USER, Rel::ApiCall, "iam:ListUsers", if ok { "" } else { "AccessDenied" }, Tally::one(t, ok));
        s.add(USER, Rel::Ip, "203.0.113.7", "", Tally::one(t, ok));
        s.add(KEY, Rel::KeyOf, USER, "", Tally::one(t, ok));
        s.add("i-0123456789abcdef0", Rel::Flow, "203.0.113.7", "in 6 22 ACCEPT", Tally { bytes: 100, packets: 2, ..Tally::one(t, true) });
        s.entity(USER, EntityKind::IamUser, t);
        s.entity(KEY, EntityKind::AccessKey, t);
        s.entity("203.0.113.7", EntityKind::IpAddress, t);
    }
    s.drain()
}

fn file(name: &str) -> GraphFile {
    GraphFile {
        source: "cloudtrail".into(),
        file: name.into(),
        bytes: 10,
        records: 4,
        malformed: 1,
        error: Some("`x` is not JSON".into()),
        ingested_at: at(100),
    }
}

fn graph_summaries_add_up_with_their_file_checkpoints_and_are_pruned(db: &Db) {
    let mut s = db.open();
    s.graph_write(|w| {
        assert!(!w.is_ingested("cloudtrail", "a")?);
        w.add(&batch(0, 4))?;
        w.file_done(&file("a"))
    })
    .unwrap();
    // A second, partial batch of the same hour adds to it.
    s.graph_write(|w| {
        w.add(&batch(0, 1))?;
        w.add(&batch(2, 1))?;
        w.file_done(&file("b"))
    })
    .unwrap();
    // A failed transaction keeps neither summaries nor checkpoint.
    let failed: Result<(), StoreError> = s.graph_write(|w| {
        w.add(&batch(0, 3))?;
        w.file_done(&file("c"))?;
        Err(StoreError::InvalidUpdate("interrupted".into()))
    });
    assert!(failed.is_err());
    assert!(s.graph_is_ingested("cloudtrail", "a").unwrap());
    assert!(!s.graph_is_ingested("cloudtrail", "c").unwrap(), "rolled back");
    assert!(!s.graph_is_ingested("flowlogs", "a").unwrap());
    let files = s.graph_files(Some("cloudtrail")).unwrap();
    assert_eq!(files.iter().map(|f| f.file.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(files[0], file("a"));
    assert!(s.graph_files(Some("flowlogs")).unwrap().is_empty());
    assert_eq!(s.graph_files(None).unwrap().len(), 2);

    let rows = s.graph_summaries(USER, secs(0), secs(1)).unwrap();
    let call = rows.iter().find(|r| r.rel == Rel::ApiCall && r.detail.is_empty()).unwrap();
    assert_eq!((call.tally.count, call.tally.success, call.tally.failure), (3, 3, 0));
    assert_eq!((call.tally.first_seen, call.tally.last_seen), (secs(0), secs(0) + 120));
    let denied = rows.iter().find(|r| r.rel == Rel::ApiCall && r.detail == "AccessDenied").unwrap();
    assert_eq!(denied.tally.count, 2);
    let ip = rows.iter().find(|r| r.rel == Rel::Ip).unwrap();
    assert_eq!((ip.tally.count, ip.hour), (5, secs(0)));
    // Named as destination: the key's rows are the user's too.
    assert!(rows.iter().any(|r| r.src == KEY && r.rel == Rel::KeyOf && r.tally.count == 5), "{rows:#?}");
    assert_eq!(s.graph_summaries(USER, secs(0), secs(3)).unwrap().len(), rows.len() + 3, "hour 2 too");
    let flows = s.graph_summaries("203.0.113.7", secs(0), secs(1)).unwrap();
    let flow = flows.iter().find(|r| r.rel == Rel::Flow).unwrap();
    assert_eq!((flow.tally.bytes, flow.tally.packets, flow.tally.count), (500, 10, 5));

    let first = s.graph_first_sightings(USER).unwrap();
    assert_eq!(first, [(Rel::ApiCall, "iam:ListUsers".to_string(), secs(0)), (Rel::Ip, "203.0.113.7".to_string(), secs(0))]);
    let user = s.graph_entity(USER).unwrap().unwrap();
    assert_eq!((user.kind, user.first_seen, user.last_seen), (EntityKind::IamUser, secs(0), secs(2)));
    assert!(s.graph_entity("nobody").unwrap().is_none());
    let keys = s.graph_entities(Some(EntityKind::AccessKey), "", 10).unwrap();
    assert_eq!(keys.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [KEY]);
    let arns = s.graph_entities(None, "arn:aws:iam::", 10).unwrap();
    assert_eq!(arns.len(), 1);
    assert_eq!(s.graph_counts().unwrap(), (9, 3, 2));

    let dump = s.graph_dump().unwrap();
    assert_eq!(dump.len(), 9);
    assert!(dump.windows(2).all(|w| (&w[0].src, w[0].rel.name(), &w[0].dst, &w[0].detail, w[0].hour)
        < (&w[1].src, w[1].rel.name(), &w[1].dst, &w[1].detail, w[1].hour)));

    // Retention: hours before hour 1 go, and entities last seen before it (none: all were
    // seen in hour 2).
    assert_eq!(s.prune_graph(secs(1)).unwrap(), (5, 0));
    assert_eq!(s.graph_dump().unwrap().iter().map(|r| r.hour).collect::<BTreeSet<_>>(), BTreeSet::from([secs(2)]));
    assert_eq!(s.prune_graph(secs(3)).unwrap(), (4, 3));
    assert_eq!(s.graph_counts().unwrap(), (0, 0, 2), "checkpoints stay: a file is never read twice");
}

/// Batches larger than one statement's rows add up the same.
fn graph_large_batches_add_up(db: &Db) {
    let mut s = db.open();
    let big = || {
        let mut sum = Summariser::new(10_000);
        for i in 0..250 {
            let peer = format!("198.51.100.{}", i % 250);
            sum.add(
                "i-0123456789abcdef0",
                Rel::Flow,
                &peer,
                "in 6 443 ACCEPT",
                Tally { bytes: i, packets: 1, ..Tally::one(secs(i as i64 % 3), true) },
            );
            sum.entity(&peer, EntityKind::IpAddress, secs(i as i64 % 3));
        }
        sum.drain()
    };
    let b = big();
    assert!(b.summaries.len() > 200 && b.entities.len() > 200);
    s.graph_write(|w| w.add(&b)).unwrap();
    s.graph_write(|w| w.add(&big())).unwrap();
    let rows = s.graph_dump().unwrap();
    assert_eq!(rows.len(), 250);
    assert_eq!(rows.iter().map(|r| r.tally.bytes).sum::<u64>(), 2 * (0..250).sum::<u64>());
    assert!(rows.iter().all(|r| r.tally.count == 2));
    assert_eq!(s.graph_counts().unwrap().1, 250);
}

/// Addresses located at ingest: the ones not located are listed, a location is kept as
/// first recorded, read back whole, and forgotten with its address.
fn graph_addresses_are_located_once_and_pruned_with_them(db: &Db) {
    use rampart_graph::geo::Geo;
    let mut s = db.open();
    s.graph_write(|w| w.add(&batch(0, 1))).unwrap();
    s.graph_write(|w| w.add(&graph_more_addresses())).unwrap();
    assert_eq!(s.graph_unlocated_ips("", 10).unwrap(), ["198.51.100.9", "203.0.113.7"]);
    assert_eq!(s.graph_unlocated_ips("198.51.100.9", 10).unwrap(), ["203.0.113.7"], "paged by id");
    let sydney = Geo {
        country: Some("AU".into()),
        country_name: Some("Australia".into()),
        city: Some("Sydney".into()),
        latitude: Some(-33.8688),
        longitude: Some(151.2093),
        accuracy_km: Some(10),
        asn: Some(64501),
        as_org: Some("Example AU Net".into()),
    };
    s.graph_set_geo(&[("203.0.113.7".into(), sydney.clone()), ("198.51.100.9".into(), Geo::default())], "GeoLite2-City (c.mmdb)", at(1))
        .unwrap();
    // A later location of the same address does not replace the first.
    s.graph_set_geo(&[("203.0.113.7".into(), Geo { country: Some("NZ".into()), ..Geo::default() })], "other", at(2)).unwrap();
    assert!(s.graph_unlocated_ips("", 10).unwrap().is_empty());
    let got = s.graph_geo(&["203.0.113.7".into(), "198.51.100.9".into(), "192.0.2.1".into()]).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got["203.0.113.7"], (sydney, "GeoLite2-City (c.mmdb)".to_string()));
    assert!(got["198.51.100.9"].0.is_empty());
    // Retention forgets the address (last seen in hour 0), then its location.
    s.prune_graph(secs(5)).unwrap();
    assert_eq!(s.graph_prune_geo().unwrap(), 2);
    assert!(s.graph_geo(&["203.0.113.7".into()]).unwrap().is_empty());
}

fn graph_more_addresses() -> Batch {
    let mut s = Summariser::new(10);
    s.add(USER, Rel::Ip, "198.51.100.9", "", Tally::one(secs(0), true));
    s.entity("198.51.100.9", EntityKind::IpAddress, secs(0));
    s.drain()
}

conformance!(
    graph_summaries_add_up_with_their_file_checkpoints_and_are_pruned,
    graph_large_batches_add_up,
    graph_addresses_are_located_once_and_pruned_with_them
);
