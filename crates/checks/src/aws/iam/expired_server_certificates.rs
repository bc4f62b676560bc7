//! Expired SSL/TLS certificates kept in IAM.
//!
//! CIS AWS Foundations v3.0.0 1.19 "Ensure that all the expired SSL/TLS certificates stored in
//! AWS IAM are removed" (Security Hub IAM.26 in its CIS standards): an expired certificate can
//! still be deployed to a load balancer or CloudFront by mistake. The expiry is the certificate
//! body's notAfter, else the listed expiration. One result per IAM server certificate.
//!
//! AWS / CIS: "Ensure that all the expired SSL/TLS certificates stored in AWS IAM are removed"
//! (CIS v3.0.0 1.19, title); a certificate fails from its expiry instant on
//! (`pass_fail_not_available`).

use crate::aws::{days_since, parse_time};
use crate::{resource, Check, Ctx, Emit};
use rampart_inventory::Observed;
use rampart_model::{Category, CheckMeta, Remediation, ResourceType, Severity, StandardRef};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "iam_expired_server_certificates",
        title: "Expired SSL/TLS certificates are stored in IAM",
        description: "An expired server certificate left in IAM can be attached to a load balancer or distribution by mistake, breaking HTTPS for its users.",
        severity: Severity::Medium,
        category: Category::Security,
        service: "iam",
        resource_type: ResourceType::AwsIamServerCertificate,
        standards: &[StandardRef::cis("1.19")],
        remediation: Remediation {
            console: "IAM server certificates have no console page: delete them with the CLI (after moving any listener or distribution that uses one to a valid certificate).",
            cli: "aws iam delete-server-certificate --server-certificate-name <name>",
            url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html#delete-server-certificate",
        },
    },
    run,
};

fn run(ctx: &Ctx, out: &mut Emit) {
    for account in &ctx.inventory.accounts {
        let certs = match &account.iam_server_certificates {
            Observed::Known(c) => c,
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsIamServerCertificate, format!("arn:{}:iam::{}:server-certificate/*", account.partition, account.id), "all server certificates");
                out.not_available(res, format!("IAM server certificates could not be read: {why}"));
                continue;
            }
        };
        for c in certs {
            let res = resource(account, &account.home_region, ResourceType::AwsIamServerCertificate, c.arn.clone(), &c.name);
            match c.expires().and_then(parse_time) {
                Some(t) if t <= ctx.now => out.fail(res, format!("expired {} days ago", days_since(t, ctx.now))),
                Some(t) => out.pass(res, format!("valid for {} more days", -days_since(t, ctx.now))),
                None => out.not_available(res, "the certificate's expiry could not be read"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;
    use rampart_inventory::ServerCertificate;
    use rampart_model::Status;

    #[test]
    fn pass_fail_not_available() {
        let mut inv = inventory();
        let cert = |name: &str, exp: Option<&str>| ServerCertificate { name: name.into(), arn: format!("arn:aws:iam::123456789012:server-certificate/{name}"), expiration: exp.map(Into::into), ..Default::default() };
        account(&mut inv).iam_server_certificates = Observed::Known(vec![cert("old", Some("2025-01-01T00:00:00Z")), cert("new", Some("2030-01-01T00:00:00Z")), cert("odd", None)]);
        assert_eq!(statuses(&CHECK, &inv), vec![Status::Failed, Status::Passed, Status::NotAvailable]);
        // The body's notAfter decides over the listed expiration.
        account(&mut inv).iam_server_certificates.known_mut().unwrap()[0].not_after = Some("2031-01-01T00:00:00Z".into());
        assert_eq!(statuses(&CHECK, &inv)[0], Status::Passed);
        account(&mut inv).iam_server_certificates = Observed::Unknown("iam:ListServerCertificates denied".into());
        assert_eq!(single(&CHECK, &inv).0, Status::NotAvailable);
    }
}
