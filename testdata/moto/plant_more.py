#!/usr/bin/env python3
"""Plants, in us-east-1 and eu-west-1 of a moto server of its own, resources that fail and pass
further checks (asserted by `more_checks_fail_and_pass_on_their_own_planted_account` in
crates/cli/tests/scan.rs).

    plant_more.py ENDPOINT

Per region (SFX = the region without dashes, e.g. useast1):

- S3 buckets "more-fail-SFX" (no policy, no bucket-level Block Public Access, no access logging,
  object ownership ObjectWriter, versioning suspended) and "more-ok-SFX" (a policy denying s3:*
  without TLS, all four Block Public Access settings on, access logs to "more-logs-SFX", object
  ownership BucketOwnerEnforced, versioning enabled, default encryption with a KMS key);
- ECR repositories "more-fail" (no lifecycle policy; a repository policy letting principal "*"
  pull) and "more-ok" (a lifecycle policy; a repository policy letting one other account pull);
- KMS customer keys "kms-fail" (scheduled for deletion) and "kms-ok" (enabled);
- Elastic IPs "eip-fail" (associated with nothing) and "eip-ok" (associated with a running
  instance);
- in a VPC of its own, "vpc-ok" (a flow log of ALL traffic), next to "vpc-fail" (no flow log):
  network ACLs "nacl-fail" (associated with no subnet, tcp/22 allowed from 0.0.0.0/0) and
  "nacl-ok" (associated with a subnet, only tcp/443 allowed from 0.0.0.0/0); the default security
  group of "vpc-ok" has its egress rule revoked ("sg-ok", no rules), that of "vpc-fail" keeps it
  ("sg-fail"), named by group id (the scan names every default group "default");
- EBS volumes "vol-fail" (unencrypted) and "vol-ok" (encrypted), both attached to the instance,
  and a snapshot of each: "snap-fail" (unencrypted) and "snap-ok" (encrypted);
- AMIs made from that instance: "ami-fail" (launch permission for the group "all": public) and
  "ami-ok" (private);
- instances with a public IPv4 address, "profile-fail" (with an IAM instance profile) and
  "profile-ok" (without);
- instances "ud-fail" (an AWS access key id and secret access key exported in its user data,
  built at run time so that no key is written here) and "ud-ok" (user data without keys);
- imported ACM certificates "weak.example.com" (RSA 1024) and "www.example.com" (RSA 2048),
  expiring in 2035 and later, and "soon.example.com" (RSA 2048, generated here, expiring in 10 days);
- application load balancers "alb-weak" (an HTTPS listener on weak.example.com's certificate) and
  "alb-ok" (on www.example.com's), in the default subnets (moto refuses to import an expired
  certificate, as ACM does: an expired origin certificate is tested with tls_origins.py), and
  "alb-empty" (internal, without any listener);
- transit gateways "tgw-fail" (AutoAcceptSharedAttachments enable) and "tgw-ok" (disable);
- Aurora clusters "aurora-mixed" (one publicly accessible and one private instance) and
  "aurora-private" (two private instances);
- standalone RDS instances "rds-fail" (deletion protection off, auto minor version upgrade off)
  and "rds-ok" (both on), and "rds-sg-fail" (its VPC security group allows tcp/5432 from 0.0.0.0/0)
  and "rds-sg-ok" (its VPC security group allows no ingress), in the default VPC;
- CloudTrail trails "trail-fail-SFX" (delivering to the bucket of the same name, whose policy
  allows s3:GetObject to principal "*", no access logging) and "trail-ok-SFX" (delivering to the
  bucket of the same name, no policy, access logs to "more-logs-SFX"); in us-east-1 also the
  multi-region trail "trail-data" recording every S3 object read and write event;
- Lambda functions "lambda-fail" (runtime python3.7, deprecated; a policy allowing principal "*"
  to invoke it; a function URL with auth type NONE; an access key id and secret access key, built
  at run time, in its environment variables) and "lambda-ok" (runtime python3.12; a policy
  allowing one account only; a function URL with auth type AWS_IAM; no key in its variables;
  connected to the default VPC, "lambda-fail" to none);

Once, IAM being global (the scan reports IAM resources in the home region, us-east-1): customer
managed policies "admin-fail" (allows "*" on "*", attached to "user-fail") and "admin-ok" (allows
s3:GetObject only); users "user-fail" (a directly attached managed policy) and "user-ok" (none);
a strong account password policy (length 14, all character classes, reuse of 24 prevented);
users "user-console-fresh" (console password, an access key never used), "user-console-ok"
(console password, no key) and "user-two-keys" (two active keys); role "support" with
AWSSupportAccess; user "user-admin", group "group-admin" and role "role-admin" (trusted by
another account) with the AWS managed AdministratorAccess, group "group-ok" with ReadOnlyAccess;
users "user-inline-admin" (an inline policy allowing "*" on "*") and "user-inline-ok" (an inline
policy allowing s3:GetObject); users "user-hw-mfa" (a hardware TOTP token) and "user-virtual-mfa"
(a virtual MFA device); role "security-audit" with SecurityAudit; role "role-ro-vendor" with
ReadOnlyAccess, trusted by another account; customer managed policies "assume-any"
(sts:AssumeRole on "*") and "assume-one" (on one role), attached to "user-fail".

Once, CloudFront being global (the scan reports distributions in the home region, us-east-1):
distributions "cf-fail" (no default root object, viewer protocol policy allow-all, logging off,
no web ACL, its custom origin http-only), "cf-ok" (default root object, redirect-to-https,
logging on, a web ACL, its custom origin https-only with TLSv1.2) and "cf-ssl" (as "cf-ok" but
without web ACL and with a custom origin allowing SSLv3); "cf-origin-fail-SFX" and
"cf-origin-ok-SFX" (as "cf-ok", their origin the DNS name of alb-weak / alb-ok of region SFX);
"cf-iam-soon" (as "cf-ok", its viewer certificate the IAM server certificate "iam-soon", RSA 2048,
expiring in 10 days, served with SNI) and "cf-iam-vip" (the same certificate on dedicated IPs).
(moto 5.2.5 also reports CloudFrontDefaultCertificate true next to an IAM certificate; the checks
go by the named certificate.) Not planted, moto 5.2.5 cannot represent it: origin access control
(moto drops OriginAccessControlId from origins).

It prints, as JSON, {region: {logical name: the resource name the scan reports}} (for sg-*: the
group id): key ids, public IPs, VPC, network ACL, security group, volume and transit gateway ids
are chosen by moto.

Everything set is read back with boto3 and asserted, so a moto that stops storing it fails here
rather than in the scan.
"""
import base64
import datetime
import io
import json
import sys
import zipfile
from pathlib import Path

import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
CERTS = ROOT / "testdata/certs"


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant_s3(s3, region, sfx):
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    fail, ok, logs = f"more-fail-{sfx}", f"more-ok-{sfx}", f"more-logs-{sfx}"
    for b in (fail, ok, logs):
        s3.create_bucket(Bucket=b, **kw)
    s3.put_bucket_ownership_controls(Bucket=fail, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.put_bucket_ownership_controls(Bucket=ok, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    s3.put_public_access_block(Bucket=ok, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{ok}", f"arn:aws:s3:::{ok}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    s3.put_bucket_policy(Bucket=ok, Policy=json.dumps(policy))
    s3.put_bucket_acl(Bucket=logs, GrantWrite="uri=http://acs.amazonaws.com/groups/s3/LogDelivery",
                      GrantReadACP="uri=http://acs.amazonaws.com/groups/s3/LogDelivery")
    s3.put_bucket_logging(Bucket=ok, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "ok/"}})
    s3.put_bucket_versioning(Bucket=ok, VersioningConfiguration={"Status": "Enabled"})
    # (moto 5.2.5 answers GetBucketVersioning with an XML root the SDK rejects: the scan reads
    # versioning as not available; planted for the day moto answers like S3.)
    s3.put_bucket_versioning(Bucket=fail, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket=fail, VersioningConfiguration={"Status": "Suspended"})
    # Default encryption with a KMS key on "ok" (Prowler parity); "fail" keeps S3's default.
    s3.put_bucket_encryption(Bucket=ok, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}}]})
    sse = lambda b: s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
    assert sse(ok) == "aws:kms", sse(ok)
    try:
        assert sse(fail) != "aws:kms", sse(fail)
    except s3.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ServerSideEncryptionConfigurationNotFoundError", e

    # ---- Read back what moto stored.
    own = lambda b: s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    assert own(fail) == "ObjectWriter" and own(ok) == "BucketOwnerEnforced"
    assert all(s3.get_public_access_block(Bucket=ok)["PublicAccessBlockConfiguration"].values())
    try:
        s3.get_public_access_block(Bucket=fail)
        raise AssertionError(f"{fail} has a public access block")
    except s3.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration", e
    assert json.loads(s3.get_bucket_policy(Bucket=ok)["Policy"])["Statement"][0]["Condition"] == policy["Statement"][0]["Condition"]
    assert s3.get_bucket_logging(Bucket=ok)["LoggingEnabled"]["TargetBucket"] == logs
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=fail)
    assert (s3.get_bucket_versioning(Bucket=ok).get("Status"), s3.get_bucket_versioning(Bucket=fail).get("Status")) == ("Enabled", "Suspended")
    assert s3.get_bucket_location(Bucket=ok)["LocationConstraint"] in ((None,) if region == "us-east-1" else (region,))


def plant_ecr(ecr):
    ecr.create_repository(repositoryName="more-fail")
    ecr.create_repository(repositoryName="more-ok")
    rule = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                         "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]}
    ecr.put_lifecycle_policy(repositoryName="more-ok", lifecyclePolicyText=json.dumps(rule))
    assert json.loads(ecr.get_lifecycle_policy(repositoryName="more-ok")["lifecyclePolicyText"]) == rule
    try:
        ecr.get_lifecycle_policy(repositoryName="more-fail")
        raise AssertionError("more-fail has a lifecycle policy")
    except ecr.exceptions.LifecyclePolicyNotFoundException:
        pass
    for repo, principal in [("more-fail", "*"), ("more-ok", {"AWS": "arn:aws:iam::111122223333:root"})]:
        policy = {"Version": "2012-10-17", "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": principal,
                                                          "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}
        ecr.set_repository_policy(repositoryName=repo, policyText=json.dumps(policy))
        assert json.loads(ecr.get_repository_policy(repositoryName=repo)["policyText"])["Statement"][0]["Principal"] == principal


def plant_kms(kms, names):
    fail = kms.create_key(Description="kms-fail")["KeyMetadata"]["KeyId"]
    ok = kms.create_key(Description="kms-ok")["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=fail, PendingWindowInDays=7)
    assert kms.describe_key(KeyId=fail)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert kms.describe_key(KeyId=ok)["KeyMetadata"]["KeyState"] == "Enabled"
    names.update({"kms-fail": fail, "kms-ok": ok})


def plant_ec2(ec2, region, names):
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    vpc_fail = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24", AvailabilityZone=f"{region}a")["Subnet"]["SubnetId"]
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                         LogDestination=f"arn:aws:s3:::more-logs-{region.replace('-', '')}")
    fl = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc]}])["FlowLogs"]
    assert [(l["TrafficType"], l["FlowLogStatus"]) for l in fl] == [("ALL", "ACTIVE")], fl
    assert not ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_fail]}])["FlowLogs"]

    default_sg = lambda v: ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [v]},
                                                                {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    sg_ok = default_sg(vpc)
    ec2.revoke_security_group_egress(GroupId=sg_ok["GroupId"], IpPermissions=sg_ok["IpPermissionsEgress"])
    sg_ok, sg_fail = default_sg(vpc), default_sg(vpc_fail)
    assert not sg_ok["IpPermissions"] and not sg_ok["IpPermissionsEgress"], sg_ok
    assert sg_fail["IpPermissionsEgress"], sg_fail
    names.update({"sg-ok": sg_ok["GroupId"], "sg-fail": sg_fail["GroupId"]})

    nacl_fail = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    nacl_ok = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=nacl_fail, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 22, "To": 22})
    ec2.create_network_acl_entry(NetworkAclId=nacl_ok, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
    assoc = [a for n in ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [subnet]}])["NetworkAcls"]
             for a in n["Associations"] if a["SubnetId"] == subnet][0]["NetworkAclAssociationId"]
    ec2.replace_network_acl_association(AssociationId=assoc, NetworkAclId=nacl_ok)
    acls = {n["NetworkAclId"]: n for n in ec2.describe_network_acls(NetworkAclIds=[nacl_fail, nacl_ok])["NetworkAcls"]}
    assert not acls[nacl_fail]["Associations"], acls[nacl_fail]
    assert [a["SubnetId"] for a in acls[nacl_ok]["Associations"]] == [subnet], acls[nacl_ok]
    ingress = lambda n: [(e["RuleNumber"], e["RuleAction"], e.get("PortRange")) for e in acls[n]["Entries"] if not e["Egress"] and e["RuleNumber"] == 100]
    assert ingress(nacl_fail) == [(100, "allow", {"From": 22, "To": 22})], acls[nacl_fail]
    assert ingress(nacl_ok) == [(100, "allow", {"From": 443, "To": 443})], acls[nacl_ok]

    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                 SubnetId=subnet)["Instances"][0]["InstanceId"]
    vols = {}
    for name, enc, dev in [("vol-fail", False, "/dev/sdf"), ("vol-ok", True, "/dev/sdg")]:
        v = ec2.create_volume(AvailabilityZone=f"{region}a", Size=1, Encrypted=enc)["VolumeId"]
        ec2.attach_volume(VolumeId=v, InstanceId=instance, Device=dev)
        vols[name] = v
    got = {v["VolumeId"]: v for v in ec2.describe_volumes(VolumeIds=list(vols.values()))["Volumes"]}
    for name, enc in [("vol-fail", False), ("vol-ok", True)]:
        v = got[vols[name]]
        assert v["Encrypted"] is enc and [a["InstanceId"] for a in v["Attachments"]] == [instance], v

    snaps = {}
    for name, vol, enc in [("snap-fail", "vol-fail", False), ("snap-ok", "vol-ok", True)]:
        snaps[name] = ec2.create_snapshot(VolumeId=vols[vol])["SnapshotId"]
        assert ec2.describe_snapshots(SnapshotIds=[snaps[name]])["Snapshots"][0]["Encrypted"] is enc, name

    amis = {}
    for name in ["ami-fail", "ami-ok"]:
        amis[name] = ec2.create_image(InstanceId=instance, Name=f"{name}-{region}")["ImageId"]
    ec2.modify_image_attribute(ImageId=amis["ami-fail"], LaunchPermission={"Add": [{"Group": "all"}]})
    public = {i["ImageId"]: i["Public"] for i in ec2.describe_images(ImageIds=list(amis.values()))["Images"]}
    assert public == {amis["ami-fail"]: True, amis["ami-ok"]: False}, public

    # A key pair assembled here, so that this file holds no key-shaped literal.
    key_id, secret = "AKIA" + "Q3EGRN5UVWXYZ2AB", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2" + "/Ae4Ku9M"
    user_data = {"ud-fail": f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={key_id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n",
                 "ud-ok": "#!/bin/bash\nyum install -y nginx\n"}
    uds = {}
    for name, text in user_data.items():
        uds[name] = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                      SubnetId=subnet, UserData=text)["Instances"][0]["InstanceId"]
        got = ec2.describe_instance_attribute(InstanceId=uds[name], Attribute="userData")["UserData"]["Value"]
        assert base64.b64decode(got).decode() == text, name

    eip_fail = ec2.allocate_address(Domain="vpc")
    eip_ok = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=eip_ok["AllocationId"], InstanceId=instance)
    addrs = {a["AllocationId"]: a for a in ec2.describe_addresses(AllocationIds=[eip_fail["AllocationId"], eip_ok["AllocationId"]])["Addresses"]}
    # moto reports empty InstanceId and NetworkInterfaceId for an unassociated address (the scan reads "" as none).
    assert not any(addrs[eip_fail["AllocationId"]].get(k) for k in ("AssociationId", "InstanceId", "NetworkInterfaceId")), addrs
    assert addrs[eip_ok["AllocationId"]]["InstanceId"] == instance, addrs
    assert ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"
    names.update({"vpc-ok": vpc, "vpc-fail": vpc_fail, "nacl-fail": nacl_fail, "nacl-ok": nacl_ok,
                  "eip-fail": eip_fail["PublicIp"], "eip-ok": eip_ok["PublicIp"], **vols, **snaps, **amis, **uds})


def soon_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "soon.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=10)).sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))


def plant_acm(acm):
    certs = {}
    for domain, stem in [("weak.example.com", "rsa1024-sha1"), ("www.example.com", "rsa2048-sha256")]:
        certs[domain] = acm.import_certificate(Certificate=(CERTS / f"{stem}.pem").read_bytes(),
                                               PrivateKey=(CERTS / f"{stem}.key").read_bytes())["CertificateArn"]
    pem, key = soon_cert()
    certs["soon.example.com"] = acm.import_certificate(Certificate=pem, PrivateKey=key)["CertificateArn"]
    now = datetime.datetime.now(datetime.timezone.utc)
    for domain, alg, min_days, max_days in [("weak.example.com", "RSA_1024", 3000, 10**5), ("www.example.com", "RSA_2048", 3000, 10**5),
                                            ("soon.example.com", "RSA_2048", 8, 11)]:
        c = acm.describe_certificate(CertificateArn=certs[domain])["Certificate"]
        left = (c["NotAfter"] - now).days
        assert (c["DomainName"], c["KeyAlgorithm"], c["Status"]) == (domain, alg, "ISSUED") and min_days <= left <= max_days, (c, left)
    return certs


def plant_alb_origins(elbv2, ec2, certs, names):
    """Application load balancers "alb-weak" (HTTPS listener on the RSA 1024 certificate) and
    "alb-ok" (on the RSA 2048 one), in the region's default subnets: CloudFront origins."""
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][:2]
    for lb_name, domain in [("alb-weak", "weak.example.com"), ("alb-ok", "www.example.com")]:
        lb = elbv2.create_load_balancer(Name=lb_name, Subnets=[x["SubnetId"] for x in subnets], Scheme="internet-facing",
                                        Type="application")["LoadBalancers"][0]
        tg = elbv2.create_target_group(Name=f"{lb_name}-tg", Protocol="HTTP", Port=80, VpcId=subnets[0]["VpcId"])["TargetGroups"][0]
        elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                              Certificates=[{"CertificateArn": certs[domain]}],
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
        got = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
        assert [c["CertificateArn"] for c in got[0]["Certificates"]] == [certs[domain]], got
        names[f"{lb_name}-dns"] = lb["DNSName"]
    # A load balancer without any listener (Prowler parity).
    empty = elbv2.create_load_balancer(Name="alb-empty", Subnets=[x["SubnetId"] for x in subnets], Scheme="internal",
                                       Type="application")["LoadBalancers"][0]
    assert not elbv2.describe_listeners(LoadBalancerArn=empty["LoadBalancerArn"])["Listeners"]


def plant_lambda_vpc(lam, ec2):
    """Connects "lambda-ok" to the default VPC, in two Availability Zones."""
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][:2]
    sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [subnets[0]["VpcId"]]},
                                               {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
    lam.update_function_configuration(FunctionName="lambda-ok", VpcConfig={"SubnetIds": [s["SubnetId"] for s in subnets], "SecurityGroupIds": [sg]})
    assert lam.get_function(FunctionName="lambda-ok")["Configuration"]["VpcConfig"].get("VpcId")
    assert not lam.get_function(FunctionName="lambda-fail")["Configuration"].get("VpcConfig", {}).get("VpcId")


def plant_profile_instances(ec2, iam, region, names):
    subnet = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.60.1.0/24"]}])["Subnets"][0]["SubnetId"]
    profile = f"more-web-{region}"
    iam.create_role(RoleName=profile, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=profile)
    for name, extra in [("profile-fail", {"IamInstanceProfile": {"Name": profile}}), ("profile-ok", {})]:
        i = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                              NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "AssociatePublicIpAddress": True}],
                              **extra)["Instances"][0]["InstanceId"]
        got = ec2.describe_instances(InstanceIds=[i])["Reservations"][0]["Instances"][0]
        assert got.get("PublicIpAddress"), got
        assert ("IamInstanceProfile" in got) == bool(extra), got
        names[name] = i


def plant_lambda(iam, lam, region):
    role = iam.create_role(RoleName=f"more-lambda-{region}", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 1\n")
    # A key pair assembled here, so that this file holds no key-shaped literal.
    key_id, secret = "AKIA" + "Q3EGRN5UVWXYZ2AB", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2" + "/Ae4Ku9M"
    env = {"lambda-fail": {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret, "TABLE": "orders"},
           "lambda-ok": {"TABLE": "orders"}}
    for name, runtime, principal in [("lambda-fail", "python3.7", "*"), ("lambda-ok", "python3.12", "arn:aws:iam::111122223333:root")]:
        lam.create_function(FunctionName=name, Runtime=runtime, Role=role, Handler="index.handler",
                            Code={"ZipFile": buf.getvalue()}, Environment={"Variables": env[name]})
        listed = {f["FunctionName"]: f for f in lam.list_functions()["Functions"]}
        assert listed[name]["Environment"]["Variables"] == env[name], listed[name]
        lam.add_permission(FunctionName=name, StatementId="invoke", Action="lambda:InvokeFunction", Principal=principal)
        assert lam.get_function(FunctionName=name)["Configuration"]["Runtime"] == runtime
        stmt = json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
        assert len(stmt) == 1 and stmt[0]["Effect"] == "Allow" and stmt[0].get("Condition") is None, stmt
        want = "*" if principal == "*" else {"AWS": principal}
        assert stmt[0]["Principal"] == want, stmt
    for name, auth in [("lambda-fail", "NONE"), ("lambda-ok", "AWS_IAM")]:
        lam.create_function_url_config(FunctionName=name, AuthType=auth)
        assert lam.get_function_url_config(FunctionName=name)["AuthType"] == auth, name


def plant_tgw(ec2, names):
    for name, auto in [("tgw-fail", "enable"), ("tgw-ok", "disable")]:
        g = ec2.create_transit_gateway(Description=name, Options={"AutoAcceptSharedAttachments": auto})["TransitGateway"]["TransitGatewayId"]
        got = ec2.describe_transit_gateways(TransitGatewayIds=[g])["TransitGateways"][0]
        assert (got["Options"]["AutoAcceptSharedAttachments"], got["State"]) == (auto, "available"), got
        names[name] = g


def plant_rds(rds, ec2):
    for name, on in [("rds-fail", False), ("rds-ok", True)]:
        rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres",
                               MasterUsername="rampart", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
                               DeletionProtection=on, AutoMinorVersionUpgrade=on)
        db = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
        assert (db["DeletionProtection"], db["AutoMinorVersionUpgrade"], db.get("DBClusterIdentifier")) == (on, on, None), db
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    for name, open_ in [("rds-sg-fail", True), ("rds-sg-ok", False)]:
        sg = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        if open_:
            ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                                                              "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres",
                               MasterUsername="rampart", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
                               VpcSecurityGroupIds=[sg])
        db = rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]
        assert [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]] == [sg] and db["Endpoint"]["Port"] == 5432, db
        ingress = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
        want = [(5432, ["0.0.0.0/0"])] if open_ else []
        assert [(p["FromPort"], [r["CidrIp"] for r in p["IpRanges"]]) for p in ingress] == want, ingress
    assert not rds.describe_db_security_groups()["DBSecurityGroups"]
    # Trusted Advisor "Amazon Aurora DB Instance Accessibility": a cluster mixing a publicly
    # accessible and a private instance, and one whose instances are all private.
    for cluster, publics in [("aurora-mixed", [True, False]), ("aurora-private", [False, False])]:
        rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql", MasterUsername="rampart",
                              MasterUserPassword="not-a-secret-1")
        for i, public in enumerate(publics):
            rds.create_db_instance(DBInstanceIdentifier=f"{cluster}-{i}", DBClusterIdentifier=cluster, DBInstanceClass="db.r6g.large",
                                   Engine="aurora-postgresql", PubliclyAccessible=public)
        got = [(d["DBClusterIdentifier"], d["PubliclyAccessible"]) for d in rds.describe_db_instances()["DBInstances"] if d.get("DBClusterIdentifier") == cluster]
        assert sorted(got) == sorted((cluster, p) for p in publics), got


def plant_cloudtrail(ct, s3, region, sfx):
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    for name, public in [("trail-fail", True), ("trail-ok", False)]:
        bucket = f"{name}-{sfx}"
        s3.create_bucket(Bucket=bucket, **kw)
        if public:
            s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
        arn = ct.create_trail(Name=bucket, S3BucketName=bucket)["TrailARN"]
        t = ct.get_trail(Name=arn)["Trail"]
        assert (t["TrailARN"].split(":")[3], t["Name"], t["S3BucketName"]) == (region, bucket, bucket), t
        if public:
            assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True
        else:
            try:
                s3.get_bucket_policy(Bucket=bucket)
                raise AssertionError(f"{bucket} has a policy")
            except s3.exceptions.ClientError as e:
                assert e.response["Error"]["Code"] == "NoSuchBucketPolicy", e
            # CIS 3.4: the ok trail's bucket logs its access (the fail one does not).
            s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": f"more-logs-{sfx}", "TargetPrefix": f"{bucket}/"}})
            assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]["TargetBucket"] == f"more-logs-{sfx}"
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=f"trail-fail-{sfx}")
    if region == "us-east-1":
        # CIS 3.8/3.9: a multi-region trail recording every S3 object read and write event.
        ct.create_trail(Name="trail-data", S3BucketName=f"trail-ok-{sfx}", IsMultiRegionTrail=True)
        selectors = [{"ReadWriteType": "All", "IncludeManagementEvents": True,
                      "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]
        ct.put_event_selectors(TrailName="trail-data", EventSelectors=selectors)
        assert ct.get_event_selectors(TrailName="trail-data")["EventSelectors"] == selectors


def plant_iam(iam):
    doc = lambda action: json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
    admin = iam.create_policy(PolicyName="admin-fail", PolicyDocument=doc("*"))["Policy"]["Arn"]
    iam.create_policy(PolicyName="admin-ok", PolicyDocument=doc("s3:GetObject"))
    for user in ("user-fail", "user-ok"):
        iam.create_user(UserName=user)
    iam.attach_user_policy(UserName="user-fail", PolicyArn=admin)
    mine = {p["PolicyName"]: p for p in iam.list_policies(Scope="Local")["Policies"]}
    for name, action in [("admin-fail", "*"), ("admin-ok", "s3:GetObject")]:
        v = iam.get_policy_version(PolicyArn=mine[name]["Arn"], VersionId=mine[name]["DefaultVersionId"])["PolicyVersion"]["Document"]
        v = json.loads(v) if isinstance(v, str) else v
        assert v["Statement"][0]["Action"] == action and v["Statement"][0]["Resource"] == "*", v
    attached = lambda u: [p["PolicyName"] for p in iam.list_attached_user_policies(UserName=u)["AttachedPolicies"]]
    assert attached("user-fail") == ["admin-fail"] and attached("user-ok") == [], (attached("user-fail"), attached("user-ok"))
    assert not iam.list_user_policies(UserName="user-fail")["PolicyNames"] and not iam.list_user_policies(UserName="user-ok")["PolicyNames"]
    # CIS 1.11 / 1.13: a console user given an access key it never used, a console user without
    # one; a user with two active keys.
    for user, password, keys in [("user-console-fresh", True, 1), ("user-console-ok", True, 0), ("user-two-keys", False, 2)]:
        iam.create_user(UserName=user)
        if password:
            iam.create_login_profile(UserName=user, Password="Correct-Horse-Battery-9")
        for _ in range(keys):
            iam.create_access_key(UserName=user)
        assert len(iam.list_access_keys(UserName=user)["AccessKeyMetadata"]) == keys
    # CIS 1.17: a role for AWS Support.
    iam.create_role(RoleName="support", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="support", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")
    assert [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="support")["AttachedPolicies"]] == ["AWSSupportAccess"]
    policy = {"MinimumPasswordLength": 14, "RequireSymbols": True, "RequireNumbers": True, "RequireUppercaseCharacters": True,
              "RequireLowercaseCharacters": True, "PasswordReusePrevention": 24}
    iam.update_account_password_policy(**policy)
    got = iam.get_account_password_policy()["PasswordPolicy"]
    assert all(got[k] == v for k, v in policy.items()), got
    # Prowler parity: the AWS managed AdministratorAccess on a user, a group and a role (the
    # support role above, trusted by the account, is the passing role); inline "*" on "*".
    aws_admin, aws_read = "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"
    iam.create_user(UserName="user-admin")
    iam.attach_user_policy(UserName="user-admin", PolicyArn=aws_admin)
    for group, arn in [("group-admin", aws_admin), ("group-ok", aws_read)]:
        iam.create_group(GroupName=group)
        iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        assert [p["PolicyArn"] for p in iam.list_attached_group_policies(GroupName=group)["AttachedPolicies"]] == [arn]
    iam.create_role(RoleName="role-admin", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="role-admin", PolicyArn=aws_admin)
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="role-admin")["AttachedPolicies"]] == [aws_admin]
    for user, action in [("user-inline-admin", "*"), ("user-inline-ok", "s3:GetObject")]:
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=doc(action))
        assert iam.list_user_policies(UserName=user)["PolicyNames"] == ["inline"]
    # A hardware TOTP token (moto takes any serial number) and a virtual MFA device.
    iam.create_user(UserName="user-hw-mfa")
    iam.enable_mfa_device(UserName="user-hw-mfa", SerialNumber="GAHT12345678", AuthenticationCode1="123456", AuthenticationCode2="654321")
    iam.create_user(UserName="user-virtual-mfa")
    virtual = iam.create_virtual_mfa_device(VirtualMFADeviceName="user-virtual-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="user-virtual-mfa", SerialNumber=virtual, AuthenticationCode1="123456", AuthenticationCode2="654321")
    for user, serial in [("user-hw-mfa", "GAHT12345678"), ("user-virtual-mfa", virtual)]:
        assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName=user)["MFADevices"]] == [serial], user
    # A role for security audits (the bare account of plant_bare.py has none).
    iam.create_role(RoleName="security-audit", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="security-audit", PolicyArn="arn:aws:iam::aws:policy/SecurityAudit")
    # ReadOnlyAccess for another account; role assumption on any role and on one, attached to user-fail.
    iam.create_role(RoleName="role-ro-vendor", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}))
    iam.attach_role_policy(RoleName="role-ro-vendor", PolicyArn=aws_read)
    assume = lambda resource: json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resource}]})
    for name, resource in [("assume-any", "*"), ("assume-one", "arn:aws:iam::123456789012:role/support")]:
        arn = iam.create_policy(PolicyName=name, PolicyDocument=assume(resource))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="user-fail", PolicyArn=arn)
    assert sorted(p["PolicyName"] for p in iam.list_attached_user_policies(UserName="user-fail")["AttachedPolicies"]) == ["admin-fail", "assume-any", "assume-one"]


def plant_cloudfront(cf, iam, all_names):
    names = all_names["us-east-1"]

    def dist(ref, root, vpp, logging, waf, origin_policy, ssl_protocols, origin="example.com", viewer=None):
        cfg = {"CallerReference": ref, "Comment": ref, "Enabled": True, "DefaultRootObject": root,
               "Origins": {"Quantity": 1, "Items": [{"Id": "custom", "DomainName": origin, "CustomOriginConfig": {
                   "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": origin_policy,
                   "OriginSslProtocols": {"Quantity": len(ssl_protocols), "Items": ssl_protocols}}}]},
               "DefaultCacheBehavior": {"TargetOriginId": "custom", "ViewerProtocolPolicy": vpp,
                                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
               "Logging": {"Enabled": logging, "IncludeCookies": False,
                           "Bucket": "more-logs-useast1.s3.amazonaws.com" if logging else "", "Prefix": ""},
               "WebACLId": waf, "ViewerCertificate": viewer or {"CloudFrontDefaultCertificate": True}}
        d = cf.create_distribution(DistributionConfig=cfg)["Distribution"]
        got = cf.get_distribution_config(Id=d["Id"])["DistributionConfig"]
        o = got["Origins"]["Items"][0]["CustomOriginConfig"]
        assert (got["DefaultRootObject"], got["DefaultCacheBehavior"]["ViewerProtocolPolicy"], got["Logging"]["Enabled"], got["WebACLId"],
                o["OriginProtocolPolicy"], o["OriginSslProtocols"]["Items"]) == (root, vpp, logging, waf, origin_policy, ssl_protocols), got
        names[ref] = d["DomainName"]
        return d["Id"]

    waf = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/more/1"
    dist("cf-fail", "", "allow-all", False, "", "http-only", ["TLSv1.2"])
    dist("cf-ok", "index.html", "redirect-to-https", True, waf, "https-only", ["TLSv1.2"])
    dist("cf-ssl", "index.html", "https-only", True, "", "https-only", ["SSLv3", "TLSv1.2"])
    # The one IAM server certificate of this account (moto gives every server certificate the
    # same id): RSA 2048, expiring in 10 days.
    pem, key = soon_cert()
    meta = iam.upload_server_certificate(ServerCertificateName="iam-soon", Path="/cloudfront/", CertificateBody=pem.decode(),
                                         PrivateKey=key.decode())["ServerCertificateMetadata"]
    for ref, method in [("cf-iam-soon", "sni-only"), ("cf-iam-vip", "vip")]:
        dist_id = dist(ref, "index.html", "https-only", True, waf, "https-only", ["TLSv1.2"],
                       viewer={"IAMCertificateId": meta["ServerCertificateId"], "SSLSupportMethod": method, "MinimumProtocolVersion": "TLSv1.2_2021"})
        got = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["ViewerCertificate"]
        assert (got.get("IAMCertificateId"), got.get("SSLSupportMethod")) == (meta["ServerCertificateId"], method), got
    for region in ["us-east-1", "eu-west-1"]:
        sfx = region.replace("-", "")
        for kind, lb in [("fail", "alb-weak"), ("ok", "alb-ok")]:
            dist(f"cf-origin-{kind}-{sfx}", "index.html", "https-only", True, waf, "https-only", ["TLSv1.2"],
                 origin=all_names[region][f"{lb}-dns"])


def main():
    endpoint = sys.argv[1]
    names = {}
    for region in ["us-east-1", "eu-west-1"]:
        sfx = region.replace("-", "")
        n = names[region] = {"s3-fail": f"more-fail-{sfx}", "s3-ok": f"more-ok-{sfx}", "ecr-fail": "more-fail", "ecr-ok": "more-ok", "alb-empty": "alb-empty", "alb-ok": "alb-ok",
                             "lambda-fail": "lambda-fail", "lambda-ok": "lambda-ok", "acm-weak": "weak.example.com",
                             "acm-ok": "www.example.com", "acm-soon": "soon.example.com", "rds-fail": "rds-fail", "rds-ok": "rds-ok", "aurora-mixed": "aurora-mixed", "aurora-private": "aurora-private",
                             "rds-sg-fail": "rds-sg-fail", "rds-sg-ok": "rds-sg-ok", "trail-fail": f"trail-fail-{sfx}", "trail-ok": f"trail-ok-{sfx}"}
        plant_s3(client(endpoint, "s3", region), region, sfx)
        plant_ecr(client(endpoint, "ecr", region))
        plant_kms(client(endpoint, "kms", region), n)
        plant_ec2(client(endpoint, "ec2", region), region, n)
        plant_profile_instances(client(endpoint, "ec2", region), client(endpoint, "iam", region), region, n)
        certs = plant_acm(client(endpoint, "acm", region))
        plant_alb_origins(client(endpoint, "elbv2", region), client(endpoint, "ec2", region), certs, n)
        plant_lambda(client(endpoint, "iam", region), client(endpoint, "lambda", region), region)
        plant_lambda_vpc(client(endpoint, "lambda", region), client(endpoint, "ec2", region))
        plant_rds(client(endpoint, "rds", region), client(endpoint, "ec2", region))
        plant_cloudtrail(client(endpoint, "cloudtrail", region), client(endpoint, "s3", region), region, sfx)
        plant_tgw(client(endpoint, "ec2", region), n)
    plant_iam(client(endpoint, "iam", "us-east-1"))
    names["us-east-1"].update({n: n for n in ("admin-fail", "admin-ok", "user-fail", "user-ok", "user-console-fresh", "user-console-ok", "user-two-keys",
                                                     "user-admin", "group-admin", "group-ok", "role-admin", "support", "user-inline-admin", "user-inline-ok",
                                                     "user-hw-mfa", "user-virtual-mfa", "role-ro-vendor", "security-audit", "assume-any", "assume-one")})
    plant_cloudfront(client(endpoint, "cloudfront", "us-east-1"), client(endpoint, "iam", "us-east-1"), names)
    print(json.dumps(names))


if __name__ == "__main__":
    main()
