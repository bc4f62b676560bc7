#!/usr/bin/env python3
"""Plants, in us-east-1 of a moto server, three VPCs joined by a transit gateway with two route
tables, and prints what the reach test asks about as JSON.

    plant_tgw.py ENDPOINT

vpc-a 10.100.0.0/16, vpc-b 10.101.0.0/16, vpc-c 10.102.0.0/16, one subnet each in us-east-1a,
each routing the other two /16s to the transit gateway (which auto-accepts shared attachments).
The default route table "rt-1", associated with every attachment, routes only B (static) plus
a blackhole for 10.101.9.0/24; "rt-2" routes A and C but is associated with nothing. One instance per VPC: a (tcp 22
from 10.0.0.0/8), b and c (tcp 5432 from 10.0.0.0/8), and b9 in 10.101.9.0/24 (blackholed).

moto 5.2.5 limits: SearchTransitGatewayRoutes returns every route with an empty
`TransitGatewayAttachments` (create_transit_gateway_route stores the attachment as one object,
not a list), and route propagation installs no routes; so no route here says where it leads,
and a flow through the gateway can be shown blocked (no route, blackhole) or unknown, never
reachable. The reachable paths are unit-tested in crates/reach/tests/transit_gateway.rs and
crates/import-awscli/tests/transit_gateway.rs.
"""
import json
import sys

import boto3


def main():
    endpoint = sys.argv[1]
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    tgw = ec2.create_transit_gateway(Description="hub", Options={
        "DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "disable",
        "AutoAcceptSharedAttachments": "enable"})["TransitGateway"]["TransitGatewayId"]
    out = {"tgw": tgw}
    vpcs = {}
    for name, n in [("a", 100), ("b", 101), ("c", 102)]:
        vpc = ec2.create_vpc(CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{n}.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)
        port = 22 if name == "a" else 5432
        sg = ec2.create_security_group(GroupName=f"tgw-{name}", Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
        att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=vpc, SubnetIds=[subnet])[
            "TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        vpcs[name] = (vpc, subnet, rtb, sg, att, n)

        def instance(subnet_id, tag):
            i = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                  SubnetId=subnet_id, SecurityGroupIds=[sg],
                                  TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": tag}]}])
            return i["Instances"][0]

        i = instance(subnet, f"tgw-{name}")
        out[name] = {"instance": i["InstanceId"], "ip": i["PrivateIpAddress"], "vpc": vpc, "attachment": att}
        if name == "b":
            s9 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.101.9.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
            ec2.associate_route_table(RouteTableId=rtb, SubnetId=s9)
            i9 = instance(s9, "tgw-b9")
            out["b9"] = {"instance": i9["InstanceId"], "ip": i9["PrivateIpAddress"]}
    for name, (vpc, subnet, rtb, sg, att, n) in vpcs.items():
        for other, (_, _, _, _, _, m) in vpcs.items():
            if other != name:
                ec2.create_route(RouteTableId=rtb, DestinationCidrBlock=f"10.{m}.0.0/16", TransitGatewayId=tgw)
    # moto 5.2.5 associates every new attachment with the default route table (even with
    # DefaultRouteTableAssociation=disable) and fails (HTTP 500) to disassociate it: so the
    # default table is rt-1 here, the one table every attachment is associated with. rt-2
    # routes everything but is associated with nothing, so it never applies.
    rt1 = ec2.describe_transit_gateways(TransitGatewayIds=[tgw])["TransitGateways"][0]["Options"]["AssociationDefaultRouteTableId"]
    rt2 = ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=rt1, DestinationCidrBlock="10.101.0.0/16",
                                     TransitGatewayAttachmentId=vpcs["b"][4])
    ec2.create_transit_gateway_route(TransitGatewayRouteTableId=rt1, DestinationCidrBlock="10.101.9.0/24", Blackhole=True)
    for name, m in [("a", 100), ("c", 102)]:
        ec2.create_transit_gateway_route(TransitGatewayRouteTableId=rt2, DestinationCidrBlock=f"10.{m}.0.0/16",
                                         TransitGatewayAttachmentId=vpcs[name][4])
    out["rt1"], out["rt2"] = rt1, rt2
    print(json.dumps(out))


if __name__ == "__main__":
    main()
