//! ACM checks: certificate expiry and key length.

pub mod certificate_expiry;
pub mod rsa_key_length;

use crate::{resource, Ctx, Emit};
use rampart_inventory::AcmCertificate;
use rampart_model::{Resource, ResourceType};

pub(crate) fn each_certificate(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&AcmCertificate, Resource, &mut Emit)) {
    super::each_regional(ctx, out, "acm", ResourceType::AwsCertificateManagerCertificate, "certificate", |r| &r.acm, |account, region, c, out| {
        f(c, resource(account, &region.name, ResourceType::AwsCertificateManagerCertificate, c.arn.clone(), &c.domain_name), out);
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use rampart_inventory::AcmCertificate;

    pub fn cert(id: &str, not_after: Option<&str>) -> AcmCertificate {
        AcmCertificate {
            arn: format!("arn:aws:acm:us-east-1:123456789012:certificate/{id}"),
            domain_name: format!("{id}.example.com"),
            status: "ISSUED".into(),
            kind: "AMAZON_ISSUED".into(),
            key_algorithm: Some("RSA_2048".into()),
            not_after: not_after.map(Into::into),
            in_use_by: vec![],
            renewal_eligibility: Some("ELIGIBLE".into()),
        }
    }
}
