//! EC2 instances of the paravirtual (PV) virtualization type.
//!
//! Security Hub EC2.24 (FSBP; AWS Config rule `ec2-paravirtual-instance-check`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-24>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-paravirtual-instance-check.html>.
//! An instance fails when its virtualization type is `paravirtual`. Terminated instances are
//! out of scope. One result per instance.
//!
//! AWS: "The control fails if the `virtualizationType` of the EC2 instance is set to
//! `paravirtual`" (Security Hub EC2.24).

use super::each_live_instance;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_instance_paravirtual",
        title: "EC2 instances use paravirtual virtualization",
        description: "Paravirtual (PV) instances run on previous-generation instance types and AMIs that no longer receive the hardware-assisted isolation and the enhanced networking and security features of HVM instances.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2Instance,
        standards: &[StandardRef::fsbp("EC2.24")],
        remediation: Remediation {
            console: "Launch a replacement instance from an HVM AMI on a current-generation instance type, move the workload, then terminate the PV instance.",
            cli: "aws ec2 run-instances --image-id <hvm-ami-id> --instance-type <current-type> ...; aws ec2 terminate-instances --instance-ids <pv-instance-id>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_live_instance(ctx, out, |_, _, _, i, res, out| match &i.virtualization_type {
        Observed::Known(Some(v)) if v == "paravirtual" => out.fail(res, "the instance's virtualization type is paravirtual"),
        Observed::Known(Some(v)) => out.pass(res, format!("the instance's virtualization type is {v}")),
        Observed::Known(None) => out.not_available(res, "the instance's virtualization type was not reported"),
        Observed::Unknown(why) => out.not_available(res, format!("the instance's virtualization type was not read: {why}")),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::Instance;
    use rampart_model::Status;

    fn inst(id: &str, state: &str, v: Observed<Option<String>>) -> Instance {
        Instance { instance_id: id.into(), state: state.into(), virtualization_type: v, ..Default::default() }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        ec2(&mut inv).instances = Observed::Known(vec![
            inst("i-hvm", "running", Observed::Known(Some("hvm".into()))),
            inst("i-pv", "stopped", Observed::Known(Some("paravirtual".into()))),
            inst("i-old-snapshot", "running", Observed::not_collected()),
            inst("i-gone", "terminated", Observed::Known(Some("paravirtual".into()))),
        ]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Passed, Status::Failed, Status::NotAvailable]);
        ec2(&mut inv).instances = Observed::Unknown("ec2:DescribeInstances access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
