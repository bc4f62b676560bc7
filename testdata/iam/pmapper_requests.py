#!/usr/bin/env python3
"""Random identity-policy requests decided by PMapper's local policy simulation
(principalmapper 1.1.5, PyPI), for the differential test of `rampart-iam`
(`crates/iam/examples/differential.rs`; docs/iam.md "Differential test").

    pmapper_requests.py N SEED OUT.jsonl [clean]

With `clean`, the three constructs PMapper 1.1.5 gets wrong (docs/iam.md) are left out:
StringNotLike, Numeric…IfExists and IpAddressIfExists — so every disagreement left would be
unexplained.

Each line: {"policy": {...}, "action": "...", "resource": "...", "context": {key: value},
"pmapper": "allowed" | "explicitDeny" | "implicitDeny"} — PMapper's
`policy_has_matching_statement` asked for a Deny, then an Allow, of one identity policy.
Restricted to what both model: Action/NotAction and Resource/NotResource with `*` and `?`,
String*, Numeric*, Bool, IpAddress/NotIpAddress, Null and `…IfExists` on single-valued keys
the request gives explicitly (no policy variables, no set qualifiers, no principal-derived keys).

principalmapper 1.1.5 imports `collections.Mapping`, gone since Python 3.10: the aliases
are restored here before importing it (the package itself is not changed).
"""
import collections
import collections.abc
import json
import random
import sys

for _name in ("Mapping", "MutableMapping"):
    setattr(collections, _name, getattr(collections.abc, _name))

from principalmapper.querying.local_policy_simulation import policy_has_matching_statement  # noqa: E402
from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict  # noqa: E402

ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:DescribeInstances", "ec2:RunInstances", "iam:PassRole", "sqs:SendMessage"]
ACTION_PATTERNS = ACTIONS + ["s3:*", "s3:Get*", "s3:*Object", "ec2:Describe*", "*", "iam:Pass?ole", "sqs:*"]
RESOURCES = [
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::other/secret.txt",
    "arn:aws:iam::111122223333:role/r1",
    "arn:aws:sqs:us-east-1:111122223333:queue",
    "*",
]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket*",
    "arn:aws:s3:::*/secret.txt",
    "arn:aws:iam::111122223333:role/r?",
    "arn:aws:sqs:*:111122223333:*",
    "arn:aws:s3:::bucket",
]
KEYS = {
    "aws:PrincipalTag/team": ["blue", "red", "bl"],
    "aws:SecureTransport": ["true", "false"],
    "s3:max-keys": ["5", "10", "50"],
    "aws:SourceIp": ["10.1.2.3", "192.0.2.7", "203.0.113.9"],
    "aws:RequestTag/env": ["prod", "dev"],
}


CLEAN = len(sys.argv) > 4 and sys.argv[4] == "clean"


def condition(rng):
    key = rng.choice(list(KEYS))
    suffix = "IfExists" if rng.random() < 0.2 and not (CLEAN and key in ("s3:max-keys", "aws:SourceIp")) else ""
    if key == "aws:SecureTransport":
        op, value = "Bool", rng.choice(["true", "false"])
    elif key == "s3:max-keys":
        op, value = rng.choice(["NumericLessThan", "NumericEquals", "NumericGreaterThanEquals"]), rng.choice(["5", "10", "20"])
    elif key == "aws:SourceIp":
        op, value = rng.choice(["IpAddress", "NotIpAddress"]), rng.choice(["10.0.0.0/8", "192.0.2.0/24", ["10.0.0.0/8", "203.0.113.0/24"]])
    else:
        ops = ["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIgnoreCase"] + ([] if CLEAN else ["StringNotLike"])
        op = rng.choice(ops)
        value = rng.choice(KEYS[key] + ["b*", "*e*", "PROD"]) if "Like" in op else rng.choice(KEYS[key] + ["PROD"])
    if rng.random() < 0.1:
        return {"Null": {key: rng.choice(["true", "false"])}}
    return {op + suffix: {key: value}}


def statement(rng):
    st = {"Effect": rng.choice(["Allow", "Allow", "Deny"])}
    acts = rng.sample(ACTION_PATTERNS, rng.randint(1, 2))
    st["NotAction" if rng.random() < 0.15 else "Action"] = acts if len(acts) > 1 else acts[0]
    res = rng.sample(RESOURCE_PATTERNS, rng.randint(1, 2))
    st["NotResource" if rng.random() < 0.15 else "Resource"] = res if len(res) > 1 else res[0]
    if rng.random() < 0.5:
        cond = {}
        for _ in range(rng.randint(1, 2)):
            for op, kv in condition(rng).items():
                cond.setdefault(op, {}).update(kv)
        st["Condition"] = cond
    return st


def main():
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    with open(out, "w") as f:
        for _ in range(n):
            policy = {"Version": "2012-10-17", "Statement": [statement(rng) for _ in range(rng.randint(1, 3))]}
            action, resource = rng.choice(ACTIONS), rng.choice(RESOURCES)
            context = {k: rng.choice(v) for k, v in KEYS.items() if rng.random() < 0.6}
            ctx = CaseInsensitiveDict(context)
            if policy_has_matching_statement(policy, "Deny", action, resource, ctx):
                decision = "explicitDeny"
            elif policy_has_matching_statement(policy, "Allow", action, resource, ctx):
                decision = "allowed"
            else:
                decision = "implicitDeny"
            f.write(json.dumps({"policy": policy, "action": action, "resource": resource, "context": context, "pmapper": decision}) + "\n")


main()
