"""Plants EC2 instances whose user data is gzip-compressed (cloud-init inflates it):

- "ud-gzip-key": an access key id and secret access key exported in gzipped user data (built at
  run time, so that this file holds no key-shaped literal);
- "ud-gzip-clean": gzipped user data without keys;
- "ud-gzip-bomb": 64 MiB of zeros gzipped to about 64 KiB (past the collector's inflate limit);
- "ud-gzip-corrupt": the gzip magic followed by bytes that are not a deflate stream.

Usage: plant_user_data.py ENDPOINT_URL; prints {name: instance id} as JSON.
"""
import base64
import gzip
import json
import sys

import boto3

url = sys.argv[1]
ec2 = boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
key_id, secret = "AKIA" + "Q3EGRN5UVWXYZ2AB", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2" + "/Ae4Ku9M"
planted = {
    "ud-gzip-key": gzip.compress(f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={key_id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n".encode()),
    "ud-gzip-clean": gzip.compress(b"#cloud-config\npackages: [nginx]\n"),
    "ud-gzip-bomb": gzip.compress(b"\0" * (64 << 20), compresslevel=9),
    "ud-gzip-corrupt": b"\x1f\x8b\x08\x00" + b"not a deflate stream" * 4,
}
ids = {}
for name, data in planted.items():
    i = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro", UserData=data,
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}])
    iid = i["Instances"][0]["InstanceId"]
    got = ec2.describe_instance_attribute(InstanceId=iid, Attribute="userData")["UserData"]["Value"]
    assert base64.b64decode(got) == data, name
    ids[name] = iid
print(json.dumps(ids))
