#!/usr/bin/env python3
"""Changes to a moto account made through the API, each followed by CloudTrail's record of the
call written into the trail's bucket as CloudTrail delivers it (a gzip-compressed log file under
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/): what `rampart watch cloudtrail` reads
(crates/cli/tests/watch_cloudtrail.rs). moto has no trail that delivers files; the records are
written here in the shape AWS documents ("CloudTrail record contents").

    trail.py ENDPOINT setup           -> {"account", "bucket", "web", "other"} as JSON
    trail.py ENDPOINT open GROUP_ID   (tcp/22 from 0.0.0.0/0)
    trail.py ENDPOINT close GROUP_ID
    trail.py ENDPOINT delete GROUP_ID
    trail.py ENDPOINT junk            (a file that is not gzip, and one that is not a log)
    trail.py ENDPOINT future          (a well-formed log file whose key is dated 2099-01-01)
    trail.py ENDPOINT instance GROUP_ID -> {"instance"}: an instance in the default VPC using
                                      the group (its checks read the group: an instance-level
                                      finding that a change of the group moves)

Each change's file also holds records that change nothing rampart re-reads: a read
(DescribeSecurityGroups), a call that failed (errorCode), a write of an unmapped service
(iam:CreateUser) and a malformed record. A digest file is written beside each log file.
"""
import datetime
import gzip
import json
import sys
import uuid

import boto3

REGION = "us-east-1"
BUCKET = "trail-logs"


def client(endpoint, service):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def account(endpoint):
    return client(endpoint, "sts").get_caller_identity()["Account"]


def record(acct, name, request, response, source="ec2.amazonaws.com", **extra):
    now = datetime.datetime.now(datetime.timezone.utc)
    r = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{acct}:user/alice",
                         "accountId": acct, "accessKeyId": "AKIAEXAMPLE", "userName": "alice"},
        "eventTime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": name,
        "awsRegion": REGION,
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": request,
        "responseElements": response,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": acct,
        "eventCategory": "Management",
    }
    r.update(extra)
    return r


def permission(port):
    return {"items": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port, "groups": {},
                       "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}


def deliver(endpoint, acct, records):
    now = datetime.datetime.now(datetime.timezone.utc)
    day = now.strftime("%Y/%m/%d")
    stamp = now.strftime("%Y%m%dT%H%MZ")
    unique = uuid.uuid4().hex[:16]
    s3 = client(endpoint, "s3")
    key = f"AWSLogs/{acct}/CloudTrail/{REGION}/{day}/{acct}_CloudTrail_{REGION}_{stamp}_{unique}.json.gz"
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": records}).encode()))
    digest = f"AWSLogs/{acct}/CloudTrail-Digest/{REGION}/{day}/{acct}_CloudTrail-Digest_{REGION}_main_{REGION}_{stamp}.json.gz"
    s3.put_object(Bucket=BUCKET, Key=digest, Body=gzip.compress(b'{"logFiles": []}'))
    return key


def noise(acct, group):
    read = record(acct, "DescribeSecurityGroups", {"groupSet": {"items": [{"groupId": group}]}}, None, readOnly=True)
    failed = record(acct, "AuthorizeSecurityGroupIngress", {"groupId": group, "ipPermissions": permission(3389)}, None,
                    errorCode="Client.InvalidPermission.Duplicate", errorMessage="the rule already exists")
    iam = record(acct, "CreateUser", {"userName": "bob"}, {"user": {"userName": "bob"}}, source="iam.amazonaws.com")
    return [read, failed, iam, {"eventSource": "ec2.amazonaws.com", "eventName": 42}]


def main():
    endpoint, action = sys.argv[1], sys.argv[2]
    acct = account(endpoint)
    ec2 = client(endpoint, "ec2")
    if action == "setup":
        client(endpoint, "s3").create_bucket(Bucket=BUCKET)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        web = ec2.create_security_group(GroupName="web", Description="web servers", VpcId=vpc)["GroupId"]
        other = ec2.create_security_group(GroupName="other", Description="left open", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        print(json.dumps({"account": acct, "bucket": BUCKET, "web": web, "other": other}))
        return
    if action == "junk":
        s3 = client(endpoint, "s3")
        day = datetime.datetime.now(datetime.timezone.utc).strftime("%Y/%m/%d")
        base = f"AWSLogs/{acct}/CloudTrail/{REGION}/{day}/{acct}_CloudTrail_{REGION}_"
        s3.put_object(Bucket=BUCKET, Key=base + "20000101T0000Z_notgzip00000000.json.gz", Body=b"\x1f\x8bnot really")
        s3.put_object(Bucket=BUCKET, Key=base + "20000101T0000Z_notalog00000000.json.gz", Body=gzip.compress(b'{"hello": 1}'))
        return
    if action == "future":
        key = f"AWSLogs/{acct}/CloudTrail/{REGION}/2099/01/01/{acct}_CloudTrail_{REGION}_20990101T0000Z_future0000000000.json.gz"
        read = record(acct, "DescribeVpcs", {}, None, readOnly=True)
        client(endpoint, "s3").put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": [read]}).encode()))
        print(json.dumps({"key": key}))
        return
    group = sys.argv[3]
    if action == "instance":
        sub = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]
        subnet, vpc = sub["SubnetId"], sub["VpcId"]
        # moto's default VPC has no internet gateway; AWS's has one, routed from the main table.
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                  {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
        ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        out = ec2.run_instances(
            MinCount=1, MaxCount=1, ImageId="ami-12c6146b", InstanceType="t3.micro",
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [group], "AssociatePublicIpAddress": True}])
        print(json.dumps({"instance": out["Instances"][0]["InstanceId"]}))
        return
    perm = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    if action == "open":
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=perm)
        change = record(acct, "AuthorizeSecurityGroupIngress", {"groupId": group, "ipPermissions": permission(22)},
                        {"requestId": str(uuid.uuid4()), "_return": True})
    elif action == "close":
        ec2.revoke_security_group_ingress(GroupId=group, IpPermissions=perm)
        change = record(acct, "RevokeSecurityGroupIngress", {"groupId": group, "ipPermissions": permission(22)},
                        {"requestId": str(uuid.uuid4()), "_return": True})
    elif action == "delete":
        ec2.delete_security_group(GroupId=group)
        change = record(acct, "DeleteSecurityGroup", {"groupId": group}, {"requestId": str(uuid.uuid4()), "_return": True})
    else:
        sys.exit(f"unknown action {action}")
    print(json.dumps({"key": deliver(endpoint, acct, [change] + noise(acct, group)), "event": change["eventID"]}))


if __name__ == "__main__":
    main()
