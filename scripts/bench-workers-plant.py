#!/usr/bin/env python3
"""The synthetic organisation of scripts/bench-workers.sh, planted in a running moto.

    bench-workers-plant.py ENDPOINT_URL ROLE_NAME MEMBERS REGION...

The default account (123456789012) creates an organisation (so it is the management account)
and MEMBERS member accounts through Organizations CreateAccount. In every member (reached by
assuming ROLE_NAME, which moto grants to anyone) and every REGION it plants two security
groups, one with SSH open to the internet and one open to 10.0.0.0/8 only, and in every
member one S3 bucket (its public access blocked in every other member). Members are planted
by 8 threads at once (moto serves each request on a thread of its own). Prints the member
ids on stdout, one a line; progress and the seconds it took on stderr.
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

url, role, n, regions = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
base = dict(endpoint_url=url, aws_access_key_id="testing", aws_secret_access_key="testing")
cfg = Config(retries={"max_attempts": 10, "mode": "standard"}, max_pool_connections=16)
t0 = time.time()

org = boto3.client("organizations", region_name="us-east-1", config=cfg, **base)
org.create_organization(FeatureSet="ALL")
members = [org.create_account(AccountName=f"member-{i}", Email=f"member-{i}@example.com")["CreateAccountStatus"]["AccountId"] for i in range(n)]
print(f"{n} member accounts created in {time.time() - t0:.1f} s", file=sys.stderr)
sts = boto3.client("sts", region_name="us-east-1", config=cfg, **base)
session = boto3.session.Session()


def plant(job):
    i, account = job
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="plant")["Credentials"]
    creds = {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"], "aws_session_token": c["SessionToken"]}
    for region in regions:
        ec2 = session.client("ec2", region_name=region, endpoint_url=url, config=cfg, **creds)
        vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
        for name, cidr in [("open-ssh", "0.0.0.0/0"), ("office-ssh", "10.0.0.0/8")]:
            group = ec2.create_security_group(GroupName=name, Description=f"ssh in {account} {region}", VpcId=vpc)["GroupId"]
            ec2.authorize_security_group_ingress(
                GroupId=group,
                IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}],
            )
    s3 = session.client("s3", region_name="us-east-1", endpoint_url=url, config=cfg, **creds)
    bucket = f"data-{account}"
    s3.create_bucket(Bucket=bucket)
    if i % 2 == 0:
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
        )


with ThreadPoolExecutor(8) as pool:
    for k, _ in enumerate(pool.map(plant, enumerate(members)), start=1):
        if k % 100 == 0:
            print(f"  {k} members planted ({time.time() - t0:.0f} s)", file=sys.stderr)
print(f"{n} members x {len(regions)} region(s) planted in {time.time() - t0:.1f} s", file=sys.stderr)
print("\n".join(members))
