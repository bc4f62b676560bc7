#!/usr/bin/env python3
"""Plants, in us-east-1 of a moto server of its own, what the CloudWatch, CloudWatch Logs,
Secrets Manager, ECS and CloudFormation checks read (asserted by
`crates/collect-aws/tests/monitoring.rs`).

    plant_monitoring.py ENDPOINT MODE [PATTERNS_JSON]

PATTERNS_JSON maps each CIS 4.x check id to the benchmark's filter pattern, as the checks hold
it (none: no CIS filters and alarms; the demo estate's recording). Both modes plant a logging multi-region trail that records all management events and sends
them to the log group "cloudtrail-logs", and an SNS topic "cis-alarms" with a subscription.

MODE `monitored`: for every CIS check, a metric filter on cloudtrail-logs with the benchmark's
pattern (respelled: no spaces around `=`, `||` and `&&`, which does not change its meaning),
publishing CISBenchmark/<check id>, and an alarm "<check id>" on that metric notifying the
topic. Every CIS check passes.

MODE `broken`: the same filters and alarms, each broken at one link, in turn: the pattern has
one term more; the pattern has its last term dropped; the alarm watches another namespace; the
alarm's actions are disabled; the alarm notifies a topic without subscriptions; the filter is
on another log group. Every CIS check fails.

Both modes also plant (the other checks' fail and pass sides):

- log groups "app-logs" (7 days, no KMS key) and cloudtrail-logs (400 days, a KMS key);
- alarms "silent" (no action) and "muted" (actions disabled, an ALARM action);
- secrets "secret-public" (a resource policy granting GetSecretValue to "*", no rotation) and
  "secret-rotating" (rotation on, no resource policy);
- ECS task definitions "td-bad" (host network and PID mode; of its three containers, one
  privileged with a writable root filesystem, no log configuration, `AWS_ACCESS_KEY_ID` and an
  access key under another name in its environment, and one running as root) and "td-good"
  (awsvpc, user 1000, read-only root, awslogs);
- ECS clusters "cluster-insights" (Container Insights enabled; service "svc-private" without
  public IP addresses) and "cluster-plain" (no Container Insights; service "svc-public" with them);
- CloudFormation stacks "stack-leaky" (an access key in an output, no termination protection) and
  "stack-safe" (termination protection, harmless outputs).

Everything set is read back with boto3 and asserted, so a moto that stops storing it fails here
rather than in the scan. Prints {"us-east-1": {logical name: name}} as JSON.
"""
import json
import re
import sys

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"


def client(endpoint, service):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def respell(pattern):
    """The same pattern without the spaces around operators (outside quoted values)."""
    parts = re.split(r'("[^"]*")', pattern)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"\s*(!=|=|\|\||&&)\s*", r"\1", parts[i])
    return "".join(parts)


def fake_key():
    """An access key pair, assembled here so that no key-shaped literal is in the source."""
    return "AKIA" + "Q3EGRN5UVWXYZ2AB", "k9Tz2Lm4Qx7Rv1Bn8Wc3Yp6Hd0Jf5Gs2" + "/Ae4Ku9M"


def plant(endpoint, mode, patterns):
    logs, cw, sns, sqs = (client(endpoint, s) for s in ("logs", "cloudwatch", "sns", "sqs"))
    ct, s3, sm, ecs, cfn = (client(endpoint, s) for s in ("cloudtrail", "s3", "secretsmanager", "ecs", "cloudformation"))
    key_arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"

    # ---- Log groups and the trail.
    logs.create_log_group(logGroupName="cloudtrail-logs", kmsKeyId=key_arn)
    logs.put_retention_policy(logGroupName="cloudtrail-logs", retentionInDays=400)
    logs.create_log_group(logGroupName="app-logs")
    logs.put_retention_policy(logGroupName="app-logs", retentionInDays=7)
    s3.create_bucket(Bucket="trail-bucket-monitoring")
    group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:cloudtrail-logs:*"
    ct.create_trail(Name="main", S3BucketName="trail-bucket-monitoring", IsMultiRegionTrail=True,
                    CloudWatchLogsLogGroupArn=group_arn, CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/trail-to-logs")
    ct.put_event_selectors(TrailName="main", EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}])
    ct.start_logging(Name="main")

    # ---- Topics: one with a subscription, one without.
    topic = sns.create_topic(Name="cis-alarms")["TopicArn"]
    queue = sqs.create_queue(QueueName="cis-alarms-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    lonely = sns.create_topic(Name="nobody-listens")["TopicArn"]

    # ---- CIS 4.x filters and alarms.
    breaks = ["extra-term", "dropped-term", "other-namespace", "actions-disabled", "unsubscribed-topic", "other-log-group"]
    for i, (check, pattern) in enumerate(sorted(patterns.items())):
        how = breaks[i % len(breaks)] if mode == "broken" else None
        body = pattern.strip()[1:-1].strip()
        if how == "extra-term":
            pattern = "{ (" + body + ') && ($.awsRegion = "us-east-1") }'
        elif how == "dropped-term":
            # Drop the last comparison: everything after the last `||` or `&&`.
            cut = max(body.rfind("||"), body.rfind("&&"))
            pattern = "{ " + body[:cut].rstrip() + " " + ")" * (body[:cut].count("(") - body[:cut].count(")")) + " }"
        group = "app-logs" if how == "other-log-group" else "cloudtrail-logs"
        logs.put_metric_filter(logGroupName=group, filterName=check, filterPattern=respell(pattern),
                               metricTransformations=[{"metricName": check, "metricNamespace": "CISBenchmark", "metricValue": "1"}])
        cw.put_metric_alarm(AlarmName=check, MetricName=check,
                            Namespace="Elsewhere" if how == "other-namespace" else "CISBenchmark",
                            Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=1,
                            ComparisonOperator="GreaterThanOrEqualToThreshold",
                            ActionsEnabled=how != "actions-disabled",
                            AlarmActions=[lonely if how == "unsubscribed-topic" else topic])

    # ---- Alarms without an ALARM action, and with actions disabled.
    for name, enabled, actions in [("silent", True, []), ("muted", False, [topic])]:
        cw.put_metric_alarm(AlarmName=name, MetricName="CPUUtilization", Namespace="AWS/EC2", Statistic="Average",
                            Period=300, EvaluationPeriods=1, Threshold=90, ComparisonOperator="GreaterThanThreshold",
                            ActionsEnabled=enabled, AlarmActions=actions)

    # ---- Secrets.
    sm.create_secret(Name="secret-public", SecretString="not-a-real-secret")
    sm.put_resource_policy(SecretId="secret-public", ResourcePolicy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
    sm.create_secret(Name="secret-rotating", SecretString="not-a-real-secret")
    try:
        # moto records the rotation settings, then fails to find the function to invoke.
        sm.rotate_secret(SecretId="secret-rotating", RotationRules={"AutomaticallyAfterDays": 30},
                         RotationLambdaARN=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:rotate")
    except sm.exceptions.ResourceNotFoundException:
        pass

    # ---- ECS task definitions.
    key_id, secret = fake_key()
    ecs.register_task_definition(family="td-bad", networkMode="host", pidMode="host", containerDefinitions=[
        {"name": "app", "image": "app:1", "memory": 128, "readonlyRootFilesystem": True, "user": "1000",
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "app-logs"}}},
        {"name": "agent", "image": "agent:1", "memory": 128, "privileged": True,
         "environment": [{"name": "AWS_ACCESS_KEY_ID", "value": key_id}, {"name": "LEGACY_TOKEN", "value": secret}]},
        # Not privileged and no user: root in the host's network namespace (ECS.1).
        {"name": "init", "image": "init:1", "memory": 64, "essential": False, "readonlyRootFilesystem": True,
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "app-logs"}}},
    ])
    ecs.register_task_definition(family="td-good", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[
        {"name": "app", "image": "app:1", "memory": 256, "user": "1000", "readonlyRootFilesystem": True,
         "environment": [{"name": "REGION", "value": REGION}],
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "app-logs", "mode": "non-blocking"}}},
    ])

    # ---- ECS clusters and services.
    ec2 = client(endpoint, "ec2")
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    ecs.create_cluster(clusterName="cluster-insights", settings=[{"name": "containerInsights", "value": "enabled"}])
    ecs.create_cluster(clusterName="cluster-plain")
    for cluster, service, ip in [("cluster-insights", "svc-private", "DISABLED"), ("cluster-plain", "svc-public", "ENABLED")]:
        ecs.create_service(cluster=cluster, serviceName=service, taskDefinition="td-good", desiredCount=0, launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": ip}})

    # ---- CloudFormation stacks.
    def template(outputs):
        return json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                           "Outputs": {k: {"Value": v} for k, v in outputs.items()}})
    cfn.create_stack(StackName="stack-leaky", TemplateBody=template({"DeployKeyId": key_id, "DeploySecret": secret}))
    cfn.create_stack(StackName="stack-safe", TemplateBody=template({"TopicName": "alerts"}), EnableTerminationProtection=True)

    # ---- Read back what moto stored.
    assert ct.get_trail_status(Name="main")["IsLogging"] is True
    assert ct.describe_trails()["trailList"][0]["CloudWatchLogsLogGroupArn"] == group_arn
    subs = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [s["SubscriptionArn"].startswith("arn:") for s in subs] == [True], subs
    assert sns.list_subscriptions_by_topic(TopicArn=lonely)["Subscriptions"] == []
    filters = logs.describe_metric_filters()["metricFilters"]
    assert len(filters) == len(patterns), filters
    alarms = {a["AlarmName"]: a for a in cw.describe_alarms()["MetricAlarms"]}
    assert alarms["muted"]["ActionsEnabled"] is False and alarms["silent"]["AlarmActions"] == [], alarms
    groups = {g["logGroupName"]: g for g in logs.describe_log_groups()["logGroups"]}
    assert groups["app-logs"]["retentionInDays"] == 7 and "kmsKeyId" not in groups["app-logs"], groups
    assert groups["cloudtrail-logs"]["kmsKeyId"] == key_arn, groups
    secrets = {s["Name"]: s for s in sm.list_secrets()["SecretList"]}
    assert secrets["secret-rotating"].get("RotationEnabled") is True, secrets
    assert not secrets["secret-public"].get("RotationEnabled"), secrets
    assert "Principal" in sm.get_resource_policy(SecretId="secret-public")["ResourcePolicy"]
    assert sorted(ecs.list_task_definition_families(status="ACTIVE")["families"]) == ["td-bad", "td-good"]
    bad = ecs.describe_task_definition(taskDefinition="td-bad")["taskDefinition"]
    assert bad["pidMode"] == "host" and bad["containerDefinitions"][1]["privileged"] is True, bad
    clusters = {c["clusterName"]: c for c in ecs.describe_clusters(clusters=["cluster-insights", "cluster-plain"], include=["SETTINGS"])["clusters"]}
    assert clusters["cluster-insights"]["settings"] == [{"name": "containerInsights", "value": "enabled"}], clusters
    assert not [x for x in clusters["cluster-plain"].get("settings", []) if x.get("value") in ("enabled", "enhanced")], clusters
    public = ecs.describe_services(cluster="cluster-plain", services=["svc-public"])["services"][0]
    assert public["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "ENABLED", public
    stacks = {s["StackName"]: s for s in cfn.describe_stacks()["Stacks"]}
    assert stacks["stack-safe"]["EnableTerminationProtection"] is True, stacks["stack-safe"]
    assert not stacks["stack-leaky"].get("EnableTerminationProtection"), stacks["stack-leaky"]
    assert {o["OutputKey"] for o in stacks["stack-leaky"]["Outputs"]} == {"DeployKeyId", "DeploySecret"}

    names = ["app-logs", "cloudtrail-logs", "silent", "muted", "secret-public", "secret-rotating",
             "td-bad", "td-good", "stack-leaky", "stack-safe", "cluster-insights", "cluster-plain", "svc-private", "svc-public"]
    return {n: n for n in names}


def main():
    endpoint, mode = sys.argv[1], sys.argv[2]
    patterns = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    assert mode in ("monitored", "broken"), mode
    print(json.dumps({REGION: plant(endpoint, mode, patterns)}))


if __name__ == "__main__":
    main()
