//! The runs' inventories (`inventory.rs`) on both backends: a snapshot recorded in parts
//! (compressed as it comes) with its resources, read back whole, listed by pages and
//! facets with each resource's failed findings, looked up by ARN or id, replaced, and
//! pruned to the latest `INVENTORIES_KEPT`.

use super::*;
use rampart_hub::{InventoryResource, ResourceFilter, INVENTORIES_KEPT, MAX_RESOURCES_PAGE};

fn resource(name: &str, kind: &str, account: &str, region: &str) -> InventoryResource {
    InventoryResource {
        arn: format!("arn:aws:s3:::{name}"),
        id: name.to_string(),
        kind: kind.to_string(),
        account: account.to_string(),
        region: region.to_string(),
        name: name.to_string(),
        pointer: format!("/x/{name}"),
    }
}

fn an_inventory_is_recorded_in_parts_browsed_replaced_and_pruned(db: &Db) {
    let mut s = db.open();
    assert_eq!(s.latest_inventory().unwrap(), None);
    let mut fs = vec![
        finding("S3.1", "a", A, Status::Failed, 0),
        finding("S3.2", "a", A, Status::Failed, 0),
        finding("S3.3", "b", B, Status::Passed, 0),
    ];
    s.record_run(&run("r1", 0, &[A, B], &[USE1]), &mut fs, &[]).unwrap();

    // Three parts: JSON and resources, resources alone (more than one statement's worth),
    // JSON alone; `a` given twice is kept once.
    let many: Vec<InventoryResource> = (0..1203).map(|i| resource(&format!("m{i:04}"), "AwsEc2Instance", B, "eu-west-1")).collect();
    let parts = vec![
        Ok((br#"{"a":1}"#.to_vec(), vec![resource("a", "AwsS3Bucket", A, USE1), resource("b", "AwsS3Bucket", B, USE1)])),
        Ok((Vec::new(), many)),
        Ok((br#"{"b":2}"#.to_vec(), vec![resource("a", "AwsS3Bucket", A, USE1), resource("z", "ec2.route_tables", A, "eu-west-1")])),
    ];
    s.record_inventory_parts("r1", at(0), br#"{"x":["#, parts, b"]}").unwrap();
    let json = s.inventory_json("r1").unwrap().unwrap();
    assert_eq!(String::from_utf8(json).unwrap(), r#"{"x":[{"a":1},{"b":2}]}"#);
    let info = s.latest_inventory().unwrap().unwrap();
    assert_eq!((info.run_id.as_str(), info.collected_at, info.json_bytes, info.resources), ("r1", at(0), 23, 1206));
    assert!(info.stored_bytes > 0);
    assert_eq!(s.inventories().unwrap(), vec![info.clone()]);

    // Pages in ARN order, with the failed findings of each resource.
    let all = ResourceFilter::default();
    let page = s.inventory_resources("r1", &all, None, 2).unwrap();
    assert_eq!(page.total, 1206);
    assert_eq!(page.resources.iter().map(|r| (r.resource.id.as_str(), r.failed)).collect::<Vec<_>>(), [("a", 2), ("b", 0)]);
    assert_eq!(page.next.as_deref(), Some("arn:aws:s3:::b"));
    let page2 = s.inventory_resources("r1", &all, page.next.as_deref(), 2).unwrap();
    assert_eq!(page2.resources.iter().map(|r| r.resource.id.as_str()).collect::<Vec<_>>(), ["m0000", "m0001"]);
    assert_eq!(page2.total, 1206, "the filter's total, not the page's");
    let big = s.inventory_resources("r1", &all, None, 100_000).unwrap();
    assert_eq!(big.resources.len(), MAX_RESOURCES_PAGE);
    let last = s.inventory_resources("r1", &all, Some("arn:aws:s3:::m1202"), 10).unwrap();
    assert_eq!((last.resources.len(), last.next), (1, None));
    let ec2 = ResourceFilter { kind: Some("ec2.route_tables".into()), ..Default::default() };
    assert_eq!(
        s.inventory_resources("r1", &ec2, None, 10).unwrap().resources[0].resource,
        resource("z", "ec2.route_tables", A, "eu-west-1")
    );
    let a_west = ResourceFilter { account: Some(A.into()), region: Some("eu-west-1".into()), kind: None };
    assert_eq!(s.inventory_resources("r1", &a_west, None, 10).unwrap().total, 1);
    assert_eq!(s.inventory_resources("nope", &all, None, 10).unwrap().total, 0);

    // By ARN, or by its own id.
    assert_eq!(s.inventory_resource("r1", "arn:aws:s3:::b").unwrap().map(|r| r.id), Some("b".into()));
    assert_eq!(s.inventory_resource("r1", "m0007").unwrap().map(|r| r.pointer), Some("/x/m0007".into()));
    assert_eq!(s.inventory_resource("r1", "nothing").unwrap(), None);

    let (types, accounts, regions) = s.inventory_facets("r1").unwrap();
    assert_eq!(types, vec![("AwsEc2Instance".to_string(), 1203), ("AwsS3Bucket".into(), 2), ("ec2.route_tables".into(), 1)]);
    assert_eq!(accounts, vec![(A.to_string(), 2), (B.to_string(), 1204)]);
    assert_eq!(regions, vec![("eu-west-1".to_string(), 1204), (USE1.to_string(), 2)]);

    // A part that fails stores nothing; what was there stays.
    let failing =
        vec![Ok((b"{}".to_vec(), vec![resource("q", "AwsS3Bucket", A, USE1)])), Err(StoreError::InvalidImport("part 2 unreadable".into()))];
    let e = s.record_inventory_parts("r1", at(1), b"[", failing, b"]").unwrap_err();
    assert!(e.to_string().contains("part 2 unreadable"), "{e}");
    assert_eq!(s.latest_inventory().unwrap().unwrap().resources, 1206);

    // Recorded again: replaced.
    s.record_inventory("r1", at(2), b"{}", &[resource("c", "AwsS3Bucket", A, USE1)]).unwrap();
    let info = s.latest_inventory().unwrap().unwrap();
    assert_eq!((info.collected_at, info.resources, info.json_bytes), (at(2), 1, 2));
    assert_eq!(s.inventory_json("r1").unwrap().unwrap(), b"{}");
    assert_eq!(s.inventory_resource("r1", "a").unwrap(), None);

    // Only the latest INVENTORIES_KEPT are kept.
    for i in 0..INVENTORIES_KEPT {
        let id = format!("k{i}");
        s.record_run(&run(&id, 10 + i as i64, &[A], &[USE1]), &mut [], &[]).unwrap();
        s.record_inventory(&id, at(10 + i as i64), b"[]", &[resource("a", "AwsS3Bucket", A, USE1)]).unwrap();
    }
    let kept = s.inventories().unwrap();
    assert_eq!(kept.len(), INVENTORIES_KEPT);
    assert_eq!(kept[0].run_id, format!("k{}", INVENTORIES_KEPT - 1), "latest first");
    assert!(kept.iter().all(|i| i.run_id != "r1"));
    assert_eq!(s.inventory_json("r1").unwrap(), None);
    assert_eq!(s.inventory_resources("r1", &all, None, 10).unwrap().total, 0, "its resources went with it");
    assert_eq!(s.runs().unwrap().len(), INVENTORIES_KEPT + 1, "the run stays");
}

/// `rampart db copy` brings a SQLite file's inventories, schedules and trail files to
/// PostgreSQL: read back there as from the file.
#[test]
fn a_copy_to_postgres_brings_the_inventories_schedules_and_trail_files() {
    use rampart_hub::{ScheduleScope, TrailFile};
    let lite = sqlite();
    let mut s = lite.open();
    let mut fs = vec![finding("S3.1", "a", A, Status::Failed, 0)];
    s.record_run(&run("r1", 0, &[A], &[USE1]), &mut fs, &[]).unwrap();
    let resources: Vec<InventoryResource> = (0..30).map(|i| resource(&format!("b{i}"), "AwsS3Bucket", A, USE1)).collect();
    s.record_inventory("r1", at(0), br#"{"accounts":[]}"#, &resources).unwrap();
    let org = s.create_schedule(&ScheduleScope::Org, 3600, false, at(0)).unwrap();
    assert!(s.claim_schedule(org.id, "a", at(0), at(1), None).unwrap());
    assert!(s.finish_schedule_run(org.id, "a", at(1), None, Some("r1")).unwrap());
    let file = TrailFile { key: "p/2026/03/01/f.json.gz".into(), prefix: "p/".into(), events: 4, changes: 1, skipped: 2, error: None };
    s.record_trail_file("trail-logs", &file, at(1)).unwrap();
    drop(s);

    let pg = postgres();
    let mut target_store = pg.open();
    let source = Store::open_read_only(std::path::Path::new(&lite.spec)).unwrap();
    let stats = target_store.postgres_mut().expect("PostgreSQL").copy_from(&source).unwrap();
    for (table, rows) in [("inventories", 1), ("inventory_resources", 30), ("schedules", 1), ("trail_files", 1), ("trail_checkpoints", 1)] {
        assert_eq!(stats.rows(table), rows, "{table}: {stats:?}");
    }
    drop(target_store);
    let (a, mut b) = (lite.open(), pg.open());
    assert_eq!(a.inventories().unwrap(), b.inventories().unwrap());
    assert_eq!(a.inventory_json("r1").unwrap(), b.inventory_json("r1").unwrap());
    let all = ResourceFilter::default();
    assert_eq!(a.inventory_resources("r1", &all, None, 100).unwrap(), b.inventory_resources("r1", &all, None, 100).unwrap());
    assert_eq!(a.schedules().unwrap(), b.schedules().unwrap());
    assert_eq!(a.trail_totals("trail-logs").unwrap(), b.trail_totals("trail-logs").unwrap());
    assert_eq!(b.trail_checkpoint("trail-logs", "p/").unwrap().as_deref(), Some("p/2026/03/01/f.json.gz"));
    // Rows written after the copy get fresh ids.
    let next = b.create_schedule(&ScheduleScope::Account { account: A.into() }, 3600, false, at(2)).unwrap();
    assert!(next.id > org.id, "{} after {}", next.id, org.id);
}

/// Two writers (two workers' evaluations) record inventories at the same time: every one
/// is kept, each with its own place in the order.
fn inventories_recorded_at_once_on_two_connections_are_all_kept(db: &Db) {
    let mut s = db.open();
    for i in 0..8 {
        s.record_run(&run(&format!("r{i}"), i, &[A], &[USE1]), &mut [], &[]).unwrap();
    }
    let barrier = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        for half in 0..2 {
            let barrier = &barrier;
            scope.spawn(move || {
                let mut mine = db.open();
                barrier.wait();
                for i in (half..8).step_by(2) {
                    let id = format!("r{i}");
                    mine.record_inventory(&id, at(i), b"[]", &[resource(&id, "AwsS3Bucket", A, USE1)]).unwrap();
                }
            });
        }
    });
    let kept = s.inventories().unwrap();
    assert_eq!(kept.len(), 8);
    let mut ids: Vec<&str> = kept.iter().map(|i| i.run_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
}

conformance!(an_inventory_is_recorded_in_parts_browsed_replaced_and_pruned, inventories_recorded_at_once_on_two_connections_are_all_kept,);
