//! VPCs without flow logging of rejected traffic.
//!
//! Security Hub EC2.6 (FSBP; parameter `trafficType`, default `REJECT`) and CIS AWS
//! Foundations v3.0.0 3.7: a VPC passes when an active flow log on the VPC itself records
//! rejected packets (traffic type `REJECT` or `ALL`). Flow logs on single subnets or network
//! interfaces do not count. One result per VPC.
//!
//! Several flow logs per VPC: one active log of rejected traffic suffices, whatever the others
//! record; an `ACCEPT` log beside a `REJECT` log that is not active fails (test
//! `several_flow_logs`).
//!
//! AWS: "This control checks whether Amazon VPC Flow Logs are found and enabled for VPCs. The
//! traffic type is set to `Reject`" (Security Hub EC2.6, parameter `trafficType`: `REJECT`).

use super::known_ec2;
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_flow_logs",
        title: "VPC flow logging of rejected traffic is not enabled",
        description: "Without flow logs there is no record of the connections refused by security groups and network ACLs, the first sign of scanning and of attempts to move laterally.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Vpc,
        standards: &[StandardRef::cis("3.7"), StandardRef::fsbp("EC2.6")],
        remediation: Remediation {
            console: "VPC console > Your VPCs > the VPC > Flow logs > Create flow log: Filter Reject (or All), destination CloudWatch Logs or S3.",
            cli: "aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type REJECT --log-destination-type s3 --log-destination arn:aws:s3:::<bucket>",
            url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for (account, region) in ctx.inventory.regions() {
        let Some(ec2) = known_ec2(account, region, ResourceType::AwsEc2Vpc, "vpc", out) else { continue };
        let all = resource(account, &region.name, ResourceType::AwsEc2Vpc, account.arn("ec2", &region.name, "vpc/*"), "all vpcs");
        let (vpcs, logs) = match (&ec2.vpcs, &ec2.flow_logs) {
            (Observed::Known(v), Observed::Known(l)) => (v, l),
            (Observed::Unknown(why), _) => {
                out.not_available(all, format!("VPCs could not be listed in {}: {why}", region.name));
                continue;
            }
            (_, Observed::Unknown(why)) => {
                out.not_available(all, format!("flow logs could not be listed in {}: {why}", region.name));
                continue;
            }
        };
        for vpc in vpcs {
            let res = resource(
                account,
                &region.name,
                ResourceType::AwsEc2Vpc,
                account.arn("ec2", &region.name, &format!("vpc/{}", vpc.vpc_id)),
                &vpc.vpc_id,
            );
            let mine: Vec<_> = logs.iter().filter(|l| l.resource_id == vpc.vpc_id).collect();
            let good = mine.iter().find(|l| matches!(l.traffic_type.as_str(), "REJECT" | "ALL") && l.status == "ACTIVE");
            match good {
                Some(l) => out.pass(res, format!("flow log {} records {} traffic", l.flow_log_id, l.traffic_type)),
                None if mine.is_empty() => out.fail(res, "the VPC has no flow log"),
                None => out.fail(res, "no active flow log of the VPC records rejected traffic (traffic type REJECT or ALL)"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{FlowLog, Vpc};
    use rampart_model::Status;

    fn log(vpc: &str, traffic: &str, status: &str) -> FlowLog {
        FlowLog {
            flow_log_id: format!("fl-{vpc}"),
            resource_id: vpc.into(),
            traffic_type: traffic.into(),
            status: status.into(),
            ..Default::default()
        }
    }

    fn vpc(id: &str) -> Vpc {
        Vpc { vpc_id: id.into(), ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let e = ec2(&mut inv);
        e.vpcs = Observed::Known(vec![vpc("vpc-all"), vpc("vpc-reject"), vpc("vpc-accept"), vpc("vpc-none"), vpc("vpc-subnet-only")]);
        e.flow_logs = Observed::Known(vec![
            log("vpc-all", "ALL", "ACTIVE"),
            log("vpc-reject", "REJECT", "ACTIVE"),
            log("vpc-accept", "ACCEPT", "ACTIVE"),
            log("subnet-1", "ALL", "ACTIVE"),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Passed, Status::Failed, Status::Failed, Status::Failed]);
        ec2(&mut inv).flow_logs = Observed::Unknown("ec2:DescribeFlowLogs access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        ec2(&mut inv).flow_logs = Observed::Known(vec![]);
        ec2(&mut inv).vpcs = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        region(&mut inv).ec2 = Observed::Unknown("denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }

    #[test]
    fn several_flow_logs() {
        let mut inv = inventory();
        let e = ec2(&mut inv);
        e.vpcs = Observed::Known(vec![vpc("vpc-a"), vpc("vpc-b")]);
        let mut reject_a = log("vpc-a", "REJECT", "ACTIVE");
        reject_a.flow_log_id = "fl-reject-a".into();
        let mut reject_b = log("vpc-b", "REJECT", "INACTIVE");
        reject_b.flow_log_id = "fl-reject-b".into();
        e.flow_logs = Observed::Known(vec![log("vpc-a", "ACCEPT", "ACTIVE"), reject_a, log("vpc-b", "ACCEPT", "ACTIVE"), reject_b]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[0].reason.contains("fl-reject-a"), "{}", r[0].reason);
    }
}
