#!/usr/bin/env python3
"""Plants privilege-escalation techniques in moto's IAM (asserted by
`crates/app/tests/escalation.rs`, through the real collector).

    plant_escalation.py ENDPOINT

Administrators to reach (inline `*` on `*`): the user `boss` (no console password), the
roles `admin-acct` (trusts the account), `admin-ec2`, `admin-lambda`, `admin-cfn` (trust
EC2, Lambda, CloudFormation), the function `admin-fn` (runs as `admin-lambda`) and the group
`admins` (no members). Stepping stones: the users `pawn` (no policies) and `pawn2` (member of
the group `grp`, which may only list S3).

For each technique T, three roles that trust only SSM (so nobody can assume them):
`esc-T` holds the grants of the technique; `nb-T` holds the same grants with a permissions
boundary that allows only S3 (`s3-only`); `nd-T` holds the same grants and an inline Deny of
every action of the technique. `esc-T` must reach administrator by T; `nb-T` and `nd-T`
must not. The grants of `create-policy-version` are a customer managed policy attached to
the role (`p-<role>`), which allows changing itself.

Everything set is read back and asserted, so a moto that stops storing it fails here.
Prints {"techniques": {T: [actions]}, "account": "123456789012"} as JSON.
"""
import io
import json
import sys
import zipfile

import boto3

ACCOUNT = "123456789012"


def client(endpoint, service):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


def trust(principal):
    return doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


def arn(kind, name):
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


ADMIN = doc(allow("*"))

# T -> (the role's grants as a function of its own name, every action of the technique)
TECHNIQUES = {
    "assume-role": (lambda me: [allow(["sts:AssumeRole"], arn("role", "admin-acct"))], ["sts:AssumeRole"]),
    "pass-role-ec2": (lambda me: [allow(["iam:PassRole", "ec2:RunInstances"])], ["iam:PassRole", "ec2:RunInstances"]),
    "pass-role-lambda": (lambda me: [allow(["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"])],
                         ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
    "pass-role-cfn": (lambda me: [allow(["iam:PassRole", "cloudformation:CreateStack"])],
                      ["iam:PassRole", "cloudformation:CreateStack"]),
    "create-access-key": (lambda me: [allow(["iam:CreateAccessKey"], arn("user", "boss"))], ["iam:CreateAccessKey"]),
    "create-login-profile": (lambda me: [allow(["iam:CreateLoginProfile"], arn("user", "boss"))], ["iam:CreateLoginProfile"]),
    "update-assume-role-policy": (lambda me: [allow(["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"], arn("role", "admin-ec2"))],
                                  ["iam:UpdateAssumeRolePolicy"]),
    "update-function-code": (lambda me: [allow(["lambda:UpdateFunctionCode"], f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:admin-fn")],
                             ["lambda:UpdateFunctionCode"]),
    "put-role-policy": (lambda me: [allow(["iam:PutRolePolicy"], arn("role", me))], ["iam:PutRolePolicy"]),
    "attach-role-policy": (lambda me: [allow(["iam:AttachRolePolicy"], arn("role", me))], ["iam:AttachRolePolicy"]),
    "add-user-to-group": (lambda me: [allow(["iam:AddUserToGroup"], arn("group", "admins")),
                                      allow(["iam:CreateAccessKey"], arn("user", "pawn"))], ["iam:AddUserToGroup"]),
    "put-group-policy": (lambda me: [allow(["iam:PutGroupPolicy"], arn("group", "grp")),
                                     allow(["iam:CreateAccessKey"], arn("user", "pawn2"))], ["iam:PutGroupPolicy"]),
    "create-policy-version": (lambda me: [allow(["iam:CreatePolicyVersion"], arn("policy", f"p-{me}"))], ["iam:CreatePolicyVersion"]),
}


def main():
    endpoint = sys.argv[1]
    iam = client(endpoint, "iam")
    iam.create_user(UserName="boss")
    iam.put_user_policy(UserName="boss", PolicyName="admin", PolicyDocument=ADMIN)
    for name, principal in [
        ("admin-acct", {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        ("admin-ec2", {"Service": "ec2.amazonaws.com"}),
        ("admin-lambda", {"Service": "lambda.amazonaws.com"}),
        ("admin-cfn", {"Service": "cloudformation.amazonaws.com"}),
    ]:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust(principal))
        iam.put_role_policy(RoleName=name, PolicyName="admin", PolicyDocument=ADMIN)
    iam.create_group(GroupName="admins")
    iam.put_group_policy(GroupName="admins", PolicyName="admin", PolicyDocument=ADMIN)
    iam.create_user(UserName="pawn")
    iam.create_user(UserName="pawn2")
    iam.create_group(GroupName="grp")
    iam.put_group_policy(GroupName="grp", PolicyName="list", PolicyDocument=doc(allow(["s3:List*"])))
    iam.add_user_to_group(GroupName="grp", UserName="pawn2")
    boundary = iam.create_policy(PolicyName="s3-only", PolicyDocument=doc(allow(["s3:*"])))["Policy"]["Arn"]

    lam = client(endpoint, "lambda")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return 1\n")
    lam.create_function(FunctionName="admin-fn", Runtime="python3.12", Role=arn("role", "admin-lambda"),
                        Handler="index.handler", Code={"ZipFile": buf.getvalue()})

    for t, (grants, actions) in TECHNIQUES.items():
        for prefix in ["esc", "nb", "nd"]:
            me = f"{prefix}-{t}"
            extra = {"PermissionsBoundary": boundary} if prefix == "nb" else {}
            iam.create_role(RoleName=me, AssumeRolePolicyDocument=trust({"Service": "ssm.amazonaws.com"}), **extra)
            if t == "create-policy-version":
                p = iam.create_policy(PolicyName=f"p-{me}", PolicyDocument=doc(*grants(me)))["Policy"]["Arn"]
                iam.attach_role_policy(RoleName=me, PolicyArn=p)
            else:
                iam.put_role_policy(RoleName=me, PolicyName="grants", PolicyDocument=doc(*grants(me)))
            if prefix == "nd":
                iam.put_role_policy(RoleName=me, PolicyName="deny", PolicyDocument=doc(
                    {"Effect": "Deny", "Action": actions, "Resource": "*"}))
            got = iam.get_role(RoleName=me)["Role"]
            if prefix == "nb":
                assert got.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn") == boundary, got

    # Read back what the techniques rely on.
    assert [u["UserName"] for u in iam.get_group(GroupName="grp")["Users"]] == ["pawn2"]
    assert iam.get_group(GroupName="admins")["Users"] == []
    assert lam.get_function(FunctionName="admin-fn")["Configuration"]["Role"] == arn("role", "admin-lambda")
    try:
        iam.get_login_profile(UserName="boss")
        raise AssertionError("boss has a console password")
    except iam.exceptions.NoSuchEntityException:
        pass
    details = iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
    bounded = [r["RoleName"] for r in details if r.get("PermissionsBoundary")]
    print(json.dumps({
        "account": ACCOUNT,
        "techniques": {t: actions for t, (_, actions) in TECHNIQUES.items()},
        "bounded_in_authorization_details": sorted(bounded),
    }))


if __name__ == "__main__":
    main()
