//! Damaged or arbitrary files never panic the importer (the fuzz target's property, sampled).

use proptest::prelude::*;
use rampart_import_awscli::{import_files, parse_file, ImportOptions};
use std::path::{Path, PathBuf};

const SAMPLE: &[u8] = br#"{"SecurityGroups": [{"GroupId": "sg-1", "OwnerId": "123456789012", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}],
 "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "AvailabilityZone": "us-east-1a", "Association": {"PublicIp": "54.1.1.1"}}],
 "Listeners": [{"ListenerArn": "l", "LoadBalancerArn": "lb", "Port": 80}], "Entries": [{"Cidr": "10.0.0.0/8"}], "NextToken": "x"}"#;

fn run(data: &[u8]) {
    let _ = parse_file(data);
    let opts = ImportOptions {
        account: Some("123456789012".into()),
        region: None,
    };
    for path in ["dump/us-east-1/pl-0123abcd.json", "dump/out.json"] {
        let _ = import_files(
            Path::new("dump"),
            vec![(PathBuf::from(path), data.to_vec())],
            &opts,
            time::OffsetDateTime::UNIX_EPOCH,
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..256)) {
        run(&data);
    }

    #[test]
    fn damaged_sample(cut in 0usize..SAMPLE.len(), flip in 0usize..SAMPLE.len(), byte in any::<u8>()) {
        let mut d = SAMPLE.to_vec();
        d[flip] = byte;
        run(&d);
        run(&SAMPLE[..cut]);
    }
}

#[test]
fn sample_imports() {
    let opts = ImportOptions::default();
    let (inv, _) = import_files(
        Path::new("dump"),
        vec![(PathBuf::from("dump/out.json"), SAMPLE.to_vec())],
        &opts,
        time::OffsetDateTime::UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(inv.accounts[0].regions[0].name, "us-east-1");
}
