#!/usr/bin/env python3
"""Plants, in us-east-1 and eu-west-1 of a moto server of its own, Auto Scaling groups and launch
configurations that fail and pass the Auto Scaling checks (asserted by
`autoscaling_checks_fail_and_pass_on_planted_groups_in_two_regions` in crates/cli/tests/scan.rs).

    plant_autoscaling.py ENDPOINT

Per region (zones A and B = the region's first two Availability Zones):

- launch configurations "lc-fail" (HttpTokens optional, hop limit 2, AssociatePublicIpAddress
  true) and "lc-ok" (HttpTokens required, hop limit 1, AssociatePublicIpAddress false);
- a launch template "lt-asg" (t3.micro);
- a Classic Load Balancer "clb-asg" in zones A and B;
- Auto Scaling groups, all with no instances (capacity 0):
  - "asg-fail": zone A only, launched from lc-fail, behind clb-asg with EC2 health checks;
  - "asg-ok": zones A and B, a mixed instances policy on lt-asg overriding two instance types
    (t3.micro, t3a.micro), behind clb-asg with ELB health checks;
  - "asg-lt": the default subnets of zones A and B (VPCZoneIdentifier), launched from lt-asg
    alone (one instance type), behind no load balancer;
  - "asg-orphan": zones A and B, from lt-asg, behind the Classic Load Balancer "clb-gone", which is
    deleted after the group is created (the group keeps its name).

It prints, as JSON, {region: {logical name: the resource name the scan reports}}.

Everything set is read back with boto3 and asserted, so a moto that stops storing it fails here
rather than in the scan.
"""
import json
import sys

import boto3


def client(endpoint, service, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def plant(endpoint, region):
    asg = client(endpoint, "autoscaling", region)
    ec2 = client(endpoint, "ec2", region)
    elb = client(endpoint, "elb", region)
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    assert len(zones) == 2, zones
    a, b = zones

    # ---- Launch configurations.
    asg.create_launch_configuration(
        LaunchConfigurationName="lc-fail", ImageId="ami-12345678", InstanceType="t3.micro",
        MetadataOptions={"HttpTokens": "optional", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"},
        AssociatePublicIpAddress=True)
    asg.create_launch_configuration(
        LaunchConfigurationName="lc-ok", ImageId="ami-12345678", InstanceType="t3.micro",
        MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"},
        AssociatePublicIpAddress=False)

    # ---- A launch template and a Classic Load Balancer for the groups.
    lt = ec2.create_launch_template(LaunchTemplateName="lt-asg",
                                    LaunchTemplateData={"ImageId": "ami-12345678", "InstanceType": "t3.micro"})
    lt_id = lt["LaunchTemplate"]["LaunchTemplateId"]
    elb.create_load_balancer(LoadBalancerName="clb-asg", AvailabilityZones=[a, b],
                             Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}])

    # ---- Groups, without instances.
    capacity = {"MinSize": 0, "MaxSize": 1, "DesiredCapacity": 0}
    asg.create_auto_scaling_group(
        AutoScalingGroupName="asg-fail", LaunchConfigurationName="lc-fail", AvailabilityZones=[a],
        LoadBalancerNames=["clb-asg"], HealthCheckType="EC2", **capacity)
    asg.create_auto_scaling_group(
        AutoScalingGroupName="asg-ok", AvailabilityZones=[a, b],
        MixedInstancesPolicy={"LaunchTemplate": {
            "LaunchTemplateSpecification": {"LaunchTemplateId": lt_id, "Version": "$Default"},
            "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}]}},
        LoadBalancerNames=["clb-asg"], HealthCheckType="ELB", HealthCheckGracePeriod=300, **capacity)
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = {s["AvailabilityZone"]: s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [default_vpc]}])["Subnets"]}
    asg.create_auto_scaling_group(
        AutoScalingGroupName="asg-lt", LaunchTemplate={"LaunchTemplateId": lt_id, "Version": "$Default"},
        VPCZoneIdentifier=f"{subnets[a]},{subnets[b]}", **capacity)
    # Trusted Advisor "Auto Scaling Group Resources": a group left pointing at a deleted load balancer.
    elb.create_load_balancer(LoadBalancerName="clb-gone", AvailabilityZones=[a, b],
                             Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}])
    asg.create_auto_scaling_group(
        AutoScalingGroupName="asg-orphan", LaunchTemplate={"LaunchTemplateId": lt_id, "Version": "$Default"},
        AvailabilityZones=[a, b], LoadBalancerNames=["clb-gone"], HealthCheckType="ELB", HealthCheckGracePeriod=300, **capacity)
    elb.delete_load_balancer(LoadBalancerName="clb-gone")
    assert [lb["LoadBalancerName"] for lb in elb.describe_load_balancers()["LoadBalancerDescriptions"]] == ["clb-asg"]

    # ---- Read back what moto stored.
    lcs = {lc["LaunchConfigurationName"]: lc for lc in asg.describe_launch_configurations()["LaunchConfigurations"]}
    assert set(lcs) == {"lc-fail", "lc-ok"}, set(lcs)
    assert lcs["lc-fail"]["MetadataOptions"]["HttpTokens"] == "optional", lcs["lc-fail"]
    assert lcs["lc-fail"]["AssociatePublicIpAddress"] is True, lcs["lc-fail"]
    assert lcs["lc-ok"]["MetadataOptions"]["HttpTokens"] == "required", lcs["lc-ok"]
    assert lcs["lc-ok"]["MetadataOptions"]["HttpPutResponseHopLimit"] == 1, lcs["lc-ok"]
    assert lcs["lc-ok"]["AssociatePublicIpAddress"] is False, lcs["lc-ok"]
    groups = {g["AutoScalingGroupName"]: g for g in asg.describe_auto_scaling_groups()["AutoScalingGroups"]}
    assert set(groups) == {"asg-fail", "asg-ok", "asg-lt", "asg-orphan"}, set(groups)
    assert groups["asg-orphan"]["LoadBalancerNames"] == ["clb-gone"], groups["asg-orphan"]
    fail, ok, lt_only = groups["asg-fail"], groups["asg-ok"], groups["asg-lt"]
    assert fail["AvailabilityZones"] == [a] and fail["HealthCheckType"] == "EC2", fail
    assert fail["LaunchConfigurationName"] == "lc-fail" and fail["LoadBalancerNames"] == ["clb-asg"], fail
    assert "LaunchTemplate" not in fail and "MixedInstancesPolicy" not in fail, fail
    assert sorted(ok["AvailabilityZones"]) == sorted([a, b]) and ok["HealthCheckType"] == "ELB", ok
    overrides = ok["MixedInstancesPolicy"]["LaunchTemplate"]["Overrides"]
    assert [o["InstanceType"] for o in overrides] == ["t3.micro", "t3a.micro"], ok
    assert ok["MixedInstancesPolicy"]["LaunchTemplate"]["LaunchTemplateSpecification"]["LaunchTemplateId"] == lt_id, ok
    assert lt_only["LaunchTemplate"]["LaunchTemplateId"] == lt_id and "MixedInstancesPolicy" not in lt_only, lt_only
    assert sorted(lt_only["VPCZoneIdentifier"].split(",")) == sorted([subnets[a], subnets[b]]), lt_only
    assert sorted(lt_only["AvailabilityZones"]) == sorted([a, b]), lt_only
    assert lt_only["LoadBalancerNames"] == [] and lt_only.get("TargetGroupARNs", []) == [], lt_only
    return {n: n for n in ("asg-fail", "asg-ok", "asg-lt", "asg-orphan", "lc-fail", "lc-ok")}


def main():
    endpoint = sys.argv[1]
    names = {region: plant(endpoint, region) for region in ["us-east-1", "eu-west-1"]}
    print(json.dumps(names))


if __name__ == "__main__":
    main()
