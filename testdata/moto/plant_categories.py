#!/usr/bin/env python3
"""Plants, in a moto server of its own, resources that fail and pass Trusted Advisor's
performance and fault-tolerance checks that need no CloudWatch metrics (asserted by
`performance_and_fault_tolerance_checks_fail_and_pass` in crates/cli/tests/scan.rs).

    plant_categories.py ENDPOINT

Per region (SFX = the region without dashes), in a VPC of its own with subnets "pub-a"
(zone a, holding a NAT gateway), "priv-a" (zone a) and "priv-b" (zone b):

- route tables "rt-a" (0.0.0.0/0 → the NAT gateway, associated with priv-a: same zone, passes)
  and "rt-b" (the same route, associated with priv-b: the NAT gateway is in another zone, fails);
- security groups "sg-many" (51 inbound rules + 1 outbound: more than 50, fails), "sg-many-2"
  (50 inbound + 1 outbound) and "sg-few" (1 inbound + 1 outbound, passes);
- instances "i-many" (groups sg-many and sg-many-2: 103 rules, more than 50, fails) and "i-few"
  (sg-few, passes). In us-east-1 both run in priv-a (one zone: the region's Availability Zone
  balance fails); in eu-west-1 i-many runs in priv-a and i-few in priv-b (one per zone, passes).

Once, Route 53 and CloudFront being global (the scan reports them in us-east-1):
- hosted zone "fail.example." with a CNAME "app" to a load balancer's DNS name (could be an
  alias), a failover PRIMARY "www" with TTL 300 and a health check and no SECONDARY, and an A
  record "api" whose health check is deleted after the record is created;
- hosted zone "ok.example." with an A record "mail", a failover pair "www" (PRIMARY and
  SECONDARY, TTL 60, each with its own health check), and alias records for the alternate
  domain name of distribution "cf-alias-ok" ("cdn.ok.example");
- distributions "cf-alias-ok" (alias cdn.ok.example, routed to it) and "cf-alias-fail" (alias
  shop.ok.example, no record).

It prints {region: {logical name: the name the scan reports}} as JSON (subnets and instances by
id, security groups by name — "<logical>-<region>" —, zones by name, distributions by domain name).
"""
import json
import sys

import boto3


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant_region(ec2, region, names):
    vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    subnet = lambda cidr, zone: ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=f"{region}{zone}")["Subnet"]["SubnetId"]
    pub_a, priv_a, priv_b = subnet("10.70.0.0/24", "a"), subnet("10.70.1.0/24", "a"), subnet("10.70.2.0/24", "b")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=pub_a, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    for logical, sn in [("rt-a", priv_a), ("rt-b", priv_b)]:
        rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
        ec2.associate_route_table(RouteTableId=rt, SubnetId=sn)
        got = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]
        assert [r.get("NatGatewayId") for r in got["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"] == [nat], got
        assert [a["SubnetId"] for a in got["Associations"]] == [sn], got
    nat_subnet = ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["SubnetId"]
    assert nat_subnet == pub_a, nat_subnet

    groups = {}
    for logical, n in [("sg-many", 51), ("sg-many-2", 50), ("sg-few", 1)]:
        g = ec2.create_security_group(GroupName=f"{logical}-{region}", Description=logical, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": f"10.{k // 250}.{k % 250}.0/24"} for k in range(n)]}])
        got = ec2.describe_security_groups(GroupIds=[g])["SecurityGroups"][0]
        assert sum(len(p["IpRanges"]) for p in got["IpPermissions"]) == n, got
        assert sum(len(p["IpRanges"]) for p in got["IpPermissionsEgress"]) == 1, got
        groups[logical] = g
    placement = {"i-many": priv_a, "i-few": priv_a if region == "us-east-1" else priv_b}
    instances = {}
    for logical, sgs in [("i-many", ["sg-many", "sg-many-2"]), ("i-few", ["sg-few"])]:
        i = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                              SubnetId=placement[logical], SecurityGroupIds=[groups[s] for s in sgs])["Instances"][0]
        assert sorted(g["GroupId"] for g in i["SecurityGroups"]) == sorted(groups[s] for s in sgs), i
        instances[logical] = i["InstanceId"]
    names.update({"priv-a": priv_a, "priv-b": priv_b, **{g: f"{g}-{region}" for g in groups}, **instances})


def plant_dns(r53, cf, names):
    def health_check(ip):
        return r53.create_health_check(CallerReference=f"hc-{ip}", HealthCheckConfig={
            "IPAddress": ip, "Port": 443, "Type": "HTTPS", "ResourcePath": "/health"})["HealthCheck"]["Id"]

    def zone(name, records):
        zid = r53.create_hosted_zone(Name=name, CallerReference=name)["HostedZone"]["Id"]
        r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
            {"Action": "CREATE", "ResourceRecordSet": r} for r in records]})
        got = r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
        for r in records:
            match = [g for g in got if g["Name"] == r["Name"] and g["Type"] == r["Type"] and g.get("SetIdentifier") == r.get("SetIdentifier")]
            assert len(match) == 1, (r, got)
            for k in ("Failover", "TTL", "HealthCheckId"):
                assert match[0].get(k) == r.get(k), (k, r, match[0])
        names[name] = name

    def dist(ref, alias):
        cfg = {"CallerReference": ref, "Comment": ref, "Enabled": True, "Aliases": {"Quantity": 1, "Items": [alias]},
               "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "origin.ok.example", "CustomOriginConfig": {
                   "HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}]},
               "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only",
                                        "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
               "ViewerCertificate": {"CloudFrontDefaultCertificate": True}}
        d = cf.create_distribution(DistributionConfig=cfg)["Distribution"]
        got = cf.get_distribution_config(Id=d["Id"])["DistributionConfig"]["Aliases"].get("Items")
        assert got == [alias], got
        names[ref] = d["DomainName"]
        return d["DomainName"]

    cdn = dist("cf-alias-ok", "cdn.ok.example")
    dist("cf-alias-fail", "shop.ok.example")
    a = lambda name, ip, ttl=300, **kw: {"Name": name, "Type": "A", "TTL": ttl, "ResourceRecords": [{"Value": ip}], **kw}
    gone = health_check("192.0.2.11")
    zone("fail.example.", [
        {"Name": "app.fail.example.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "web-1.us-east-1.elb.amazonaws.com"}]},
        a("www.fail.example.", "192.0.2.10", SetIdentifier="primary", Failover="PRIMARY", HealthCheckId=health_check("192.0.2.10")),
        a("api.fail.example.", "192.0.2.11", 60, HealthCheckId=gone),
    ])
    r53.delete_health_check(HealthCheckId=gone)
    assert gone not in [h["Id"] for h in r53.list_health_checks()["HealthChecks"]]
    zone("ok.example.", [
        a("mail.ok.example.", "192.0.2.20"),
        a("www.ok.example.", "192.0.2.21", 60, SetIdentifier="primary", Failover="PRIMARY", HealthCheckId=health_check("192.0.2.21")),
        a("www.ok.example.", "192.0.2.22", 60, SetIdentifier="secondary", Failover="SECONDARY", HealthCheckId=health_check("192.0.2.22")),
        {"Name": "cdn.ok.example.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z2FDTNDATAQYW2", "DNSName": cdn, "EvaluateTargetHealth": False}},
    ])


def main():
    endpoint = sys.argv[1]
    names = {}
    for region in ["us-east-1", "eu-west-1"]:
        plant_region(client(endpoint, "ec2", region), region, names.setdefault(region, {}))
    plant_dns(client(endpoint, "route53", "us-east-1"), client(endpoint, "cloudfront", "us-east-1"), names["us-east-1"])
    print(json.dumps(names))


if __name__ == "__main__":
    main()
