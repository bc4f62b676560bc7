#!/usr/bin/env python3
"""Plants, in us-east-1 and eu-west-1 of a moto server of its own, EFS file systems and access
points that fail and pass the EFS checks (asserted by
`efs_checks_fail_and_pass_on_planted_file_systems_in_two_regions` in crates/cli/tests/scan.rs).

    plant_efs.py ENDPOINT

Per region (zone A = the region's first Availability Zone):

- a VPC "vpc-efs" (10.20.0.0/16) with a subnet in zone A that does not assign public IPv4
  addresses on launch;
- file systems, each tagged with its Name:
  - "efs-fail": not encrypted, automatic backups off (no backup policy), a mount target in the
    default VPC's default subnet of zone A (which assigns public IPv4 addresses on launch);
  - "efs-ok": encrypted, automatic backups on (backup policy ENABLED), a mount target in the
    vpc-efs subnet;
  - "efs-bare": encrypted, no mount targets (passes EFS.6: nothing to expose);
- access points on efs-ok, each tagged with its Name:
  - "ap-fail": no POSIX user, no root directory (EFS uses `/`);
  - "ap-ok": POSIX user 1000:1000, root directory /app.

It prints, as JSON, {region: {logical name: the resource name the scan reports}}.

Everything set is read back with boto3 and asserted, so a moto that stops storing it fails here
rather than in the scan.
"""
import json
import sys

import boto3


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant(endpoint, region):
    ec2 = client(endpoint, "ec2", region)
    efs = client(endpoint, "efs", region)
    a = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]

    # ---- Subnets: the default one of zone A (public on launch) and a private one.
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    public = next(s for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"]
                  if s["AvailabilityZone"] == a)["SubnetId"]
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16",
                         TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "vpc-efs"}]}])["Vpc"]["VpcId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone=a)["Subnet"]["SubnetId"]

    # ---- File systems.
    def file_system(name, **kw):
        fs = efs.create_file_system(CreationToken=name, Tags=[{"Key": "Name", "Value": name}], **kw)
        return fs["FileSystemId"]

    fail = file_system("efs-fail", Encrypted=False, Backup=False)
    ok = file_system("efs-ok", Encrypted=True, Backup=True)
    bare = file_system("efs-bare", Encrypted=True, Backup=True)
    efs.create_mount_target(FileSystemId=fail, SubnetId=public)
    efs.create_mount_target(FileSystemId=ok, SubnetId=private)

    # ---- Access points.
    efs.create_access_point(ClientToken="ap-fail", FileSystemId=ok, Tags=[{"Key": "Name", "Value": "ap-fail"}])
    efs.create_access_point(ClientToken="ap-ok", FileSystemId=ok, Tags=[{"Key": "Name", "Value": "ap-ok"}],
                            PosixUser={"Uid": 1000, "Gid": 1000},
                            RootDirectory={"Path": "/app", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "750"}})

    # ---- Read back what moto stored.
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(SubnetIds=[public, private])["Subnets"]}
    assert subnets[public]["MapPublicIpOnLaunch"] is True, subnets[public]
    assert subnets[private]["MapPublicIpOnLaunch"] is False, subnets[private]
    fss = {f["Name"]: f for f in efs.describe_file_systems()["FileSystems"]}
    assert set(fss) == {"efs-fail", "efs-ok", "efs-bare"}, set(fss)
    assert fss["efs-fail"]["Encrypted"] is False, fss["efs-fail"]
    assert fss["efs-ok"]["Encrypted"] is True and fss["efs-bare"]["Encrypted"] is True, fss
    try:
        efs.describe_backup_policy(FileSystemId=fail)
        raise AssertionError("efs-fail has a backup policy")
    except efs.exceptions.PolicyNotFound:
        pass
    assert efs.describe_backup_policy(FileSystemId=ok)["BackupPolicy"]["Status"] == "ENABLED"
    assert [m["SubnetId"] for m in efs.describe_mount_targets(FileSystemId=fail)["MountTargets"]] == [public]
    assert [m["SubnetId"] for m in efs.describe_mount_targets(FileSystemId=ok)["MountTargets"]] == [private]
    assert efs.describe_mount_targets(FileSystemId=bare)["MountTargets"] == []
    aps = {ap["Name"]: ap for ap in efs.describe_access_points()["AccessPoints"]}
    assert set(aps) == {"ap-fail", "ap-ok"}, set(aps)
    assert not aps["ap-fail"].get("PosixUser") and aps["ap-fail"]["RootDirectory"]["Path"] == "/", aps["ap-fail"]
    assert aps["ap-ok"]["PosixUser"]["Uid"] == 1000 and aps["ap-ok"]["RootDirectory"]["Path"] == "/app", aps["ap-ok"]
    return {n: n for n in ("efs-fail", "efs-ok", "efs-bare", "ap-fail", "ap-ok")}


def main():
    endpoint = sys.argv[1]
    names = {region: plant(endpoint, region) for region in ["us-east-1", "eu-west-1"]}
    print(json.dumps(names))


if __name__ == "__main__":
    main()
