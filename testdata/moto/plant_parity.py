#!/usr/bin/env python3
"""Plants, in a moto server of its own, both sides of the Prowler-parity checks whose data moto
can represent (asserted by `crates/collect-aws/tests/parity.rs`).

    plant_parity.py ENDPOINT

us-east-1:
- VPCs "vpc-multi" (subnets in us-east-1a and us-east-1b) and "vpc-single" (two subnets, both
  in us-east-1a); interface endpoints "vpce-two" (subnets in two zones) and "vpce-one" (one);
- security groups "sg-used" (on an instance), "sg-unused" (on nothing) and "launch-wizard-1";
- instances "mon-on" (detailed monitoring, an instance profile) and "mon-off" (neither);
- launch templates "lt-leaky" (an access key in the user data of version 1, version 2 clean)
  and "lt-clean";
- a multi-Region KMS key;
- Lambda functions "fn-good" (environment encrypted with a customer managed key, a layer of the
  account, a dead-letter queue that moto does not keep, a function URL allowing one CORS origin)
  and "fn-bad" (a function URL allowing any origin, environment variables,
  no key);
- Auto Scaling groups behind a target group: "asg-rebalance" (Capacity Rebalancing) and
  "asg-plain";
- a configuration recorder "custom-role" with a role of the account (us-west-2: "slr", with
  AWSServiceRoleForConfig);
- Aurora PostgreSQL clusters "aurora-default-port" (5432) and "aurora-other-port" (15432);
  PostgreSQL instances "pg-forced" (rds.force_ssl 1) and "pg-open" (rds.force_ssl 0), each
  with a parameter group of its own;
- EFS file systems "efs-open" (no policy, one mount target) and "efs-locked" (a policy for one
  role, mount targets in two zones);
- public hosted zones "logged.example." (query logging to a log group) and "quiet.example."
  (A records: "own.quiet.example." to an Elastic IP of the account in us-east-1,
  "released.quiet.example." to 3.5.140.1, in AWS's ranges, "outside.quiet.example." to
  203.0.113.10, in none);
- IAM: groups "admins" (AdministratorAccess, a member without MFA) and "admins-mfa"
  (AdministratorAccess, a member with a virtual MFA device); roles "trail-admin" (an inline
  policy allowing cloudtrail:*) and "reader" (an inline policy allowing s3:GetObject);
- S3 buckets "parity-src" (replicated to "parity-dst-eu" in eu-west-1, object-removal events to
  an SNS topic), "parity-locked" (Object Lock) and "parity-plain" (none of these);
- CloudFront distributions "cf-guarded" (a geo allow list, field-level encryption on the default
  cache behaviour) and "cf-open" (neither);
- logging trails "trail-insights" (API call rate Insights) and "trail-plain";
- SNS topics "subs-mixed" (HTTPS, HTTP and SQS subscriptions) and "subs-https" (HTTPS only);
- an ECR repository in each region, the registry scanning with Inspector (enhanced, every
  repository) in us-east-1 and basic in us-west-2.

No SAML provider is planted here (`parity.rs` adds one after a first collection).

Everything set is read back with boto3 and asserted. Prints {logical name: resource name} as
JSON, the names the checks' results carry.
"""
import base64
import io
import json
import sys
import zipfile

import boto3

ACCOUNT = "123456789012"


def client(endpoint, service, region="us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant(endpoint):
    names = {}
    ec2 = client(endpoint, "ec2")
    # Network: one VPC with subnets in two zones, one with both subnets in a single zone.
    multi = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    single = ec2.create_vpc(CidrBlock="10.21.0.0/16")["Vpc"]["VpcId"]
    sa = ec2.create_subnet(VpcId=multi, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    sb = ec2.create_subnet(VpcId=multi, CidrBlock="10.20.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    for cidr in ["10.21.1.0/24", "10.21.2.0/24"]:
        ec2.create_subnet(VpcId=single, CidrBlock=cidr, AvailabilityZone="us-east-1a")
    names.update({"vpc-multi": multi, "vpc-single": single})
    two = ec2.create_vpc_endpoint(VpcId=multi, ServiceName="com.amazonaws.us-east-1.ssm", VpcEndpointType="Interface", SubnetIds=[sa, sb])["VpcEndpoint"]["VpcEndpointId"]
    one = ec2.create_vpc_endpoint(VpcId=multi, ServiceName="com.amazonaws.us-east-1.ec2", VpcEndpointType="Interface", SubnetIds=[sa])["VpcEndpoint"]["VpcEndpointId"]
    names.update({"vpce-two": two, "vpce-one": one})
    used = ec2.create_security_group(GroupName="sg-used", Description="on an instance", VpcId=multi)["GroupId"]
    ec2.create_security_group(GroupName="sg-unused", Description="on nothing", VpcId=multi)
    names.update({"sg-used": "sg-used", "sg-unused": "sg-unused"})
    # Instances with and without detailed monitoring; "mon-on" carries sg-used.
    ec2.create_security_group(GroupName="launch-wizard-1", Description="launch-wizard-1 created by the console", VpcId=multi)
    names["launch-wizard-1"] = "launch-wizard-1"
    # "mon-on" also runs with an instance profile, "mon-off" without.
    client(endpoint, "iam").create_instance_profile(InstanceProfileName="parity-profile")
    on = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=sa, SecurityGroupIds=[used],
                           Monitoring={"Enabled": True}, IamInstanceProfile={"Name": "parity-profile"})["Instances"][0]["InstanceId"]
    off = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=sb)["Instances"][0]["InstanceId"]
    names.update({"mon-on": on, "mon-off": off})
    assert {i["InstanceId"]: i["Monitoring"]["State"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]}[on] == "enabled"

    # Launch templates: a key in an old version only.
    key_id, secret = "AKIA" + "Q3EGRN5UVWXYZ2AB", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2" + "/Ae4Ku9M"
    leaky_ud = f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={key_id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n"
    b64 = lambda s: base64.b64encode(s.encode()).decode()
    lt = ec2.create_launch_template(LaunchTemplateName="lt-leaky", LaunchTemplateData={"UserData": b64(leaky_ud)})["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(LaunchTemplateId=lt, LaunchTemplateData={"UserData": b64("#!/bin/bash\necho clean\n")})
    ec2.create_launch_template(LaunchTemplateName="lt-clean", LaunchTemplateData={"UserData": b64("#!/bin/bash\nyum -y install nginx\n")})
    assert len(ec2.describe_launch_template_versions(LaunchTemplateId=lt)["LaunchTemplateVersions"]) == 2
    names.update({"lt-leaky": "lt-leaky", "lt-clean": "lt-clean"})

    kms = client(endpoint, "kms")
    mrk = kms.create_key(MultiRegion=True)["KeyMetadata"]
    assert kms.describe_key(KeyId=mrk["KeyId"])["KeyMetadata"]["MultiRegion"] is True
    names["kms-mrk"] = mrk["Arn"]
    cmk = kms.create_key()["KeyMetadata"]["Arn"]

    # Lambda.
    iam = client(endpoint, "iam")
    role = iam.create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return 1\n")
    lam = client(endpoint, "lambda")
    layer = lam.publish_layer_version(LayerName="utils", Content={"ZipFile": buf.getvalue()})["LayerVersionArn"]
    sqs = client(endpoint, "sqs")
    dlq = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName="fn-dlq")["QueueUrl"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    common = dict(Runtime="python3.12", Role=role, Handler="app.handler", Code={"ZipFile": buf.getvalue()},
                  Environment={"Variables": {"DB_HOST": "db.internal"}})
    lam.create_function(FunctionName="fn-good", KMSKeyArn=cmk, DeadLetterConfig={"TargetArn": dlq}, Layers=[layer], **common)
    lam.create_function(FunctionName="fn-bad", **common)
    got = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
    assert got["fn-good"]["KMSKeyArn"] == cmk and got["fn-good"]["Layers"][0]["Arn"] == layer
    # moto 5 drops DeadLetterConfig: both functions list none (the check's pass side is unit-tested).
    assert "DeadLetterConfig" not in got["fn-good"]
    names.update({"fn-good": "fn-good", "fn-bad": "fn-bad"})
    # Function URLs (IAM auth): CORS for one origin on fn-good, for any origin on fn-bad.
    for fn, origins in [("fn-good", ["https://app.example.com"]), ("fn-bad", ["https://app.example.com", "*"])]:
        lam.create_function_url_config(FunctionName=fn, AuthType="AWS_IAM", Cors={"AllowOrigins": origins, "AllowMethods": ["GET"]})
        assert lam.get_function_url_config(FunctionName=fn)["Cors"]["AllowOrigins"] == origins

    # Auto Scaling groups behind a target group.
    elbv2 = client(endpoint, "elbv2")
    tg = elbv2.create_target_group(Name="parity-tg", Protocol="HTTP", Port=80, VpcId=multi)["TargetGroups"][0]["TargetGroupArn"]
    asg = client(endpoint, "autoscaling")
    asg.create_launch_configuration(LaunchConfigurationName="parity-lc", ImageId="ami-12c6146b", InstanceType="t3.micro")
    for name, rebalance in [("asg-rebalance", True), ("asg-plain", False)]:
        asg.create_auto_scaling_group(AutoScalingGroupName=name, LaunchConfigurationName="parity-lc", MinSize=0, MaxSize=1,
                                      VPCZoneIdentifier=f"{sa},{sb}", TargetGroupARNs=[tg], CapacityRebalance=rebalance)
    assert {g["AutoScalingGroupName"]: g["CapacityRebalance"] for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]} == {"asg-rebalance": True, "asg-plain": False}
    names.update({"asg-rebalance": "asg-rebalance", "asg-plain": "asg-plain"})

    # AWS Config: a custom role here, the service-linked role in us-west-2.
    for region, name, role_arn in [
        ("us-east-1", "custom-role", f"arn:aws:iam::{ACCOUNT}:role/config-recorder"),
        ("us-west-2", "slr", f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
    ]:
        cfg = client(endpoint, "config", region)
        cfg.put_configuration_recorder(ConfigurationRecorder={"name": name, "roleARN": role_arn, "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
        cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": f"config-bucket-{region}"})
        cfg.start_configuration_recorder(ConfigurationRecorderName=name)
        names[name] = f"{ACCOUNT} {region} {name}"

    # RDS.
    rds = client(endpoint, "rds")
    for name, port in [("aurora-default-port", 5432), ("aurora-other-port", 15432)]:
        rds.create_db_cluster(DBClusterIdentifier=name, Engine="aurora-postgresql", MasterUsername="dbadmin", MasterUserPassword="correct-horse-battery", Port=port)
        names[name] = name
    for name, value in [("pg-forced", "1"), ("pg-open", "0")]:
        rds.create_db_parameter_group(DBParameterGroupName=f"{name}-params", DBParameterGroupFamily="postgres16", Description=name)
        rds.modify_db_parameter_group(DBParameterGroupName=f"{name}-params", Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": value, "ApplyMethod": "immediate"}])
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t3.micro", MasterUsername="dbadmin",
                               MasterUserPassword="correct-horse-battery", AllocatedStorage=20, DBParameterGroupName=f"{name}-params")
        names[name] = name
    assert {c["DBClusterIdentifier"]: c["Port"] for c in rds.describe_db_clusters()["DBClusters"]}["aurora-other-port"] == 15432

    # EFS.
    efs = client(endpoint, "efs")
    open_fs = efs.create_file_system(CreationToken="efs-open", Tags=[{"Key": "Name", "Value": "efs-open"}])["FileSystemId"]
    locked = efs.create_file_system(CreationToken="efs-locked", Tags=[{"Key": "Name", "Value": "efs-locked"}])["FileSystemId"]
    efs.create_mount_target(FileSystemId=open_fs, SubnetId=sa)
    efs.create_mount_target(FileSystemId=locked, SubnetId=sa)
    efs.create_mount_target(FileSystemId=locked, SubnetId=sb)
    efs.put_file_system_policy(FileSystemId=locked, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/fn-role"}, "Action": "elasticfilesystem:ClientMount", "Resource": "*"}]}))
    assert "fn-role" in efs.describe_file_system_policy(FileSystemId=locked)["Policy"]
    names.update({"efs-open": "efs-open", "efs-locked": "efs-locked"})

    # Route 53 query logging.
    logs = client(endpoint, "logs")
    logs.create_log_group(logGroupName="/aws/route53/logged.example")
    group_arn = logs.describe_log_groups(logGroupNamePrefix="/aws/route53/logged.example")["logGroups"][0]["arn"]
    r53 = client(endpoint, "route53")
    logged = r53.create_hosted_zone(Name="logged.example.", CallerReference="logged")["HostedZone"]["Id"]
    quiet = r53.create_hosted_zone(Name="quiet.example.", CallerReference="quiet")["HostedZone"]["Id"]
    eip = client(endpoint, "ec2", "us-east-1").allocate_address(Domain="vpc")["PublicIp"]
    changes = [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": f"{n}.quiet.example.", "Type": "A", "TTL": 300, "ResourceRecords": [{"Value": v}]}}
        for n, v in [("own", eip), ("released", "3.5.140.1"), ("outside", "203.0.113.10")]
    ]
    r53.change_resource_record_sets(HostedZoneId=quiet, ChangeBatch={"Changes": changes})
    names["own-eip"] = eip
    r53.create_query_logging_config(HostedZoneId=logged, CloudWatchLogsLogGroupArn=group_arn)
    # (moto 5 cannot filter this listing by zone: list them all.)
    assert [c["HostedZoneId"] for c in r53.list_query_logging_configs()["QueryLoggingConfigs"]] == [logged.split("/")[-1]]
    names.update({"logged": "logged.example.", "quiet": "quiet.example."})

    # IAM.
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    for group, user, mfa in [("admins", "ann", False), ("admins-mfa", "mia", True)]:
        iam.create_group(GroupName=group)
        iam.attach_group_policy(GroupName=group, PolicyArn=admin)
        iam.create_user(UserName=user)
        iam.add_user_to_group(GroupName=group, UserName=user)
        if mfa:
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=user)["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
        names[group] = group
    assert iam.list_mfa_devices(UserName="mia")["MFADevices"]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    for role_name, action in [("trail-admin", "cloudtrail:*"), ("reader", "s3:GetObject")]:
        iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust)
        iam.put_role_policy(RoleName=role_name, PolicyName="inline", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}))
        names[role_name] = role_name
    # S3: replication to another Region, event notifications, Object Lock; and a plain bucket.
    s3 = client(endpoint, "s3")
    s3.create_bucket(Bucket="parity-src")
    s3.put_bucket_versioning(Bucket="parity-src", VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket="parity-dst-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_replication(Bucket="parity-src", ReplicationConfiguration={"Role": f"arn:aws:iam::{ACCOUNT}:role/replication", "Rules": [
        {"ID": "to-eu", "Status": "Enabled", "Priority": 1, "Filter": {}, "DeleteMarkerReplication": {"Status": "Disabled"},
         "Destination": {"Bucket": "arn:aws:s3:::parity-dst-eu"}}]})
    topic = client(endpoint, "sns").create_topic(Name="parity-bucket-events")["TopicArn"]
    s3.put_bucket_notification_configuration(Bucket="parity-src", NotificationConfiguration={"TopicConfigurations": [{"TopicArn": topic, "Events": ["s3:ObjectRemoved:*"]}]})
    s3.create_bucket(Bucket="parity-locked", ObjectLockEnabledForBucket=True)
    s3.create_bucket(Bucket="parity-plain")
    assert s3.get_object_lock_configuration(Bucket="parity-locked")["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    assert s3.get_bucket_replication(Bucket="parity-src")["ReplicationConfiguration"]["Rules"][0]["Destination"]["Bucket"] == "arn:aws:s3:::parity-dst-eu"
    names.update({b: b for b in ["parity-src", "parity-locked", "parity-plain"]})

    # CloudFront: a distribution with a geo allow list and field-level encryption, one without.
    cf = client(endpoint, "cloudfront")
    for ref, restricted in [("cf-guarded", True), ("cf-open", False)]:
        behaviour = {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only", "MinTTL": 0,
                     "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}
        geo = {"RestrictionType": "none", "Quantity": 0}
        if restricted:
            behaviour["FieldLevelEncryptionId"] = "C3KM2WVD605UCY"
            geo = {"RestrictionType": "allowlist", "Quantity": 1, "Items": ["DE"]}
        d = cf.create_distribution(DistributionConfig={
            "CallerReference": ref, "Comment": ref, "Enabled": True, "DefaultCacheBehavior": behaviour, "Restrictions": {"GeoRestriction": geo},
            "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "origin.example.com",
                                                  "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]}})
        names[ref] = d["Distribution"]["DomainName"]
    listed = {d["DomainName"]: d for d in cf.list_distributions()["DistributionList"]["Items"]}
    assert listed[names["cf-guarded"]]["Restrictions"]["GeoRestriction"]["RestrictionType"] == "allowlist"
    assert listed[names["cf-guarded"]]["DefaultCacheBehavior"]["FieldLevelEncryptionId"] == "C3KM2WVD605UCY"

    # CloudTrail: two logging trails, one recording Insights events.
    s3.create_bucket(Bucket="parity-trail-logs")
    ct = client(endpoint, "cloudtrail")
    for trail in ["trail-insights", "trail-plain"]:
        ct.create_trail(Name=trail, S3BucketName="parity-trail-logs")
        ct.start_logging(Name=trail)
        names[trail] = trail
    ct.put_insight_selectors(TrailName="trail-insights", InsightSelectors=[{"InsightType": "ApiCallRateInsight"}])
    assert ct.get_insight_selectors(TrailName="trail-insights")["InsightSelectors"] == [{"InsightType": "ApiCallRateInsight"}]

    # SNS: a topic with an HTTP subscription among HTTPS and SQS ones, one with HTTPS only.
    sns = client(endpoint, "sns")
    for ref, protocols in [("subs-mixed", ["https", "http", "sqs"]), ("subs-https", ["https"])]:
        arn = sns.create_topic(Name=ref)["TopicArn"]
        for p in protocols:
            endpoint_of = {"https": "https://hooks.example.com/in", "http": "http://hooks.example.com/in",
                           "sqs": f"arn:aws:sqs:us-east-1:{ACCOUNT}:parity-queue"}[p]
            sns.subscribe(TopicArn=arn, Protocol=p, Endpoint=endpoint_of)
        assert sorted(s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]) == sorted(protocols)
        names[ref] = ref

    # ECR: a repository in each region; enhanced scanning of every repository in us-east-1 only
    # (us-west-2 keeps moto's default, basic scanning).
    for region in ["us-east-1", "us-west-2"]:
        client(endpoint, "ecr", region).create_repository(repositoryName="parity-app")
    ecr = client(endpoint, "ecr")
    ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=[
        {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}])
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"]["scanType"] == "ENHANCED"
    assert client(endpoint, "ecr", "us-west-2").get_registry_scanning_configuration()["scanningConfiguration"]["scanType"] == "BASIC"
    names.update({"registry-enhanced": f"{ACCOUNT} us-east-1", "registry-basic": f"{ACCOUNT} us-west-2"})
    return names


def main():
    print(json.dumps(plant(sys.argv[1])))


if __name__ == "__main__":
    main()
