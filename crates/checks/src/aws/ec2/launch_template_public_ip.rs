//! Launch templates that assign public IP addresses to network interfaces.
//!
//! Security Hub EC2.25 (FSBP; AWS Config rule `ec2-launch-template-public-ip-disabled`):
//! <https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-25>,
//! <https://docs.aws.amazon.com/config/latest/developerguide/ec2-launch-template-public-ip-disabled.html>.
//! The **default version** of a launch template fails when at least one of its network interfaces
//! sets `AssociatePublicIpAddress` to `true` (the Config rule) or is an existing network interface
//! that has a public IP address (Security Hub's "or if there is at least one network interface
//! that has a public IP address"). One result per template.

use super::each_launch_template;
use crate::{Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ec2_launch_template_public_ip",
        title: "EC2 launch templates assign public IP addresses to network interfaces",
        description: "Every instance launched from such a template (by hand or by an Auto Scaling group) gets a public IPv4 address and can be reached from the internet whenever a security group allows it.",
        severity: Severity::High,
        category: Category::Security,
        service: "ec2",
        resource_type: ResourceType::AwsEc2LaunchTemplate,
        standards: &[StandardRef::fsbp("EC2.25")],
        remediation: Remediation {
            console: "EC2 console > Launch templates > the template: Actions > Modify template (Create new version), Network settings > Advanced network configuration: Auto-assign public IP = Disable; then set the new version as default.",
            cli: "aws ec2 create-launch-template-version --launch-template-id <lt-id> --source-version <n> --launch-template-data '{\"NetworkInterfaces\":[{\"DeviceIndex\":0,\"AssociatePublicIpAddress\":false}]}'; aws ec2 modify-launch-template --launch-template-id <lt-id> --default-version <new>",
            url: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-launch-template.html",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    each_launch_template(ctx, out, |res, ec2, data, out| {
        let assigned: Vec<String> = data
            .network_interfaces
            .iter()
            .filter(|n| n.associate_public_ip_address == Some(true))
            .map(|n| n.device_index.map_or_else(|| "?".to_string(), |i| i.to_string()))
            .collect();
        if !assigned.is_empty() {
            return out.fail(res, format!("the default version assigns a public IP address to the network interface at device index {}", assigned.join(", ")));
        }
        // Interfaces the template attaches by id: public if the existing ENI has a public IP.
        let attached: Vec<&str> = data.network_interfaces.iter().filter_map(|n| n.network_interface_id.as_deref()).collect();
        if attached.is_empty() {
            return out.pass(res, "no network interface of the default version assigns a public IP address");
        }
        let enis = match &ec2.network_interfaces {
            Observed::Known(e) => e,
            Observed::Unknown(why) => {
                return out.not_available(res, format!("the default version attaches {}, whose addresses could not be read: {why}", attached.join(", ")))
            }
        };
        let public: Vec<String> = attached
            .iter()
            .filter_map(|id| enis.iter().find(|e| e.network_interface_id == *id))
            .filter(|e| !e.public_ips.is_empty())
            .map(|e| format!("{} ({})", e.network_interface_id, e.public_ips.join(", ")))
            .collect();
        if public.is_empty() {
            out.pass(res, "no network interface of the default version assigns or has a public IP address")
        } else {
            out.fail(res, format!("the default version attaches a network interface with a public IP address: {}", public.join("; ")))
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::{LaunchTemplate, LaunchTemplateData, LaunchTemplateNetworkInterface, NetworkInterface};
    use rampart_model::Status;

    fn template(id: &str, data: Observed<LaunchTemplateData>) -> LaunchTemplate {
        LaunchTemplate { launch_template_id: id.into(), launch_template_name: id.into(), default_version: data, ..Default::default() }
    }

    fn nic(public: Option<bool>) -> LaunchTemplateNetworkInterface {
        LaunchTemplateNetworkInterface { device_index: Some(0), associate_public_ip_address: public, network_interface_id: None }
    }

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let with = |n: Vec<LaunchTemplateNetworkInterface>| Observed::Known(LaunchTemplateData { network_interfaces: n, ..Default::default() });
        ec2(&mut inv).launch_templates = Observed::Known(vec![
            template("lt-none", with(vec![])),
            template("lt-private", with(vec![nic(Some(false))])),
            template("lt-unset", with(vec![nic(None)])),
            template("lt-public", with(vec![nic(Some(true))])),
            template("lt-unread", Observed::Unknown("ec2:DescribeLaunchTemplateVersions access denied".into())),
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(
            r.iter().map(|r| r.status).collect::<Vec<_>>(),
            vec![Status::Passed, Status::Passed, Status::Passed, Status::Failed, Status::NotAvailable]
        );
        assert!(r[3].reason.contains("device index 0"), "{}", r[3].reason);
        ec2(&mut inv).launch_templates = Observed::Unknown("ec2:DescribeLaunchTemplates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        // An existing interface attached by id: public if it has a public IP.
        let attach = |eni: &str| {
            with(vec![LaunchTemplateNetworkInterface { device_index: Some(0), associate_public_ip_address: None, network_interface_id: Some(eni.into()) }])
        };
        ec2(&mut inv).launch_templates = Observed::Known(vec![template("lt-eni-private", attach("eni-private")), template("lt-eni-public", attach("eni-public"))]);
        ec2(&mut inv).network_interfaces = Observed::Known(vec![
            NetworkInterface { network_interface_id: "eni-private".into(), ..Default::default() },
            NetworkInterface { network_interface_id: "eni-public".into(), public_ips: vec!["203.0.113.9".into()], ..Default::default() },
        ]);
        let r = run_check(&CHECK, &inv);
        assert_eq!(r.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Status::Passed, Status::Failed]);
        assert!(r[1].reason.contains("eni-public (203.0.113.9)"), "{}", r[1].reason);
        ec2(&mut inv).network_interfaces = Observed::Unknown("ec2:DescribeNetworkInterfaces access denied".into());
        assert_eq!(statuses(&CHECK, &inv), vec![Status::NotAvailable, Status::NotAvailable]);
        ec2(&mut inv).launch_templates = Observed::Unknown("ec2:DescribeLaunchTemplates access denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
        ec2(&mut inv).launch_templates = Observed::Known(vec![]);
        assert!(run_check(&CHECK, &inv).is_empty());
    }
}
