//! CloudFront checks and what they share.

pub mod iam_certificate_expiry;
pub mod origin_ssl_protocols;

use crate::{resource, Ctx, Emit};
use rampart_inventory::{Account, Distribution, Observed};
use rampart_model::{Resource, ResourceType};

/// Calls `f` for every distribution of every account whose CloudFront data is known.
pub(crate) fn each_distribution(ctx: &Ctx, out: &mut Emit, mut f: impl FnMut(&Account, &Distribution, Resource, &mut Emit)) {
    for account in &ctx.inventory.accounts {
        match &account.cloudfront {
            Observed::Known(ds) => {
                for d in ds {
                    let arn = if d.arn.is_empty() { format!("arn:{}:cloudfront::{}:distribution/{}", account.partition, account.id, d.id) } else { d.arn.clone() };
                    let res = resource(account, &account.home_region, ResourceType::AwsCloudFrontDistribution, arn, &d.domain_name);
                    f(account, d, res, out);
                }
            }
            Observed::Unknown(why) => {
                let res = resource(account, &account.home_region, ResourceType::AwsCloudFrontDistribution, format!("arn:{}:cloudfront::{}:distribution/*", account.partition, account.id), "all distributions");
                out.not_available(res, format!("CloudFront could not be read: {why}"));
            }
        }
    }
}
