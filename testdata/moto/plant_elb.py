#!/usr/bin/env python3
"""Plants, in us-east-1 and eu-west-1 of a moto server of its own, load balancers that fail and
pass the ELB checks (asserted by `elb_checks_fail_and_pass_on_planted_load_balancers_in_two_regions`
in crates/cli/tests/scan.rs).

    plant_elb.py ENDPOINT

Per region: a VPC with two subnets in two Availability Zones and two security groups
("elb-listener-only" allows 443 only, "elb-wide" allows 22 as well), and

- classic load balancers (placed by Availability Zone: moto 5.2.5 reports no
  AvailabilityZones for a classic load balancer created in subnets) "fail-classic" (one AZ, HTTP listener only, cross-zone, connection
  draining and access logs off, desync mitigation "monitor", no registered instance) and
  "ok-classic" (two AZs, HTTPS listener with an ACM certificate and
  ELBSecurityPolicy-TLS-1-2-2017-01, cross-zone, draining and access logs on, desync mitigation
  "strictest", one registered instance);
- classic "fail-classic-cert": an HTTPS listener with an IAM server certificate (not ACM);
- application load balancers "fail-alb" (HTTP listener without redirect, security group with an
  extra port, access logs, deletion protection and drop-invalid-headers off, desync mitigation
  "monitor") and "ok-alb" (HTTPS listener with ELBSecurityPolicy-TLS13-1-2-2021-06, HTTP
  listener redirecting to HTTPS, everything on, desync mitigation "strictest", the instance a
  target of its target group, which moto reports healthy).

Every attribute set is read back with boto3 and asserted, so a moto that stops storing one fails
here rather than in the scan.
"""
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
CERT = (ROOT / "testdata/certs/rsa2048-sha256.pem").read_text()
KEY = (ROOT / "testdata/certs/rsa2048-sha256.key").read_text()


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant(endpoint, region):
    ec2 = client(endpoint, "ec2", region)
    elb = client(endpoint, "elb", region)
    v2 = client(endpoint, "elbv2", region)
    acm = client(endpoint, "acm", region)
    iam = client(endpoint, "iam", region)
    s3 = client(endpoint, "s3", region)
    sfx = region.replace("-", "")

    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.50.{i}.0/24", AvailabilityZone=f"{region}{az}")["Subnet"]["SubnetId"]
               for i, az in [(1, "a"), (2, "b")]]
    sg_ok = ec2.create_security_group(GroupName="elb-listener-only", Description="443 only", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg_ok, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    sg_wide = ec2.create_security_group(GroupName="elb-wide", Description="443 and 22", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg_wide, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    bucket = f"rampart-elb-logs-{sfx}"
    kw = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **kw)

    acm_arn = acm.import_certificate(Certificate=CERT.encode(), PrivateKey=KEY.encode())["CertificateArn"]
    iam_arn = iam.upload_server_certificate(ServerCertificateName=f"elb-{sfx}", CertificateBody=CERT,
                                            PrivateKey=KEY)["ServerCertificateMetadata"]["Arn"]

    # ---- Classic
    elb.create_load_balancer(LoadBalancerName="fail-classic", AvailabilityZones=[f"{region}a"],
                             Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}])
    elb.modify_load_balancer_attributes(LoadBalancerName="fail-classic", LoadBalancerAttributes={
        "CrossZoneLoadBalancing": {"Enabled": False}, "ConnectionDraining": {"Enabled": False},
        "AccessLog": {"Enabled": False},
        "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "monitor"}]})
    elb.create_load_balancer(LoadBalancerName="ok-classic", AvailabilityZones=[f"{region}a", f"{region}b"],
                             Listeners=[{"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP",
                                         "InstancePort": 80, "SSLCertificateId": acm_arn}])
    elb.create_load_balancer_policy(LoadBalancerName="ok-classic", PolicyName="tls12", PolicyTypeName="SSLNegotiationPolicyType",
                                    PolicyAttributes=[{"AttributeName": "Reference-Security-Policy",
                                                       "AttributeValue": "ELBSecurityPolicy-TLS-1-2-2017-01"}])
    elb.set_load_balancer_policies_of_listener(LoadBalancerName="ok-classic", LoadBalancerPort=443, PolicyNames=["tls12"])
    elb.modify_load_balancer_attributes(LoadBalancerName="ok-classic", LoadBalancerAttributes={
        "CrossZoneLoadBalancing": {"Enabled": True}, "ConnectionDraining": {"Enabled": True, "Timeout": 300},
        "AccessLog": {"Enabled": True, "S3BucketName": bucket, "EmitInterval": 60},
        "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "strictest"}]})
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                 SubnetId=subnets[0])["Instances"][0]["InstanceId"]
    elb.register_instances_with_load_balancer(LoadBalancerName="ok-classic", Instances=[{"InstanceId": instance}])
    elb.create_load_balancer(LoadBalancerName="fail-classic-cert", Subnets=subnets, SecurityGroups=[sg_ok],
                             Listeners=[{"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP",
                                         "InstancePort": 80, "SSLCertificateId": iam_arn}])

    # ---- Application
    def alb(name, sg, attrs, listeners, targets=()):
        arn = v2.create_load_balancer(Name=name, Subnets=subnets, SecurityGroups=[sg], Type="application",
                                      Scheme="internet-facing")["LoadBalancers"][0]["LoadBalancerArn"]
        tg = v2.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
        if targets:
            v2.register_targets(TargetGroupArn=tg, Targets=[{"Id": t} for t in targets])
        for l in listeners:
            l = dict(l)
            l.setdefault("DefaultActions", [{"Type": "forward", "TargetGroupArn": tg}])
            v2.create_listener(LoadBalancerArn=arn, **l)
        v2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in attrs.items()])
        got = {a["Key"]: a["Value"] for a in v2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
        for k, v in attrs.items():
            assert got.get(k) == v, (name, k, got.get(k), v)
        return arn

    alb("fail-alb", sg_wide, {
        "access_logs.s3.enabled": "false", "deletion_protection.enabled": "false",
        "routing.http.drop_invalid_header_fields.enabled": "false", "routing.http.desync_mitigation_mode": "monitor"},
        [{"Protocol": "HTTP", "Port": 80}])
    alb("ok-alb", sg_ok, {
        "access_logs.s3.enabled": "true", "access_logs.s3.bucket": bucket, "deletion_protection.enabled": "true",
        "routing.http.drop_invalid_header_fields.enabled": "true", "routing.http.desync_mitigation_mode": "strictest"},
        [{"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "Certificates": [{"CertificateArn": acm_arn}]},
         {"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {
             "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}], targets=[instance])

    # ---- Read back what moto stored.
    for name, cz, cd, al, desync in [("fail-classic", False, False, False, "monitor"), ("ok-classic", True, True, True, "strictest")]:
        a = elb.describe_load_balancer_attributes(LoadBalancerName=name)["LoadBalancerAttributes"]
        assert {"Key": "elb.http.desyncmitigationmode", "Value": desync} in a["AdditionalAttributes"], (name, a)
        assert a["CrossZoneLoadBalancing"]["Enabled"] is cz, (name, a)
        assert a["ConnectionDraining"]["Enabled"] is cd, (name, a)
        assert a["AccessLog"]["Enabled"] is al, (name, a)
    lbs = {d["LoadBalancerName"]: d for d in elb.describe_load_balancers()["LoadBalancerDescriptions"]}
    assert len(lbs["fail-classic"]["AvailabilityZones"]) == 1 and len(lbs["ok-classic"]["AvailabilityZones"]) == 2, lbs
    ld = lbs["ok-classic"]["ListenerDescriptions"][0]
    assert ld["Listener"]["SSLCertificateId"] == acm_arn and ld["PolicyNames"] == ["tls12"], ld
    assert [i["InstanceId"] for i in lbs["ok-classic"]["Instances"]] == [instance] and not lbs["fail-classic"]["Instances"], lbs
    assert lbs["fail-classic-cert"]["ListenerDescriptions"][0]["Listener"]["SSLCertificateId"] == iam_arn
    for name in ["fail-alb", "ok-alb"]:
        arn = v2.describe_load_balancers(Names=[name])["LoadBalancers"][0]["LoadBalancerArn"]
        ls = v2.describe_listeners(LoadBalancerArn=arn)["Listeners"]
        want = {"fail-alb": {("HTTP", "forward")}, "ok-alb": {("HTTPS", "forward"), ("HTTP", "redirect")}}[name]
        assert {(l["Protocol"], l["DefaultActions"][0]["Type"]) for l in ls} == want, (name, ls)
        ssl = [l.get("SslPolicy") for l in ls if l["Protocol"] == "HTTPS"]
        assert ssl == (["ELBSecurityPolicy-TLS13-1-2-2021-06"] if name == "ok-alb" else []), (name, ssl)


def main():
    endpoint = sys.argv[1]
    for region in ["us-east-1", "eu-west-1"]:
        plant(endpoint, region)


if __name__ == "__main__":
    main()
