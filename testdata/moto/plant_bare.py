#!/usr/bin/env python3
"""Plants, in a moto server of its own, an account with nothing in it but VPCs: the FAILED side of
the account-level checks (asserted by `account_level_checks_fail_on_a_bare_account` in
crates/cli/tests/scan.rs).

    plant_bare.py ENDPOINT

No IAM user, no role of its own, no password policy, no CloudTrail trail; one IAM server
certificate, "expired-cert", that expired 30 days ago (moto, unlike ACM, accepts it). Beside the default VPC, three more VPCs in
us-east-1 (4 of the quota of 5 "VPCs per Region": 80 %, Trusted Advisor's yellow) and four in
eu-west-1 (5 of 5: 100 %, red). Asserts that moto's Service Quotas reports that quota as 5 in
both regions and that there are no users, no trails and no password policy.

The server runs with moto's AMI catalogue: per region, instances "pv" (from a paravirtual AMI)
and "hvm" (from an HVM AMI). It prints {region: {"pv": instance id, "hvm": instance id}} as JSON
(the scan names instances by id).
"""
import datetime
import json
import sys

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def main():
    endpoint = sys.argv[1]
    names = {}
    for region, extra in [("us-east-1", 3), ("eu-west-1", 4)]:
        ec2 = client(endpoint, "ec2", region)
        for i in range(extra):
            ec2.create_vpc(CidrBlock=f"10.{200 + i}.0.0/16")
        assert len(ec2.describe_vpcs()["Vpcs"]) == extra + 1
        quota = client(endpoint, "service-quotas", region).get_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]
        assert (quota["QuotaName"], quota["Value"]) == ("VPCs per Region", 5.0), quota
        assert not client(endpoint, "cloudtrail", region).describe_trails()["trailList"]
        for name in ("paravirtual", "hvm"):
            image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "virtualization-type", "Values": [name]}])["Images"][0]
            i = ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]
            assert i["VirtualizationType"] == name, i
            names.setdefault(region, {})["pv" if name == "paravirtual" else "hvm"] = i["InstanceId"]
    iam = client(endpoint, "iam", "us-east-1")
    assert not iam.list_users()["Users"]
    try:
        iam.get_account_password_policy()
        raise AssertionError("a password policy is set")
    except iam.exceptions.NoSuchEntityException:
        pass
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "expired.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=400))
            .not_valid_after(now - datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    iam.upload_server_certificate(ServerCertificateName="expired-cert", CertificateBody=cert.public_bytes(serialization.Encoding.PEM).decode(),
                                  PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                                               serialization.NoEncryption()).decode())
    assert [c["ServerCertificateName"] for c in iam.list_server_certificates()["ServerCertificateMetadataList"]] == ["expired-cert"]
    print(json.dumps(names))


if __name__ == "__main__":
    main()
