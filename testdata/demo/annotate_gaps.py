#!/usr/bin/env python3
"""Rewrites the gaps of the recorded demo estate in words.

The demo estate (estate.json) is recorded from the moto AWS emulator (testdata/moto/plant*.py,
then `rampart collect aws --endpoint-url`; the CloudWatch Logs, CloudWatch alarm, ECS and
CloudFormation fields of its regions come from a recording of testdata/moto/plant_monitoring.py
without CIS patterns, and its Secrets Manager field says in words why it is not in the demo:
moto dates secrets by the clock of their recording, which the rest of the demo predates). Calls the emulator does not implement, or answers in
a shape the AWS SDK rejects, become gaps in the recording; shown raw they read as if the user's
account had problems. This keeps each gap (its checks stay NOT_AVAILABLE, as they must) and says
what happened instead. Run it after every re-recording:

    python3 testdata/demo/annotate_gaps.py testdata/demo/estate.json
"""
import json
import sys

EMULATOR = "moto 5.2.5"
NOT_IMPLEMENTED = {
    "access-analyzer:ListAnalyzers",
    "ec2:DescribeClientVpnEndpoints",
    "ec2:DescribeVpcBlockPublicAccessOptions",
    "securityhub:GetEnabledStandards",
    "servicequotas:GetAWSDefaultServiceQuota",
}
REJECTED_SHAPE = {"s3:GetBucketVersioning", "s3:ListAccessPoints", "s3:ListMultiRegionAccessPoints"}
OTHER_REGION = {"cloudtrail:GetEventSelectors"}


def words(action):
    if action in NOT_IMPLEMENTED:
        return f"not in this demo: its emulator ({EMULATOR}) lacks this call"
    if action in REJECTED_SHAPE:
        return f"not in this demo: its emulator ({EMULATOR}) answers in a shape the AWS SDK rejects"
    if action in OTHER_REGION:
        return f"not in this demo: its emulator ({EMULATOR}) serves no trail from another region"
    return None


def main(path):
    estate = json.load(open(path))
    unknown = []
    for account in estate["accounts"]:
        for gap in account.get("gaps", []):
            text = words(gap["action"])
            if text is None:
                unknown.append(gap["action"])
                continue
            gap["message"] = text
            gap["kind"] = "other"
    if unknown:
        sys.exit(f"gaps this script does not know, explain them first: {sorted(set(unknown))}")
    with open(path, "w") as f:
        json.dump(estate, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
