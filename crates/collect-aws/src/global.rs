//! Services that are global to an account: IAM, the S3 bucket list, Route 53, CloudFront,
//! the organisation.

use crate::call::Ctx;
use crate::{iam, organization, s3, services};
use rampart_inventory::Account;

pub(crate) async fn collect(ctx: &Ctx, account: &mut Account) {
    let (iam, s3, route53, health_checks, cloudfront, certs, org) = futures::join!(
        iam::collect(ctx),
        s3::collect(ctx),
        services::route53(ctx),
        services::route53_health_checks(ctx),
        services::cloudfront(ctx),
        services::iam_server_certificates(ctx),
        organization::collect(ctx),
    );
    account.iam = iam;
    account.s3 = s3;
    account.route53 = route53;
    account.route53_health_checks = health_checks;
    account.cloudfront = cloudfront;
    account.iam_server_certificates = certs;
    account.organization = org;
}
