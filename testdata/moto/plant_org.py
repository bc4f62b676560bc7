#!/usr/bin/env python3
"""An organisation in moto for the multi-account tests (`rampart scan aws --org`).

    plant_org.py ENDPOINT_URL ROLE_NAME REGION...

The default account (123456789012) creates the organisation, so it is the management
account. It creates three member accounts and a fourth that it closes (SUSPENDED). In the
management account and in each member (reached by assuming ROLE_NAME, which moto grants to
anyone), it plants one security group open to the internet on SSH in each REGION.
Prints {"management": ID, "members": [ID, ...], "closed": ID} as JSON.
"""
import json
import sys

import boto3

url, role, regions = sys.argv[1], sys.argv[2], sys.argv[3:]
base = dict(endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing")

org = boto3.client("organizations", region_name="us-east-1", **base)
org.create_organization(FeatureSet="ALL")
management = org.describe_organization()["Organization"]["MasterAccountId"]
members = []
for name in ["member-a", "member-b", "member-c", "member-closed"]:
    status = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
    members.append(status["AccountId"])
closed = members.pop()
org.close_account(AccountId=closed)


def plant(account, credentials):
    for region in regions:
        ec2 = boto3.client("ec2", region_name=region, endpoint_url=url, **credentials)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        group = ec2.create_security_group(GroupName="open-ssh", Description=f"ssh from anywhere in {account}", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        )


plant(management, {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"})
sts = boto3.client("sts", region_name="us-east-1", **base)
for account in members:
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="plant")["Credentials"]
    plant(account, {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]})

print(json.dumps({"management": management, "members": members, "closed": closed}))
