#!/usr/bin/env python3
"""An estate of many accounts in moto for the workers test (`rampart worker` reading AWS).

    plant_estate.py ENDPOINT_URL ROLE_NAME MEMBERS REGION...

The default account (123456789012) creates an organisation (so it is the management account)
and MEMBERS member accounts. In every account (members reached by assuming ROLE_NAME, which
moto grants to anyone) and every REGION it plants one security group with SSH ingress: open
to the internet (fails the admin-ports check) in every other account × region, open to
10.0.0.0/8 only (passes) in the rest; and in every third account a bucket, with its public
access blocked in every other one of them.
Prints {"management": ID, "members": [ID, ...]} as JSON.
"""
import json
import sys

import boto3

url, role, n, regions = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
base = dict(endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing")

org = boto3.client("organizations", region_name="us-east-1", **base)
org.create_organization(FeatureSet="ALL")
management = org.describe_organization()["Organization"]["MasterAccountId"]
members = [org.create_account(AccountName=f"member-{i}", Email=f"member-{i}@example.com")["CreateAccountStatus"]["AccountId"] for i in range(n)]


def plant(i, account, credentials):
    for j, region in enumerate(regions):
        ec2 = boto3.client("ec2", region_name=region, endpoint_url=url, **credentials)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        open_ssh = (i + j) % 2 == 0
        name, cidr = ("open-ssh", "0.0.0.0/0") if open_ssh else ("office-ssh", "10.0.0.0/8")
        group = ec2.create_security_group(GroupName=name, Description=f"ssh in {account} {region}", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}],
        )
    if i % 3 == 0:
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=url, **credentials)
        bucket = f"data-{account}"
        s3.create_bucket(Bucket=bucket)
        if i % 2 == 0:
            s3.put_public_access_block(
                Bucket=bucket,
                PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
            )


plant(0, management, {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"})
sts = boto3.client("sts", region_name="us-east-1", **base)
for i, account in enumerate(members, start=1):
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="plant")["Credentials"]
    plant(i, account, {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]})

print(json.dumps({"management": management, "members": members}))
