#!/usr/bin/env python3
"""Rewrites the gaps of the recorded demo estate in words.

The demo estate (estate.json) is recorded from the moto AWS emulator (testdata/moto/plant*.py,
then `rampart collect aws --endpoint-url`; the CloudWatch Logs, CloudWatch alarm, ECS and
CloudFormation fields of its regions come from a recording of testdata/moto/plant_monitoring.py
without CIS patterns, and its Secrets Manager field says in words why it is not in the demo:
moto dates secrets by the clock of their recording, which the rest of the demo predates). Calls the emulator does not implement, or answers in
a shape the AWS SDK rejects, become gaps in the recording; shown raw they read as if the user's
account had problems. This keeps each gap (its checks stay NOT_AVAILABLE, as they must) and says
what happened instead, in the gap and in the field that holds the failed read's reason (the
reason a NOT_AVAILABLE result shows); so also for what the emulator leaves out of an answer
(LEFT_OUT). Fields that nobody tried to read stay "not collected" (fill_fields.py fills those
the recording predates). Run it after every re-recording or fill_fields.py:

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
REJECTED_SHAPE = {"s3:GetBucketVersioning", "s3:GetBucketNotification", "s3:ListAccessPoints",
                  "s3:ListMultiRegionAccessPoints"}
SERVER_ERROR = {
    "ec2:GetImageBlockPublicAccessState",
    "ec2:GetInstanceMetadataDefaults",
    "ec2:GetSnapshotBlockPublicAccessState",
}
OTHER_REGION = {"cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors"}
# What the emulator leaves out of an answer that AWS gives (no call failed, so no gap): the
# reason a resource's field holds, as the collector words it, by its start.
LEFT_OUT = {
    "rds:DescribeDBInstances: no CertificateDetails": "reports no certificate details for a DB instance's CA",
    "kms:DescribeKey: no MultiRegion": "reports no MultiRegion flag for a key",
    "parameter group default.": "does not report TLS parameters in its default parameter groups",
}


def words(action):
    if action in NOT_IMPLEMENTED:
        return f"not in this demo: its emulator ({EMULATOR}) lacks this call"
    if action in REJECTED_SHAPE:
        return f"not in this demo: its emulator ({EMULATOR}) answers in a shape the AWS SDK rejects"
    if action in SERVER_ERROR:
        return f"not in this demo: its emulator ({EMULATOR}) answers this call with a server error"
    if action in OTHER_REGION:
        return f"not in this demo: its emulator ({EMULATOR}) serves no trail from another region"
    return None


def reason_in_words(reason):
    """A field's reason for being unread, in words if the emulator caused it; else None."""
    if reason.startswith("not in this demo: ") or reason == "not collected":
        return None
    for start, text in LEFT_OUT.items():
        if reason.startswith(start):
            return f"not in this demo: its emulator ({EMULATOR}) {text}"
    action = reason.split(" ", 1)[0].rstrip(":")
    return words(action)


def annotate_fields(node, unknown):
    """Every `{"unknown": reason}` in the estate whose reason is an emulator's artifact."""
    if isinstance(node, dict):
        if set(node) == {"unknown"}:
            reason = node["unknown"]
            text = reason_in_words(reason)
            if text is not None:
                node["unknown"] = text
            elif not reason.startswith("not in this demo: ") and reason != "not collected":
                unknown.append(reason[:80])
            return
        for v in node.values():
            annotate_fields(v, unknown)
    elif isinstance(node, list):
        for v in node:
            annotate_fields(v, unknown)


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
        annotate_fields(account, unknown)
    if unknown:
        sys.exit(f"gaps this script does not know, explain them first: {sorted(set(unknown))}")
    with open(path, "w") as f:
        json.dump(estate, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
