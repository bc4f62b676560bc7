#!/usr/bin/env python3
"""Writes what `aws ec2 describe-* --output json` (and elbv2) would print for an account, one
folder per region, the way auditors are handed such dumps. boto3's responses are the API's
JSON, which is what the AWS CLI prints.

    dump_awscli.py ENDPOINT DIR [REGION...]
"""
import datetime
import json
import os
import sys

import boto3

CALLS = [
    ("ec2", "describe_security_groups", "security-groups"),
    ("ec2", "describe_instances", "instances"),
    ("ec2", "describe_network_interfaces", "network-interfaces"),
    ("ec2", "describe_vpcs", "vpcs"),
    ("ec2", "describe_subnets", "subnets"),
    ("ec2", "describe_route_tables", "route-tables"),
    ("ec2", "describe_network_acls", "network-acls"),
    ("ec2", "describe_internet_gateways", "internet-gateways"),
    ("ec2", "describe_egress_only_internet_gateways", "egress-only-internet-gateways"),
    ("ec2", "describe_nat_gateways", "nat-gateways"),
    ("ec2", "describe_vpc_endpoints", "vpc-endpoints"),
    ("ec2", "describe_vpc_peering_connections", "vpc-peering-connections"),
    ("ec2", "describe_managed_prefix_lists", "prefix-lists"),
    ("ec2", "describe_addresses", "addresses"),
    ("ec2", "describe_transit_gateways", "transit-gateways"),
    ("ec2", "describe_transit_gateway_attachments", "transit-gateway-attachments"),
    ("ec2", "describe_transit_gateway_vpc_attachments", "transit-gateway-vpc-attachments"),
    ("ec2", "describe_transit_gateway_route_tables", "transit-gateway-route-tables"),
    ("elbv2", "describe_load_balancers", "load-balancers"),
    ("elbv2", "describe_target_groups", "target-groups"),
]


def default(o):
    if isinstance(o, (datetime.datetime, datetime.date)):
        return o.isoformat()
    return str(o)


def main():
    endpoint, out = sys.argv[1], sys.argv[2]
    regions = sys.argv[3:] or ["us-east-1", "eu-west-1"]
    for region in regions:
        folder = os.path.join(out, region)
        os.makedirs(folder, exist_ok=True)
        clients = {}
        for service, op, name in CALLS:
            c = clients.setdefault(service, boto3.client(service, endpoint_url=endpoint, region_name=region,
                                                         aws_access_key_id="testing", aws_secret_access_key="testing"))
            resp = getattr(c, op)()
            resp.pop("ResponseMetadata", None)
            with open(os.path.join(folder, f"{name}.json"), "w") as f:
                json.dump(resp, f, indent=2, default=default)
            if op == "describe_transit_gateway_route_tables":
                # Per route table; the file name carries the table's id (the importer's convention).
                for t in resp.get("TransitGatewayRouteTables", []):
                    rtb = t["TransitGatewayRouteTableId"]
                    for what, call, kw in [
                        ("associations", c.get_transit_gateway_route_table_associations, {}),
                        ("propagations", c.get_transit_gateway_route_table_propagations, {}),
                        ("routes", c.search_transit_gateway_routes,
                         {"Filters": [{"Name": "type", "Values": ["static", "propagated"]}]}),
                    ]:
                        r = call(TransitGatewayRouteTableId=rtb, **kw)
                        r.pop("ResponseMetadata", None)
                        with open(os.path.join(folder, f"{what}.{rtb}.json"), "w") as f:
                            json.dump(r, f, indent=2, default=default)
            if op == "describe_managed_prefix_lists":
                for pl in resp.get("PrefixLists", []):
                    entries = c.get_managed_prefix_list_entries(PrefixListId=pl["PrefixListId"])
                    entries.pop("ResponseMetadata", None)
                    with open(os.path.join(folder, f"entries-{pl['PrefixListId']}.json"), "w") as f:
                        json.dump(entries, f, indent=2, default=default)


if __name__ == "__main__":
    main()
