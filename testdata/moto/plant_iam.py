#!/usr/bin/env python3
"""An IAM estate in moto for `rampart iam simulate` (crates/app/tests/iam_simulate.rs).

    plant_iam.py ENDPOINT_URL ROLE_NAME

The default account (123456789012) creates an organisation (so it is the management account)
with SCPs enabled on the root, an OU "prod" holding one member account, and an SCP
"deny-s3-delete" (Deny s3:DeleteObject) attached to "prod"; FullAWSAccess is attached to the
root, the OU and the member.

In the management account:
- group "readers" with the managed policy "read-data" (Allow s3:GetObject on data/*);
- user "alice" (tag team=blue) in "readers", with an inline policy allowing s3:PutObject on
  data/* only from aws:SourceIp 203.0.113.0/24;
- role "app" (trust: ec2.amazonaws.com; tag env=prod; Allow * on *) with the permissions
  boundary "app-boundary" (Allow s3:*; Deny s3:DeleteBucket), in instance profile "app",
  which an EC2 instance runs with;
- the service-linked role of autoscaling.

In the member (reached by assuming ROLE_NAME, which moto grants to anyone): user "bob" with
an inline policy allowing s3:* on *.

Prints {"management": ID, "member": ID, "ou": ID, "root": ID, "scp": ID, "instance": ID} as JSON.
"""
import json
import sys

import boto3

url, role = sys.argv[1], sys.argv[2]
base = dict(endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


org = boto3.client("organizations", **base)
org.create_organization(FeatureSet="ALL")
management = org.describe_organization()["Organization"]["MasterAccountId"]
root = org.list_roots()["Roots"][0]["Id"]
try:
    org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
except org.exceptions.PolicyTypeAlreadyEnabledException:
    pass
ou = org.create_organizational_unit(ParentId=root, Name="prod")["OrganizationalUnit"]["Id"]
member = org.create_account(AccountName="member-prod", Email="prod@example.com")["CreateAccountStatus"]["AccountId"]
org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
full = next(p["Id"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"] == "FullAWSAccess")
for target in [root, ou, member]:
    try:
        org.attach_policy(PolicyId=full, TargetId=target)
    except org.exceptions.DuplicatePolicyAttachmentException:
        pass
scp = org.create_policy(
    Name="deny-s3-delete",
    Description="no object deletes in prod",
    Type="SERVICE_CONTROL_POLICY",
    Content=doc({"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}),
)["Policy"]["PolicySummary"]["Id"]
org.attach_policy(PolicyId=scp, TargetId=ou)

iam = boto3.client("iam", **base)
read = iam.create_policy(
    PolicyName="read-data", PolicyDocument=doc({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"})
)["Policy"]["Arn"]
iam.create_group(GroupName="readers")
iam.attach_group_policy(GroupName="readers", PolicyArn=read)
iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "blue"}])
iam.add_user_to_group(GroupName="readers", UserName="alice")
iam.put_user_policy(
    UserName="alice",
    PolicyName="put-from-office",
    PolicyDocument=doc(
        {
            "Sid": "PutFromOffice",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::data/*",
            "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        }
    ),
)
boundary = iam.create_policy(
    PolicyName="app-boundary",
    PolicyDocument=doc(
        {"Sid": "S3Only", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "KeepBuckets", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
    ),
)["Policy"]["Arn"]
iam.create_role(
    RoleName="app",
    AssumeRolePolicyDocument=doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
    PermissionsBoundary=boundary,
    Tags=[{"Key": "env", "Value": "prod"}],
)
iam.put_role_policy(RoleName="app", PolicyName="everything", PolicyDocument=doc({"Effect": "Allow", "Action": "*", "Resource": "*"}))
iam.create_instance_profile(InstanceProfileName="app")
iam.add_role_to_instance_profile(InstanceProfileName="app", RoleName="app")
iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")

ec2 = boto3.client("ec2", **base)
instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro", IamInstanceProfile={"Name": "app"})["Instances"][0][
    "InstanceId"
]

sts = boto3.client("sts", **base)
c = sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/{role}", RoleSessionName="plant")["Credentials"]
member_iam = boto3.client(
    "iam",
    endpoint_url=url,
    region_name="us-east-1",
    aws_access_key_id=c["AccessKeyId"],
    aws_secret_access_key=c["SecretAccessKey"],
    aws_session_token=c["SessionToken"],
)
member_iam.create_user(UserName="bob")
member_iam.put_user_policy(UserName="bob", PolicyName="all-s3", PolicyDocument=doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
assert member_iam.get_user(UserName="bob")["User"]["Arn"] == f"arn:aws:iam::{member}:user/bob"

print(json.dumps({"management": management, "member": member, "ou": ou, "root": root, "scp": scp, "instance": instance}))
