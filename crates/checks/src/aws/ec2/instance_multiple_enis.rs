//! EC2 instances with more than one elastic network interface.
//!
//! Security Hub EC2.17 (FSBP; AWS Config rule `ec2-instance-multiple-eni-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-17>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-instance-multiple-eni-check.html>.
//! An instance fails when it uses several network interfaces (ENIs or EFAs); the rule's optional
//! list of allowed interface ids is not supported. Terminated instances are out of scope. One
//! result per instance.
//!
//! AWS: "This control passes if a single network adapter is used" (Security Hub EC2.17; ENIs and
//! EFAs alike).

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_multiple_enis",
        title: "EC2 instances use multiple network interfaces",
        description: "An instance with several network interfaces can sit in several subnets at once and bridge traffic between them, around the network ACLs and route tables that were meant to separate them.",
        severity: Severity::Low,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::fsbp("EC2.17")],
        remediation: Remediation {
            console: "EC2 console > Network interfaces > the secondary interface of the instance: Actions > Detach (unless the design needs it).",
            cli: "aws ec2 detach-network-interface --attachment-id <eni-attach-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, _, i, res, out| match i.network_interface_ids.len() {
        n if n > 1 => out.fail(res, format!("the instance uses {n} network interfaces: {}", i.network_interface_ids.join(", "))),
        n => out.pass(res, format!("the instance uses {n} network interface{}", if n == 1 { "" } else { "s" })),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Instance, Observed};
    use rampart_model::Status;

    fn inst(id: &str, state: &str, enis: &[&str]) -> Instance {
        Instance {
            instance_id: id.into(),
            state: state.into(),
            network_interface_ids: enis.iter().map(|e| e.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            inst("i-one", "running", &["eni-1"]),
            inst("i-two", "stopped", &["eni-2", "eni-3"]),
            inst("i-gone", "terminated", &["eni-4", "eni-5"]),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[1].reason.contains("eni-2, eni-3"), "{}", r[1].reason);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
