#!/usr/bin/env python3
"""Plants findings for `rampart import aws` tests in a moto server:

    plant_findings.py ENDPOINT_URL

Security Hub (us-east-1): two findings sent with BatchImportFindings, as a third-party
product would; Inspector2: the findings of testdata/aws-findings/inspector2-list-findings.json
(moved to us-east-1) queued as moto's answer to ListFindings (moto's own API for it);
GuardDuty: one detector (moto 5.2.5 has no ListFindings/GetFindings, so reading its
findings fails, and the test expects that failure to be reported)."""
import json
import pathlib
import sys
import urllib.request

import boto3

URL = sys.argv[1]
KW = dict(endpoint_url=URL, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")

hub = boto3.client("securityhub", **KW)
hub.enable_security_hub()
base = {
    "SchemaVersion": "2018-10-08",
    "ProductArn": "arn:aws:securityhub:us-east-1::product/prowler/prowler",
    "AwsAccountId": "123456789012",
    "CreatedAt": "2026-12-01T10:00:00.000Z",
    "UpdatedAt": "2026-12-02T11:30:00.000Z",
}
findings = [
    dict(
        base,
        Id="prowler-s3_bucket_default_encryption-123456789012-us-east-1-example-data",
        GeneratorId="s3_bucket_default_encryption",
        Types=["Software and Configuration Checks/Industry and Regulatory Standards/CIS"],
        Severity={"Label": "MEDIUM", "Original": "medium"},
        Title="Check if S3 buckets have default encryption (SSE) enabled",
        Description="S3 bucket example-data has no default encryption.",
        Region="us-east-1",
        Compliance={"Status": "FAILED", "RelatedRequirements": ["CIS-2.1.1"]},
        Resources=[
            {
                "Type": "AwsS3Bucket",
                "Id": "arn:aws:s3:::example-data",
                "Partition": "aws",
                "Region": "us-east-1",
                "Tags": {"team": "data"},
            },
            {"Type": "AwsAccount", "Id": "AWS::::Account:123456789012", "Partition": "aws", "Region": "us-east-1"},
        ],
        Remediation={"Recommendation": {"Text": "Enable default encryption.", "Url": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html"}},
    ),
    dict(
        base,
        Id="prowler-iam_root_mfa_enabled-123456789012-us-east-1-root",
        GeneratorId="iam_root_mfa_enabled",
        Types=["Software and Configuration Checks"],
        Severity={"Label": "CRITICAL"},
        Title="Ensure MFA is enabled for the root account",
        Description="The root account has no MFA.",
        Region="us-east-1",
        Resources=[{"Type": "AwsAccount", "Id": "arn:aws:iam::123456789012:root", "Partition": "aws", "Region": "us-east-1"}],
    ),
]
out = hub.batch_import_findings(Findings=findings)
assert out["SuccessCount"] == 2, out

gd = boto3.client("guardduty", **KW)
gd.create_detector(Enable=True)

inspector = json.loads(
    (pathlib.Path(__file__).parent.parent / "aws-findings/inspector2-list-findings.json").read_text().replace("eu-west-1", "us-east-1")
)
req = urllib.request.Request(
    URL + "/moto-api/static/inspector2/findings-results",
    data=json.dumps({"results": [inspector["findings"]], "account_id": "123456789012", "region": "us-east-1"}).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
urllib.request.urlopen(req).read()
