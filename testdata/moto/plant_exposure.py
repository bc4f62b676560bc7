"""Plants the exposure-path estate (issue 14): a public subnet behind an internet gateway and
six instances, the first the whole chain and each other one the chain with one link removed:

- "chain":    security group open on tcp/22 to 0.0.0.0/0, instance profile with role "web"
              (inline policy s3:* on bucket "crown-jewels");
- "closed":   the same, but its security group admits only tcp/443;
- "patched":  the whole chain in AWS (its telemetry says openssh-server is patched);
- "silent":   the whole chain in AWS (its telemetry says sshd listens on 2222 only);
- "no-s3":    instance profile with role "ec2-reader" (ec2:Describe* only);
- "no-role":  no instance profile.

Usage: plant_exposure.py ENDPOINT_URL; prints {name: instance id, "sg-open": id} as JSON.
"""
import json
import sys

import boto3

url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
ec2, iam, s3 = boto3.client("ec2", **kw), boto3.client("iam", **kw), boto3.client("s3", **kw)

s3.create_bucket(Bucket="crown-jewels")
trust = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
policies = {
    "web": {"Sid": "Data", "Effect": "Allow", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::crown-jewels", "arn:aws:s3:::crown-jewels/*"]},
    "ec2-reader": {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
}
profiles = {}
for role, statement in policies.items():
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName=role, PolicyName=f"{role}-policy",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    p = iam.create_instance_profile(InstanceProfileName=role)["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName=role, RoleName=role)
    profiles[role] = p["Arn"]

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)


def group(name, port):
    g = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    return g


sg_open, sg_web = group("ssh-open", 22), group("https-only", 443)
ids = {"sg-open": sg_open}
for name, sg, role in [("chain", sg_open, "web"), ("closed", sg_web, "web"), ("patched", sg_open, "web"),
                       ("silent", sg_open, "web"), ("no-s3", sg_open, "ec2-reader"), ("no-role", sg_open, None)]:
    args = dict(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "Groups": [sg],
                                    "AssociatePublicIpAddress": True}],
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])
    if role:
        args["IamInstanceProfile"] = {"Arn": profiles[role]}
    ids[name] = ec2.run_instances(**args)["Instances"][0]["InstanceId"]
print(json.dumps(ids))
