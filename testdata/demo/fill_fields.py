#!/usr/bin/env python3
"""Fills the fields the demo estate's recording predates, from a fresh recording of the same
planted emulator, without touching anything already recorded.

The collector learns new fields over time; a snapshot recorded before them reads each as
"not collected", so the demo would show the checks that need them as NOT_AVAILABLE for a
reason that is no problem of the user's. Re-recording the whole estate would also change every
emulator-made id (instances, groups, keys, distributions) and so every finding id the tests and
screenshots refer to. This script instead:

1. records two fresh motos as the demo was recorded, each started on a free loopback port (the
   virtualenv of scripts/test) and read with `rampart collect aws --endpoint-url`: one planted by
   testdata/moto/plant.py and plant_tgw.py, and one by plant_monitoring.py in mode `monitored` without CIS
   patterns, which gives us-east-1's CloudWatch, Logs, ECS and CloudFormation fields (it needs
   an account with no other trail);
2. walks the demo estate and the fresh recording side by side and, wherever the demo has no
   value (a key absent, or an Observed "not collected"), takes the fresh one. Lists are matched
   element by element on a name the plant gives (name, identifier, ARN, the Name tag), never by
   position when a name exists; an element the fresh recording lacks keeps its gap;
3. adds the fresh recording's gaps for actions the demo had no gap for (the calls behind the new
   fields that the emulator could not answer), dated like the demo.

Then run annotate_gaps.py, which says in words what the emulator could not answer:

    python3 testdata/demo/fill_fields.py testdata/demo/estate.json target/debug/rampart
    python3 testdata/demo/annotate_gaps.py testdata/demo/estate.json

It prints every field it filled, and every list it could not match (left as recorded).
"""
import json
import re
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
VENV = os.environ.get("RAMPART_MOTO_VENV", "/var/tmp/rampart-venv")
NOT_COLLECTED = {"unknown": "not collected"}
# Fields that identify a list element, in order of preference. Emulator-made ids (instance,
# group, key ids) differ between recordings; these names come from the plant.
MONITORING_REGION = "us-east-1"
MONITORING_KEYS = {"log_groups", "metric_filters", "metric_alarms", "secrets", "ecs_task_definitions",
                   "ecs_clusters", "cloudformation_stacks"}
NAME_KEYS = ["name", "identifier", "function_name", "launch_template_name", "arn", "key", "cidr_block"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    port = free_port()
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true", MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    proc = subprocess.Popen([f"{VENV}/bin/moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            return proc, url
        except Exception:
            time.sleep(0.1)
    proc.kill()
    sys.exit("moto did not start: run `bash scripts/test` once, which creates " + VENV)


def record(rampart, plants):
    """A fresh moto planted by `plants` (script, arguments), recorded in the demo's regions."""
    proc, url = start_moto()
    try:
        py = f"{VENV}/bin/python"
        for script, args in plants:
            subprocess.run([py, f"{ROOT}/testdata/moto/{script}", url, *args], check=True,
                           stdout=subprocess.DEVNULL)
        out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
        env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                   AWS_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_EC2_METADATA_DISABLED="true")
        for k in ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"]:
            env.pop(k, None)
        subprocess.run([rampart, "collect", "aws", "--endpoint-url", url, "--regions", "us-east-1,eu-west-1",
                        "-o", out], check=True, env=env, stderr=subprocess.DEVNULL)
        recorded = json.load(open(out))
        os.unlink(out)
        return recorded
    finally:
        proc.kill()
        proc.wait()


def tag_name(x):
    tags = x.get("tags")
    if isinstance(tags, dict) and "known" in tags:
        tags = tags["known"]
    if isinstance(tags, dict):
        return tags.get("Name")
    if isinstance(tags, list):
        for t in tags:
            if isinstance(t, dict) and t.get("key", t.get("Key")) == "Name":
                return t.get("value", t.get("Value"))
    return None


def origin_ids(x):
    """A CloudFront distribution by its origins (the plant's bucket names), origin groups and
    certificate: its id is made by the emulator."""
    origins = x.get("origins")
    if isinstance(origins, list) and origins and all(isinstance(o, dict) and "id" in o for o in origins):
        groups = x.get("origin_groups")
        groups = groups.get("known") if isinstance(groups, dict) else groups
        return ",".join(o["id"] for o in origins) + f" in {len(groups) if isinstance(groups, list) else 0} groups, {x.get('certificate_source')} certificate"
    return None


def signature(x):
    """What two recordings of one planted element share when nothing names it (KMS keys): its
    flags and its words without digits, which emulator-made ids and dates have."""
    sig = []
    for k, v in sorted(x.items()):
        if isinstance(v, dict) and set(v) == {"known"}:
            v = v["known"]
        if isinstance(v, bool) or v is None or (isinstance(v, str) and not any(c.isdigit() for c in v)):
            sig.append((k, v))
    return sig


def identity(old, new):
    """A function naming each element of both lists uniquely, with names both recordings share."""
    if not old or not new or not all(isinstance(x, dict) for x in old + new):
        return None
    candidates = [lambda x, k=k: x.get(k) if isinstance(x.get(k), (str, int)) else None for k in NAME_KEYS]
    candidates.append(tag_name)
    candidates.append(origin_ids)
    for f in candidates:
        names, fresh = [f(x) for x in old], [f(x) for x in new]
        unique = all(n is not None and len(set(ns)) == len(ns) for ns in (names, fresh) for n in ns)
        if unique and set(names) & set(fresh):
            return f
    return None


def is_field(key):
    """A struct's field name (snake case), not an id the emulator made."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", key) is not None and re.search(r"[0-9]{2}", key) is None


class Filler:
    def __init__(self):
        self.filled = []
        self.unmatched = []

    def fill(self, old, new, path):
        """Takes `new`'s value wherever `old` has none; returns old's (possibly new) value."""
        if old == NOT_COLLECTED and new is not None and new != NOT_COLLECTED:
            self.filled.append(path)
            return new
        if isinstance(old, dict) and isinstance(new, dict):
            if "unknown" in old:
                return old  # a reason of its own (annotated, or a failed read): kept
            if "known" in old and "known" in new:
                old["known"] = self.fill(old["known"], new["known"], path)
                return old
            for k, v in new.items():
                if k not in old and not is_field(k):
                    continue  # a map keyed by emulator-made ids (GuardDuty's detectors): not mixed
                if k not in old:
                    if v != NOT_COLLECTED:
                        self.filled.append(f"{path}.{k}")
                    old[k] = v
                else:
                    old[k] = self.fill(old[k], v, f"{path}.{k}")
            return old
        if isinstance(old, list) and isinstance(new, list) and old and any(isinstance(x, dict) for x in old):
            name = identity(old, new)
            if name is None and len(old) == len(new) and all(
                    isinstance(a, dict) and isinstance(b, dict) and signature(a) == signature(b) and signature(a)
                    for a, b in zip(old, new)):
                # Nothing names them, but the plant made them in this order with these settings.
                for i, (a, b) in enumerate(zip(old, new)):
                    old[i] = self.fill(a, b, f"{path}[{i}]")
                return old
            if name is None:
                self.unmatched.append(f"{path} ({len(old)} recorded, {len(new)} fresh: no name to match on)")
                return old
            fresh = {name(x): x for x in new}
            for i, x in enumerate(old):
                n = name(x)
                if n in fresh:
                    old[i] = self.fill(x, fresh[n], f"{path}[{n}]")
                else:
                    self.unmatched.append(f"{path}[{n}] (not in the fresh recording)")
            return old
        return old


def fill_account(f, acc, new_acc, region_keys=None):
    """Fills `acc` from `new_acc`: only `region_keys` of us-east-1's regions when given."""
    new_regions = {r["name"]: r for r in new_acc["regions"]}
    if region_keys is None:
        for key, value in new_acc.items():
            if key in ("regions", "gaps"):
                continue
            if key not in acc:
                acc[key] = value
                f.filled.append(f"{acc['id']}.{key}")
            else:
                acc[key] = f.fill(acc[key], value, f"{acc['id']}.{key}")
    for r in acc["regions"]:
        new = new_regions[r["name"]]
        if region_keys is not None:
            if r["name"] != MONITORING_REGION:
                continue
            new = {k: v for k, v in new.items() if k in region_keys}
        f.fill(r, new, r["name"])


def main(path, rampart):
    estate = json.load(open(path))
    monitoring = record(rampart, [("plant_monitoring.py", ["monitored"])])
    planted = record(rampart, [("plant.py", []), ("plant_tgw.py", [])])
    f = Filler()
    for acc in estate["accounts"]:
        # The demo's monitoring fields (us-east-1) come from a moto of their own: plant_monitoring.py
        # expects an account without other trails.
        fill_account(f, acc, next(a for a in monitoring["accounts"] if a["id"] == acc["id"]), MONITORING_KEYS)
        new_acc = next(a for a in planted["accounts"] if a["id"] == acc["id"])
        fill_account(f, acc, new_acc)
        known = {g["action"] for g in acc.get("gaps", [])}
        added = [g for g in new_acc.get("gaps", []) if g["action"] not in known]
        acc["gaps"] = acc.get("gaps", []) + added
        for g in added:
            print(f"gap added: {g['action']} {g.get('region', '')} {g.get('resource', '')}")
    with open(path, "w") as out:
        json.dump(estate, out, indent=2)
        out.write("\n")
    for p in f.filled:
        print("filled:", p)
    for p in f.unmatched:
        print("left as recorded:", p)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
