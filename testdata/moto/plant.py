#!/usr/bin/env python3
"""Plants an AWS test account in a moto server: misconfigurations AND clean resources, in two
regions. Used by the integration tests (crates/cli/tests/) and the benchmarks.

    plant.py ENDPOINT [--scenario default|account-bpa] [--scale N]

Every resource's name says what the scan must answer: `fail-...` resources must FAIL the
checks named after them, `ok-...` resources must PASS.
"""
import argparse
import io
import json
import os
import socket
import zipfile

import boto3

# S3 Control puts the account id in front of the host (`123456789012.127.0.0.1`): resolve such
# names to loopback so nothing leaves the machine.
_getaddrinfo = socket.getaddrinfo


def _loopback_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".127.0.0.1"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_getaddrinfo

REGIONS = ["us-east-1", "eu-west-1"]


def client(endpoint, service, region):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=boto3.session.Config(s3={"addressing_style": "path"}, inject_host_prefix=False),
    )


def policy(bucket, statements):
    for s in statements:
        s.setdefault("Resource", f"arn:aws:s3:::{bucket}/*")
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


ALL_USERS = "uri=http://acs.amazonaws.com/groups/global/AllUsers"


def plant_s3(endpoint, region, suffix):
    s3 = client(endpoint, "s3", region)

    def make(name):
        kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=name, **kw)
        return name

    owner = None
    b = make(f"ok-private-{suffix}")
    owner = s3.get_bucket_acl(Bucket=b)["Owner"]["ID"]
    owner_grant = f"id={owner}"

    b = make(f"fail-read-acl-{suffix}")
    s3.put_bucket_acl(Bucket=b, ACL="public-read")
    # Tagged for the exclusion-by-tag tests (also the demo estate's).
    s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "Environment", "Value": "sandbox"}]})

    # The canned public-read-write ACL drops WRITE in moto: grant it explicitly.
    b = make(f"fail-write-acl-{suffix}")
    s3.put_bucket_acl(Bucket=b, GrantFullControl=owner_grant, GrantWrite=ALL_USERS)

    b = make(f"fail-read-policy-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]))

    b = make(f"fail-write-policy-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:PutObject", "s3:DeleteObject"]}]))

    b = make(f"ok-ip-pinned-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]))

    b = make(f"ok-vpce-pinned-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [{
        "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]))

    b = make(f"ok-denied-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"],
         "Condition": {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}},
    ]))

    b = make(f"ok-acl-ignored-{suffix}")
    s3.put_bucket_acl(Bucket=b, GrantFullControl=owner_grant, GrantRead=ALL_USERS, GrantWrite=ALL_USERS)
    s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": False})

    b = make(f"ok-policy-restricted-{suffix}")
    s3.put_bucket_policy(Bucket=b, Policy=policy(b, [{"Effect": "Allow", "Principal": "*", "Action": "s3:*"}]))
    s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": True})

    b = make(f"ok-encrypted-{suffix}")
    s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})


def plant_ec2(endpoint, region):
    ec2 = client(endpoint, "ec2", region)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)

    def sg(name, perms):
        gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        if perms:
            ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)
        return gid

    def tcp(port, cidr=None, cidr6=None, group=None, pl=None, to=None):
        p = {"IpProtocol": "tcp", "FromPort": port, "ToPort": to or port}
        if cidr:
            p["IpRanges"] = [{"CidrIp": cidr}]
        if cidr6:
            p["Ipv6Ranges"] = [{"CidrIpv6": cidr6}]
        if group:
            p["UserIdGroupPairs"] = [{"GroupId": group}]
        if pl:
            p["PrefixListIds"] = [{"PrefixListId": pl}]
        return p

    web = sg("ok-web", [tcp(443, cidr="0.0.0.0/0"), tcp(80, cidr6="::/0")])
    sg("ok-private", [tcp(22, cidr="10.0.0.0/8"), tcp(3389, cidr="192.168.0.0/16")])
    sg("ok-ref", [tcp(3306, group=web)])
    db = sg("fail-db-open", [tcp(3306, cidr="0.0.0.0/0")])
    sg("fail-ssh-v6", [tcp(22, cidr6="::/0")])
    sg("fail-all-ports", [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    pl = ec2.create_managed_prefix_list(
        PrefixListName="everyone", MaxEntries=5, AddressFamily="IPv4",
        Entries=[{"Cidr": "0.0.0.0/0", "Description": "the internet"}])["PrefixList"]["PrefixListId"]
    sg("fail-prefix-list", [tcp(5432, pl=pl)])

    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      SubnetId=subnet, SecurityGroupIds=[db, web],
                      MetadataOptions={"HttpTokens": "optional"}, UserData="#!/bin/sh\necho hello\n",
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "fail-imdsv1"}]}])
    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      SubnetId=subnet, SecurityGroupIds=[web], MetadataOptions={"HttpTokens": "required"},
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "ok-imdsv2"}]}])
    vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=8)["VolumeId"]
    public = ec2.create_snapshot(VolumeId=vol, Description="fail-public-snapshot",
                                 TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "Name", "Value": "fail-public-snapshot"}]}])["SnapshotId"]
    ec2.modify_snapshot_attribute(SnapshotId=public, Attribute="createVolumePermission",
                                  OperationType="add", GroupNames=["all"])
    ec2.create_snapshot(VolumeId=vol, Description="ok-private-snapshot",
                        TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "Name", "Value": "ok-private-snapshot"}]}])
    # A public subnet: default route to the internet gateway, public IPs on launch, and a web
    # server behind the ok-web group (443 open to the world, 22 not).
    public_subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.2.0/24")["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=public_subnet, MapPublicIpOnLaunch={"Value": True})
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=public_subnet)
    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                      SubnetId=public_subnet, SecurityGroupIds=[web], MetadataOptions={"HttpTokens": "required"},
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "public-web"}]}])
    # EBS encryption by default: on in eu-west-1 only.
    if region == "eu-west-1":
        ec2.enable_ebs_encryption_by_default()


def plant_rds(endpoint, region):
    rds = client(endpoint, "rds", region)
    rds.create_db_instance(DBInstanceIdentifier="fail-public-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                           MasterUsername="admin", MasterUserPassword="Sup3r-secret-pw!", AllocatedStorage=20,
                           PubliclyAccessible=True, StorageEncrypted=False,
                           Tags=[{"Key": "Environment", "Value": "sandbox"}])
    rds.create_db_instance(DBInstanceIdentifier="ok-private-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                           MasterUsername="admin", MasterUserPassword="Sup3r-secret-pw!", AllocatedStorage=20,
                           PubliclyAccessible=False, StorageEncrypted=True, MultiAZ=True, BackupRetentionPeriod=7)
    rds.create_db_snapshot(DBSnapshotIdentifier="fail-public-db-snapshot", DBInstanceIdentifier="ok-private-db")
    rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="fail-public-db-snapshot", AttributeName="restore",
                                     ValuesToAdd=["all"])
    rds.create_db_snapshot(DBSnapshotIdentifier="ok-private-db-snapshot", DBInstanceIdentifier="ok-private-db")


# ---- FSBP RDS controls (RDS.6 to RDS.35): instances, clusters, event subscriptions ----

def plant_rds_fsbp(endpoint, region):
    """One hardened and one default DB instance and Aurora MySQL cluster, a pair of Multi-AZ DB
    clusters, and a complete and an incomplete event subscription per source type."""
    rds = client(endpoint, "rds", region)
    pw = "Sup3r-secret-pw!"
    rds.create_db_instance(DBInstanceIdentifier="ok-hardened-db", DBInstanceClass="db.t3.micro", Engine="postgres",
                           MasterUsername="dbowner", MasterUserPassword=pw, AllocatedStorage=20, Port=15432,
                           MonitoringInterval=60, MonitoringRoleArn="arn:aws:iam::123456789012:role/rds-monitoring",
                           EnableCloudwatchLogsExports=["postgresql", "upgrade"], CopyTagsToSnapshot=True,
                           EnableIAMDatabaseAuthentication=True, StorageEncrypted=True)
    rds.create_db_instance(DBInstanceIdentifier="fail-default-db", DBInstanceClass="db.t3.micro", Engine="mysql",
                           MasterUsername="admin", MasterUserPassword=pw, AllocatedStorage=20)
    rds.create_db_cluster(DBClusterIdentifier="ok-aurora-cluster", Engine="aurora-mysql", MasterUsername="dbowner",
                          MasterUserPassword=pw, DeletionProtection=True, EnableIAMDatabaseAuthentication=True,
                          BacktrackWindow=86400, CopyTagsToSnapshot=True, StorageEncrypted=True,
                          EnableCloudwatchLogsExports=["audit", "error", "general", "slowquery"])
    for az in ("a", "b"):
        rds.create_db_instance(DBInstanceIdentifier=f"ok-aurora-{az}", DBInstanceClass="db.r6g.large",
                               Engine="aurora-mysql", DBClusterIdentifier="ok-aurora-cluster",
                               AvailabilityZone=f"{region}{az}")
    rds.create_db_cluster(DBClusterIdentifier="fail-aurora-cluster", Engine="aurora-mysql", MasterUsername="admin",
                          MasterUserPassword=pw)
    for name, upgrade in (("ok-multi-az-cluster", True), ("fail-multi-az-cluster", False)):
        rds.create_db_cluster(DBClusterIdentifier=name, Engine="postgres", MasterUsername="dbowner",
                              MasterUserPassword=pw, DBClusterInstanceClass="db.m5d.large", AllocatedStorage=100,
                              StorageType="io1", Iops=1000, AutoMinorVersionUpgrade=upgrade)
    topic = client(endpoint, "sns", region).create_topic(Name="rds-events")["TopicArn"]
    for source, partial in (("db-cluster", ["failure"]), ("db-instance", ["maintenance", "failure"]),
                            ("db-parameter-group", ["maintenance"]), ("db-security-group", ["failure"])):
        rds.create_event_subscription(SubscriptionName=f"ok-{source}-events", SnsTopicArn=topic, SourceType=source,
                                      Enabled=True)
        rds.create_event_subscription(SubscriptionName=f"fail-{source}-events", SnsTopicArn=topic,
                                      SourceType=source, EventCategories=partial, Enabled=True)


def plant_fsbp_extras(endpoint, region):
    """FSBP controls beyond RDS: runs after the other plantings of the region."""
    short = region.replace("-", "")
    s3 = client(endpoint, "s3", region)
    # S3.13: a lifecycle rule on the private bucket; the other buckets have none.
    s3.put_bucket_lifecycle_configuration(Bucket=f"ok-private-{short}", LifecycleConfiguration={"Rules": [
        {"ID": "expire-old", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 365}}]})
    if region == "us-east-1":
        # CloudFront.4, CloudFront.12 (global): a distribution with an origin group over two existing
        # buckets, and one without a group whose bucket does not exist.
        cf = client(endpoint, "cloudfront", region)

        def distribution(ref, buckets, groups=None, viewer=None):
            origins = [{"Id": b, "DomainName": f"{b}.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
                       for b in buckets]
            config = {"CallerReference": ref, "Comment": ref, "Enabled": True,
                      "Origins": {"Quantity": len(origins), "Items": origins},
                      "DefaultCacheBehavior": {"TargetOriginId": buckets[0], "ViewerProtocolPolicy": "redirect-to-https",
                                               "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                               "MinTTL": 0, "TrustedSigners": {"Enabled": False, "Quantity": 0}}}
            if groups:
                config["OriginGroups"] = {"Quantity": len(groups), "Items": groups}
            if viewer:
                config["ViewerCertificate"] = viewer
            cf.create_distribution(DistributionConfig=config)
        pair = [f"ok-private-{short}", f"ok-encrypted-{short}"]
        distribution("ok-failover", pair, [{"Id": "failover", "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [503]}},
                                            "Members": {"Quantity": 2, "Items": [{"OriginId": b} for b in pair]}}])
        distribution("fail-single-origin", [f"fail-deleted-bucket-{short}"])
        # Trusted Advisor's IAM certificate store check: a distribution serving a 1024-bit RSA,
        # SHA-1 signed IAM server certificate (moto gives every server certificate the same id,
        # so only one is planted; the strong side is unit-tested).
        certs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "certs")
        read = lambda name: open(os.path.join(certs, name)).read()
        cert_id = client(endpoint, "iam", region).upload_server_certificate(
            ServerCertificateName="fail-weak-cert", Path="/cloudfront/",
            CertificateBody=read("rsa1024-sha1.pem"), PrivateKey=read("rsa1024-sha1.key"))["ServerCertificateMetadata"]["ServerCertificateId"]
        distribution("fail-weak-cert", pair, [{"Id": "failover", "FailoverCriteria": {"StatusCodes": {"Quantity": 1, "Items": [503]}},
                                               "Members": {"Quantity": 2, "Items": [{"OriginId": b} for b in pair]}}],
                     viewer={"IAMCertificateId": cert_id, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"})
    # Lambda.5: two VPC functions, one with subnets in two zones and one in a single zone.
    iam = client(endpoint, "iam", region)
    try:
        role = iam.get_role(RoleName="lambda-exec")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role = iam.create_role(RoleName="lambda-exec", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    by_zone = {}
    for sn in client(endpoint, "ec2", region).describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]:
        by_zone.setdefault(sn["AvailabilityZone"], sn["SubnetId"])
    zones = sorted(by_zone)
    lam = client(endpoint, "lambda", region)
    for name, subnets in (("ok-two-zones", [by_zone[zones[0]], by_zone[zones[1]]]), ("fail-one-zone", [by_zone[zones[0]]])):
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                            Code={"ZipFile": code.getvalue()}, VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": []})
    # S3.6: another account may rewrite the bucket policy and object ACLs.
    b = f"fail-cross-account-{short}"
    s3.create_bucket(Bucket=b, **({} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}))
    s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
         "Action": ["s3:PutBucketPolicy", "s3:PutObjectAcl"], "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"]}]}))
    # GuardDuty.5/6/7/9/10 (and Prowler's runtime monitoring and EC2 malware protection): every
    # protection plan on us-east-1's detector; eu-west-1 gets a
    # disabled detector without them (GuardDuty.1 still fails there).
    gd = client(endpoint, "guardduty", region)
    if region == "us-east-1":
        gd.update_detector(DetectorId=gd.list_detectors()["DetectorIds"][0], Features=[
            {"Name": f, "Status": "ENABLED"} for f in ("S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS", "EBS_MALWARE_PROTECTION")
        ] + [{"Name": "RUNTIME_MONITORING", "Status": "ENABLED",
              "AdditionalConfiguration": [{"Name": "EKS_ADDON_MANAGEMENT", "Status": "ENABLED"}]}])
    else:
        gd.create_detector(Enable=False, Features=[{"Name": "S3_DATA_EVENTS", "Status": "DISABLED"}])
    # SNS.4, SQS.3, KMS.5: a policy granting to everyone; the other topics, queues and key keep
    # their default (account-pinned) policies.
    def anyone(action, resource="*"):
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": "anyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action, "Resource": resource}]})
    client(endpoint, "sns", region).create_topic(Name="fail-public-topic", Attributes={"Policy": anyone("sns:Publish")})
    client(endpoint, "sqs", region).create_queue(QueueName="fail-public-queue",
                                                 Attributes={"Policy": anyone("sqs:SendMessage")})
    kms = client(endpoint, "kms", region)
    keys = {m.get("Description"): m for m in (kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
                                                for k in kms.list_keys()["Keys"])}
    kms.put_key_policy(KeyId=keys["fail-not-rotated"]["KeyId"], PolicyName="default",
                       Policy=anyone(["kms:Encrypt", "kms:Decrypt"]))
    if region == "us-east-1":
        # CloudTrail.2 and CloudTrail.5: the multi-region trail gets a KMS key and a log group;
        # eu-west-1's single-region trail has neither.
        # IAM.21, KMS.1, KMS.2: customer managed policies and an inline role policy.
        iam = client(endpoint, "iam", region)

        def doc(*statements):
            return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
        iam.create_policy(PolicyName="fail-s3-wildcard", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"}))
        iam.create_policy(PolicyName="fail-decrypt-all-keys", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}))
        iam.create_policy(PolicyName="ok-scoped-policy", PolicyDocument=doc(
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/*"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": keys["ok-rotated"]["Arn"]}))
        iam.create_role(RoleName="fail-decrypt-all", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))
        iam.put_role_policy(RoleName="fail-decrypt-all", PolicyName="decrypt", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "kms:ReEncrypt*", "Resource": "*"}))
        key = keys["ok-rotated"]["Arn"]
        client(endpoint, "cloudtrail", region).update_trail(
            Name="ok-org-trail", KmsKeyId=key,
            CloudWatchLogsLogGroupArn="arn:aws:logs:us-east-1:123456789012:log-group:trail:*",
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/trail-to-logs")


def plant_cloudtrail(endpoint, region, suffix):
    s3 = client(endpoint, "s3", region)
    bucket = f"trail-logs-{suffix}"
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **kw)
    ct = client(endpoint, "cloudtrail", region)
    if region == "us-east-1":
        ct.create_trail(Name="ok-org-trail", S3BucketName=bucket, IsMultiRegionTrail=True,
                        EnableLogFileValidation=True, IncludeGlobalServiceEvents=True)
        ct.start_logging(Name="ok-org-trail")
        # What CreateTrail sets by default on AWS (moto leaves the selectors empty).
        ct.put_event_selectors(TrailName="ok-org-trail", EventSelectors=[
            {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": []}])
    else:
        # Single-region, no log file validation, never started.
        ct.create_trail(Name="fail-stopped-trail", S3BucketName=bucket, IsMultiRegionTrail=False,
                        EnableLogFileValidation=False)


def plant_services(endpoint, region):
    """KMS, ECR, SNS, SQS: one compliant and one non-compliant resource each; GuardDuty,
    Config and Security Hub enabled in us-east-1 only."""
    kms = client(endpoint, "kms", region)
    rotated = kms.create_key(Description="ok-rotated")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    kms.create_key(Description="fail-not-rotated")
    ecr = client(endpoint, "ecr", region)
    ecr.create_repository(repositoryName="ok-scanned", imageScanningConfiguration={"scanOnPush": True},
                          imageTagMutability="IMMUTABLE")
    ecr.create_repository(repositoryName="fail-unscanned", imageScanningConfiguration={"scanOnPush": False})
    sns = client(endpoint, "sns", region)
    sns.create_topic(Name="ok-encrypted-topic", Attributes={"KmsMasterKeyId": "alias/aws/sns"})
    sns.create_topic(Name="fail-plain-topic")
    sqs = client(endpoint, "sqs", region)
    sqs.create_queue(QueueName="ok-encrypted-queue", Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
    sqs.create_queue(QueueName="fail-plain-queue", Attributes={"SqsManagedSseEnabled": "false"})
    if region == "us-east-1":
        client(endpoint, "guardduty", region).create_detector(Enable=True)
        client(endpoint, "securityhub", region).enable_security_hub()
        cfg = client(endpoint, "config", region)
        cfg.put_configuration_recorder(ConfigurationRecorder={
            "name": "default", "roleARN": "arn:aws:iam::123456789012:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
        cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "trail-logs-useast1"})
        cfg.start_configuration_recorder(ConfigurationRecorderName="default")


def plant_route53(endpoint):
    r53 = client(endpoint, "route53", "us-east-1")

    def zone(name, records):
        zid = r53.create_hosted_zone(Name=name, CallerReference=name)["HostedZone"]["Id"]
        r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
            {"Action": "CREATE", "ResourceRecordSet": {"Name": n, "Type": t, "TTL": 300,
                                                       "ResourceRecords": [{"Value": v} for v in vals]}}
            for (n, t, vals) in records]})

    zone("ok-mail.example.", [("ok-mail.example.", "MX", ["10 mx.ok-mail.example."]),
                              ("ok-mail.example.", "TXT", ['"v=spf1 mx -all"'])])
    zone("fail-mail.example.", [("fail-mail.example.", "MX", ["10 mx.fail-mail.example."]),
                                ("fail-mail.example.", "TXT", ['"google-site-verification=abc"'])])


def plant_iam(endpoint):
    iam = client(endpoint, "iam", "us-east-1")
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Sup3r-secret-pw!")
    iam.create_access_key(UserName="alice")
    iam.create_user(UserName="ci-bot")
    iam.create_access_key(UserName="ci-bot")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="app", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    iam.update_account_password_policy(MinimumPasswordLength=8)


# ---- FSBP EC2 controls (EC2.4, .10, .17, .20, .25, .55-.60, .170, .171, .180, .181) ----

def plant_ec2_fsbp(endpoint, region):
    """In the planted VPC (10.20.0.0/16): interface endpoints for every service of EC2.10 and
    EC2.55-60 (the default VPC has none); a stopped instance with two network interfaces; an ENI
    without source/destination check; a compliant and a non-compliant launch template; a
    Site-to-Site VPN connection."""
    ec2 = client(endpoint, "ec2", region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.20.0.0/16"]}])["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.20.1.0/24"]}])["Subnets"][0]["SubnetId"]
    for svc in ["ec2", "ecr.api", "ecr.dkr", "ssm", "ssm-contacts", "ssm-incidents"]:
        ec2.create_vpc_endpoint(VpcId=vpc, VpcEndpointType="Interface", ServiceName=f"com.amazonaws.{region}.{svc}")

    def name(n):
        return [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": n}]}]

    # (No paravirtual instance: with MOTO_EC2_LOAD_DEFAULT_AMIS=false, as the tests run moto, moto
    # reports every instance as paravirtual, so EC2.24 is unit-tested only.)
    two = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet},
                                               {"DeviceIndex": 1, "SubnetId": subnet}],
                            MetadataOptions={"HttpTokens": "required"}, TagSpecifications=name("fail-two-enis"))
    # Stopped just now: within EC2.4's 30 days.
    ec2.stop_instances(InstanceIds=[two["Instances"][0]["InstanceId"]])
    eni = ec2.create_network_interface(SubnetId=subnet, Description="fail-source-dest-check")["NetworkInterface"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni["NetworkInterfaceId"], SourceDestCheck={"Value": False})
    ec2.create_launch_template(LaunchTemplateName="ok-launch-template", LaunchTemplateData={
        "ImageId": "ami-12c6146b", "MetadataOptions": {"HttpTokens": "required"},
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True}}]})
    ec2.create_launch_template(LaunchTemplateName="fail-launch-template", LaunchTemplateData={
        "ImageId": "ami-12c6146b", "MetadataOptions": {"HttpTokens": "optional"},
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": False}}]})
    # A Site-to-Site VPN connection: moto reports neither tunnel telemetry nor tunnel options, so
    # EC2.20 and EC2.171 must say NOT_AVAILABLE, never PASSED.
    cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.10", BgpAsn=65000)["CustomerGateway"]
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]
    ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw["CustomerGatewayId"], VpnGatewayId=vgw["VpnGatewayId"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("endpoint")
    ap.add_argument("--scenario", default="default", choices=["default", "account-bpa"])
    ap.add_argument("--scale", type=int, default=1, help="repeat the S3 and EC2 plantings N times")
    a = ap.parse_args()
    for region in REGIONS:
        short = region.replace("-", "")
        for i in range(a.scale):
            suffix = short if i == 0 else f"{short}-{i}"
            plant_s3(a.endpoint, region, suffix)
            if i == 0:
                plant_ec2(a.endpoint, region)
                plant_ec2_fsbp(a.endpoint, region)
                plant_rds(a.endpoint, region)
                plant_rds_fsbp(a.endpoint, region)
                plant_cloudtrail(a.endpoint, region, short)
                plant_services(a.endpoint, region)
                plant_fsbp_extras(a.endpoint, region)
    plant_iam(a.endpoint)
    plant_route53(a.endpoint)
    if a.scenario == "account-bpa":
        client(a.endpoint, "s3control", "us-east-1").put_public_access_block(
            AccountId="123456789012",
            PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                            "BlockPublicPolicy": True, "RestrictPublicBuckets": True})


if __name__ == "__main__":
    main()
