//! Accounts whose own VPCs are all in one region.
//!
//! A workload whose networks exist in a single region goes down with that region; a second
//! region is the usual basis for disaster recovery. The account's non-default VPCs are counted
//! per scanned region: it fails when they are all in one region, and passes when they are in
//! several or there are none (nothing is deployed in a VPC). An account scanned in one region
//! only, or with a region whose VPCs could not be listed (and fewer than two regions with VPCs
//! among the others), is NOT_AVAILABLE. One result per account.

use super::super::iam::account_resource;
use crate::{Check, Ctx, Emit};
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_vpc_in_several_regions",
        title: "The account's VPCs are all in one region",
        description: "Networks in a single region leave nothing to fail over to when that region or one of its services is impaired; a second region holds the standby of what must survive.",
        severity: Severity::Low,
        category: Category::FaultTolerance,
        service: "ec2",
        resource_type: ResourceType::AwsAccount,
        standards: &[],
        remediation: Remediation {
            console: "Plan the workload's recovery region, then create its VPC there (VPC console, in that region > Create VPC) and deploy the standby into it.",
            cli: "aws ec2 create-vpc --cidr-block 10.1.0.0/16 --region <second-region>",
            url: "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let res = account_resource(account);
        let mut with_vpcs = Vec::new();
        let mut unread = Vec::new();
        for region in &account.regions {
            match region.ec2.as_result().and_then(|e| e.vpcs.as_result()) {
                Ok(vpcs) => {
                    if vpcs.iter().any(|v| !v.is_default && (v.owner_id.is_empty() || v.owner_id == account.id)) {
                        with_vpcs.push(region.name.as_str());
                    }
                }
                Err(why) => unread.push(format!("{}: {why}", region.name)),
            }
        }
        if with_vpcs.len() >= 2 {
            out.pass(res, format!("the account has VPCs in {}", with_vpcs.join(", ")));
        } else if !unread.is_empty() {
            out.not_available(res, format!("VPCs could not be listed in {}", unread.join("; ")));
        } else if account.regions.len() < 2 {
            out.not_available(res, "only one region was scanned: scan every region the account uses to judge this");
        } else if let [only] = with_vpcs.as_slice() {
            out.fail(res, format!("all of the account's VPCs are in {only} (of the {} regions scanned)", account.regions.len()));
        } else {
            out.pass(res, "the account has no VPC of its own besides the default ones");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{Observed, Region, Vpc};
    use rampart_model::Status;

    fn vpc(id: &str, default: bool) -> Vpc {
        Vpc { vpc_id: id.into(), is_default: default, ..Default::default() }
    }

    fn second_region(inv: &mut rampart_inventory::Inventory, vpcs: Observed<Vec<Vpc>>) {
        let mut r = Region::empty("eu-west-1");
        let mut e = ec2(inv).clone();
        e.vpcs = vpcs;
        r.ec2 = Observed::Known(e);
        account(inv).regions.push(r);
    }

    #[test]
    fn one_region_fails_two_pass() {
        let mut inv = inventory();
        ec2(&mut inv).vpcs = Observed::Known(vec![vpc("vpc-1", false), vpc("vpc-d", true)]);
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable, "one region scanned");
        second_region(&mut inv, Observed::Known(vec![vpc("vpc-d2", true)]));
        assert_eq!(single(&CHECK, &inv).0, Status::Failed);
        account(&mut inv).regions[1].ec2.known_mut().unwrap().vpcs = Observed::Known(vec![vpc("vpc-2", false)]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed);
        account(&mut inv).regions[1].ec2.known_mut().unwrap().vpcs = Observed::Unknown("ec2:DescribeVpcs access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        ec2(&mut inv).vpcs = Observed::Known(vec![vpc("vpc-d", true)]);
        account(&mut inv).regions[1].ec2.known_mut().unwrap().vpcs = Observed::Known(vec![]);
        assert_eq!(single(&CHECK, &inv).0, Status::Passed, "no VPC of its own");
    }
}
