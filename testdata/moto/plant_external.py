#!/usr/bin/env python3
"""Plants, in a moto server of its own and in two regions (us-east-1, eu-west-1), resources
shared outside the account, and the same grants pinned to the zone of trust (asserted by
`crates/app/tests/external_access.rs`, through the real collector).

    plant_external.py ENDPOINT

The account (moto's 123456789012) creates an organisation; the outside account is
999999999999. In each region R:

- SQS queues: `q-public-R` (SendMessage to "*"), `q-cross-R` (ReceiveMessage to 999999999999),
  `q-org-R` ("*" pinned by aws:PrincipalOrgID to the organisation), `q-vpce-R` ("*" pinned by
  aws:SourceVpce to a VPC endpoint of the account), `q-source-R` (the SNS service pinned by
  aws:SourceAccount to the account);
- SNS topics: `t-public-R` (Publish to "*"), `t-cross-R` (Subscribe to 999999999999),
  `t-org-R` (pinned by aws:PrincipalOrgID);
- KMS keys (told apart by their description): `k-public-R` (Decrypt to "*"), `k-cross-R`
  (Decrypt to 999999999999), `k-org-R` (pinned by aws:PrincipalOrgID), and on `k-org-R` a grant
  of Decrypt to a role of 999999999999;
- Lambda functions: `f-public-R` (InvokeFunction to "*"), `f-cross-R` (to 999999999999),
  `f-source-R` (to s3.amazonaws.com pinned by aws:SourceAccount);
- Secrets Manager secrets: `s-public-R`, `s-cross-R`, `s-org-R` (GetSecretValue);
- ECR repositories: `r-public-r`, `r-cross-r`, `r-org-r` (image pulls);
- an EBS snapshot shared with everyone and one shared with 999999999999 (descriptions
  `snap-public-R`, `snap-cross-R`);
- RDS DB snapshots `db-public-R` (restore: all) and `db-cross-R` (restore: 999999999999), of
  an instance `db-R`;
- a bucket `ap-bucket-R` whose policy delegates to the account's access points, and its access
  point `ap-public-R` whose policy gives GetObject to "*" (public through the access point);
  a bucket `ap-private-R` delegating the same way, with an access point `ap-org-R` pinned by
  aws:PrincipalOrgID.

Globally: IAM roles `cross-trust` (trusts 999999999999), `org-trust` (trusts "*" pinned by
aws:PrincipalOrgID) and `ec2-trust` (trusts the EC2 service).

Everything set is read back and asserted, so a moto that stops storing it fails here. Prints
{"org": "o-…", "arns": {name: ARN}, "access_points": [{region, name, arn, bucket, policy}]} as
JSON: moto 5.2's `ListAccessPoints` answers with a root element the SDK does not accept
(`ListAccessPointsResponse`), so the test supplies the access points as moto's
`GetAccessPointPolicy` returns them.
"""
import io
import json
import sys
import zipfile

import boto3

ACCOUNT = "123456789012"
OUTSIDE = "999999999999"
REGIONS = ["us-east-1", "eu-west-1"]


def client(endpoint, service, region="us-east-1"):
    c = boto3.client(service, endpoint_url=endpoint, region_name=region,
                     aws_access_key_id="testing", aws_secret_access_key="testing")
    if service == "s3control":
        # S3 Control's endpoint rules put the account id in the host name; the emulator on
        # loopback has no such name: the request goes to the endpoint as given.
        def plain_host(request, **_):
            request.url = request.url.replace(f"//{ACCOUNT}.", "//", 1)
        c.meta.events.register("before-send.s3-control.*", plain_host)
    return c


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, action, resource="*", condition=None):
    st = {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": resource}
    if condition:
        st["Condition"] = condition
    return st


def main():
    endpoint = sys.argv[1]
    arns = {}
    access_points = []
    org = client(endpoint, "organizations").create_organization(FeatureSet="ALL")["Organization"]["Id"]
    pin_org = {"StringEquals": {"aws:PrincipalOrgID": org}}
    pin_account = {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    outside_root = {"AWS": f"arn:aws:iam::{OUTSIDE}:root"}

    iam = client(endpoint, "iam")
    for name, trust in [
        ("cross-trust", allow(outside_root, "sts:AssumeRole", None)),
        ("org-trust", allow({"AWS": "*"}, "sts:AssumeRole", None, pin_org)),
        ("ec2-trust", allow({"Service": "ec2.amazonaws.com"}, "sts:AssumeRole", None)),
    ]:
        trust.pop("Resource")
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(trust))["Role"]
        arns[name] = role["Arn"]
    lambda_role = arns["ec2-trust"]

    for region in REGIONS:
        ec2 = client(endpoint, "ec2", region)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        vpce = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.sqs",
                                       VpcEndpointType="Interface")["VpcEndpoint"]["VpcEndpointId"]

        sqs = client(endpoint, "sqs", region)
        for name, statement in [
            ("q-public", lambda arn: allow("*", "sqs:SendMessage", arn)),
            ("q-cross", lambda arn: allow(outside_root, "sqs:ReceiveMessage", arn)),
            ("q-org", lambda arn: allow("*", "sqs:SendMessage", arn, pin_org)),
            ("q-vpce", lambda arn: allow("*", "sqs:SendMessage", arn, {"StringEquals": {"aws:SourceVpce": vpce}})),
            ("q-source", lambda arn: allow({"Service": "sns.amazonaws.com"}, "sqs:SendMessage", arn, pin_account)),
        ]:
            url = sqs.create_queue(QueueName=f"{name}-{region}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": doc(statement(arn))})
            assert "Policy" in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
            arns[f"{name}-{region}"] = arn

        sns = client(endpoint, "sns", region)
        for name, statement in [
            ("t-public", lambda arn: allow("*", "SNS:Publish", arn)),
            ("t-cross", lambda arn: allow(outside_root, "SNS:Subscribe", arn)),
            ("t-org", lambda arn: allow("*", "SNS:Publish", arn, pin_org)),
        ]:
            arn = sns.create_topic(Name=f"{name}-{region}")["TopicArn"]
            sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=doc(statement(arn)))
            assert json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"][0]["Effect"] == "Allow"
            arns[f"{name}-{region}"] = arn

        kms = client(endpoint, "kms", region)
        admin = allow({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*")
        for name, statement in [
            ("k-public", allow("*", "kms:Decrypt")),
            ("k-cross", allow(outside_root, "kms:Decrypt")),
            ("k-org", allow("*", "kms:Decrypt", "*", pin_org)),
        ]:
            key = kms.create_key(Description=f"{name}-{region}", Policy=doc(admin, statement))["KeyMetadata"]
            arns[f"{name}-{region}"] = key["Arn"]
            if name == "k-org":
                kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=f"arn:aws:iam::{OUTSIDE}:role/app",
                                 Operations=["Decrypt"])
                assert kms.list_grants(KeyId=key["KeyId"])["Grants"], "moto kept no grant"

        lam = client(endpoint, "lambda", region)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("index.py", "def handler(e, c):\n    return 1\n")
        for name, perm in [
            ("f-public", {"Principal": "*"}),
            # Lambda turns a bare account id into its root ARN; moto keeps it as written (not
            # a valid policy principal), so the root ARN is given.
            ("f-cross", {"Principal": f"arn:aws:iam::{OUTSIDE}:root"}),
            ("f-source", {"Principal": "s3.amazonaws.com", "SourceAccount": ACCOUNT}),
        ]:
            fn = lam.create_function(FunctionName=f"{name}-{region}", Runtime="python3.12", Role=lambda_role,
                                     Handler="index.handler", Code={"ZipFile": buf.getvalue()})
            lam.add_permission(FunctionName=fn["FunctionName"], StatementId="share", Action="lambda:InvokeFunction", **perm)
            assert lam.get_policy(FunctionName=fn["FunctionName"])["Policy"]
            arns[f"{name}-{region}"] = fn["FunctionArn"]

        sm = client(endpoint, "secretsmanager", region)
        for name, statement in [
            ("s-public", allow("*", "secretsmanager:GetSecretValue")),
            ("s-cross", allow(outside_root, "secretsmanager:GetSecretValue")),
            ("s-org", allow("*", "secretsmanager:GetSecretValue", "*", pin_org)),
        ]:
            arn = sm.create_secret(Name=f"{name}-{region}", SecretString="x")["ARN"]
            sm.put_resource_policy(SecretId=arn, ResourcePolicy=doc(statement))
            assert sm.get_resource_policy(SecretId=arn).get("ResourcePolicy")
            arns[f"{name}-{region}"] = arn

        ecr = client(endpoint, "ecr", region)
        pull = ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        for name, statement in [
            ("r-public", allow("*", pull, None)),
            ("r-cross", allow(outside_root, pull, None)),
            ("r-org", allow("*", pull, None, pin_org)),
        ]:
            statement.pop("Resource")
            repo = ecr.create_repository(repositoryName=f"{name}-{region}")["repository"]
            ecr.set_repository_policy(repositoryName=repo["repositoryName"], policyText=doc(statement))
            arns[f"{name}-{region}"] = repo["repositoryArn"]

        vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=1)["VolumeId"]
        for name, perm in [("snap-public", {"Group": "all"}), ("snap-cross", {"UserId": OUTSIDE})]:
            snap = ec2.create_snapshot(VolumeId=vol, Description=f"{name}-{region}")["SnapshotId"]
            ec2.modify_snapshot_attribute(SnapshotId=snap, Attribute="createVolumePermission",
                                          OperationType="add", **({"GroupNames": ["all"]} if "Group" in perm else {"UserIds": [OUTSIDE]}))
            assert ec2.describe_snapshot_attribute(SnapshotId=snap, Attribute="createVolumePermission")["CreateVolumePermissions"]
            arns[f"{name}-{region}"] = f"arn:aws:ec2:{region}:{ACCOUNT}:snapshot/{snap}"

        rds = client(endpoint, "rds", region)
        rds.create_db_instance(DBInstanceIdentifier=f"db-{region}", DBInstanceClass="db.t3.micro", Engine="postgres",
                               MasterUsername="admin", MasterUserPassword="password123", AllocatedStorage=20)
        for name, who in [("db-public", "all"), ("db-cross", OUTSIDE)]:
            s = rds.create_db_snapshot(DBInstanceIdentifier=f"db-{region}", DBSnapshotIdentifier=f"{name}-{region}")["DBSnapshot"]
            rds.modify_db_snapshot_attribute(DBSnapshotIdentifier=f"{name}-{region}", AttributeName="restore", ValuesToAdd=[who])
            arns[f"{name}-{region}"] = s["DBSnapshotArn"]

        s3 = client(endpoint, "s3", region)
        s3c = client(endpoint, "s3control", region)
        for bucket, ap, statement in [
            (f"ap-bucket-{region}", f"ap-public-{region}", lambda ap_arn: allow("*", "s3:GetObject", f"{ap_arn}/object/*")),
            (f"ap-private-{region}", f"ap-org-{region}", lambda ap_arn: allow("*", "s3:GetObject", f"{ap_arn}/object/*", pin_org)),
        ]:
            if region == "us-east-1":
                s3.create_bucket(Bucket=bucket)
            else:
                s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
            delegate = allow({"AWS": "*"}, "*", [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                             {"StringEquals": {"s3:DataAccessPointAccount": ACCOUNT}})
            s3.put_bucket_policy(Bucket=bucket, Policy=doc(delegate))
            ap_arn = s3c.create_access_point(AccountId=ACCOUNT, Name=ap, Bucket=bucket)["AccessPointArn"]
            s3c.put_access_point_policy(AccountId=ACCOUNT, Name=ap, Policy=doc(statement(ap_arn)))
            assert s3c.get_access_point_policy(AccountId=ACCOUNT, Name=ap)["Policy"]
            arns[bucket] = f"arn:aws:s3:::{bucket}"
            arns[ap] = ap_arn
            access_points.append({"region": region, "name": ap, "arn": ap_arn, "bucket": bucket,
                                  "policy": s3c.get_access_point_policy(AccountId=ACCOUNT, Name=ap)["Policy"]})

    print(json.dumps({"org": org, "arns": arns, "access_points": access_points}))


if __name__ == "__main__":
    main()
