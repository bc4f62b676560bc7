//! SNS topics that deliver to plain HTTP endpoints.
//!
//! A subscription's protocol is `http` or `https` for a web endpoint (SNS `Subscribe`); with
//! `http` every message, and the subscription confirmation URL, crosses the network
//! unencrypted. One result per topic that has subscriptions, naming its `http` ones; the
//! endpoints themselves are not collected (a URL may carry a credential).

use crate::aws::each_regional;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "sns_subscription_http",
        title: "SNS topics deliver messages to unencrypted HTTP endpoints",
        description: "Messages sent to an http:// subscription cross the network in clear text, where anyone on the path can read or alter them; https:// endpoints get the same messages over TLS.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "sns",
        resource_type: ResourceType::AwsSnsTopic,
        standards: &[],
        remediation: Remediation {
            console: "SNS console > Topics > the topic > Subscriptions: create an HTTPS subscription to the endpoint, confirm it, then delete the HTTP one.",
            cli: "aws sns subscribe --topic-arn <arn> --protocol https --notification-endpoint https://<endpoint> && aws sns unsubscribe --subscription-arn <http-subscription-arn>",
            url: "https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_regional(
        ctx,
        out,
        "sns",
        ResourceType::AwsSnsTopic,
        "topic",
        |r| &r.sns,
        |account, region, topic, out| {
            let name = topic.arn.rsplit(':').next().unwrap_or(&topic.arn);
            let res = resource(account, &region.name, ResourceType::AwsSnsTopic, topic.arn.clone(), name);
            let subs = match &topic.subscriptions {
                Observed::Known(subs) if subs.is_empty() => return,
                Observed::Known(subs) => subs,
                Observed::Unknown(why) => return out.not_available(res, format!("the topic's subscriptions could not be listed: {why}")),
            };
            // Protocols are lowercase in the API; compared without case all the same.
            let http: Vec<&str> = subs.iter().filter(|s| s.protocol.eq_ignore_ascii_case("http")).map(|s| s.arn.as_str()).collect();
            if http.is_empty() {
                out.pass(res, format!("none of the topic's {} subscription(s) uses HTTP", subs.len()));
            } else {
                out.fail(
                    res,
                    format!(
                        "{} of the topic's {} subscription(s) deliver over unencrypted HTTP: {}",
                        http.len(),
                        subs.len(),
                        http.join(", ")
                    ),
                );
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{SnsSubscription, SnsTopic};
    use rampart_model::Status;

    fn topic(name: &str, protocols: &[&str]) -> SnsTopic {
        let arn = format!("arn:aws:sns:us-east-1:123456789012:{name}");
        let subscriptions =
            protocols.iter().enumerate().map(|(i, p)| SnsSubscription { arn: format!("{arn}:sub{i}"), protocol: p.to_string() }).collect();
        SnsTopic { arn, subscriptions: Observed::Known(subscriptions), ..Default::default() }
    }

    #[test]
    fn one_http_subscription_among_several_fails_the_topic() {
        let mut inv = inventory();
        region(&mut inv).sns = Observed::Known(vec![
            topic("secure", &["https", "sqs", "email"]),
            topic("mixed", &["https", "http", "lambda"]),
            SnsTopic { subscriptions: Observed::Unknown("sns:ListSubscriptionsByTopic access denied".into()), ..topic("unread", &[]) },
            topic("idle", &[]),
        ]);
        let r = run_check(&CHECK, &inv);
        let got: Vec<(Status, &str)> = r.iter().map(|r| (r.status, r.resource.name.as_str())).collect();
        assert_eq!(got, vec![(Status::Passed, "secure"), (Status::Failed, "mixed"), (Status::NotAvailable, "unread")]);
        assert!(r[1].reason.contains("mixed:sub1") && !r[1].reason.contains("sub0"), "{}", r[1].reason);
        region(&mut inv).sns = Observed::Unknown("sns:ListTopics access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
