#!/usr/bin/env python3
"""Plants, in a moto server of its own, an account with nothing in it but VPCs: the FAILED side of
the account-level checks (asserted by `account_level_checks_fail_on_a_bare_account` in
crates/cli/tests/scan.rs).

    plant_bare.py ENDPOINT

No IAM user, no password policy, no CloudTrail trail. Beside the default VPC, three more VPCs in
us-east-1 (4 of the quota of 5 "VPCs per Region": 80 %, Trusted Advisor's yellow) and four in
eu-west-1 (5 of 5: 100 %, red). Asserts that moto's Service Quotas reports that quota as 5 in
both regions and that there are no users, no trails and no password policy.
"""
import sys

import boto3


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def main():
    endpoint = sys.argv[1]
    for region, extra in [("us-east-1", 3), ("eu-west-1", 4)]:
        ec2 = client(endpoint, "ec2", region)
        for i in range(extra):
            ec2.create_vpc(CidrBlock=f"10.{200 + i}.0.0/16")
        assert len(ec2.describe_vpcs()["Vpcs"]) == extra + 1
        quota = client(endpoint, "service-quotas", region).get_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]
        assert (quota["QuotaName"], quota["Value"]) == ("VPCs per Region", 5.0), quota
        assert not client(endpoint, "cloudtrail", region).describe_trails()["trailList"]
    iam = client(endpoint, "iam", "us-east-1")
    assert not iam.list_users()["Users"]
    try:
        iam.get_account_password_policy()
        raise AssertionError("a password policy is set")
    except iam.exceptions.NoSuchEntityException:
        pass


if __name__ == "__main__":
    main()
