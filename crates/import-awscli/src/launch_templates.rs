//! `aws ec2 describe-launch-templates` (`LaunchTemplates`) and
//! `aws ec2 describe-launch-template-versions --versions '$Default'` (`LaunchTemplateVersions`):
//! launch templates with their default version's data, as `rampart-collect-aws` reads them
//! (<https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResponseLaunchTemplateData.html>).
//! A template whose default version is not in the dump keeps `Unknown` data.

use rampart_inventory::{self as inv, Observed};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LaunchTemplate {
    launch_template_id: String,
    #[serde(default)]
    launch_template_name: String,
    #[serde(default)]
    default_version_number: Option<i64>,
    #[serde(default)]
    latest_version_number: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct LaunchTemplateVersion {
    launch_template_id: String,
    #[serde(default)]
    version_number: Option<i64>,
    #[serde(default)]
    default_version: Option<bool>,
    #[serde(default)]
    launch_template_data: Option<Data>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Data {
    #[serde(default)]
    metadata_options: Option<MetadataOptions>,
    #[serde(default)]
    network_interfaces: Vec<NetworkInterface>,
    #[serde(default)]
    block_device_mappings: Vec<BlockDevice>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetadataOptions {
    #[serde(default)]
    http_tokens: Option<String>,
    #[serde(default)]
    http_endpoint: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct NetworkInterface {
    #[serde(default)]
    device_index: Option<i32>,
    #[serde(default)]
    associate_public_ip_address: Option<bool>,
    #[serde(default)]
    network_interface_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BlockDevice {
    #[serde(default)]
    device_name: Option<String>,
    #[serde(default)]
    ebs: Option<Ebs>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ebs {
    #[serde(default)]
    encrypted: Option<bool>,
}

impl From<&LaunchTemplate> for inv::LaunchTemplate {
    fn from(t: &LaunchTemplate) -> Self {
        inv::LaunchTemplate {
            launch_template_id: t.launch_template_id.clone(),
            launch_template_name: t.launch_template_name.clone(),
            default_version_number: t.default_version_number,
            latest_version_number: t.latest_version_number,
            default_version: Observed::Unknown(
                "not in the aws-cli dump: LaunchTemplateVersions (describe-launch-template-versions --versions '$Default')".into(),
            ),
            user_data_secrets: Observed::Unknown("not in the aws-cli dump: the user data of every version (describe-launch-template-versions)".into()),
        }
    }
}

fn data(d: &Data) -> inv::LaunchTemplateData {
    let md = d.metadata_options.as_ref();
    inv::LaunchTemplateData {
        metadata_http_tokens: md.and_then(|m| m.http_tokens.clone()),
        metadata_http_endpoint: md.and_then(|m| m.http_endpoint.clone()),
        network_interfaces: d
            .network_interfaces
            .iter()
            .map(|n| inv::LaunchTemplateNetworkInterface {
                device_index: n.device_index,
                associate_public_ip_address: n.associate_public_ip_address,
                network_interface_id: n.network_interface_id.clone(),
            })
            .collect(),
        block_device_mappings: d
            .block_device_mappings
            .iter()
            .map(|b| inv::LaunchTemplateBlockDevice {
                device_name: b.device_name.clone(),
                ebs: b.ebs.is_some(),
                encrypted: b.ebs.as_ref().and_then(|e| e.encrypted),
            })
            .collect(),
    }
}

/// Gives every template the data of its default version found among `versions` (flagged
/// `DefaultVersion`, or numbered as the template's default version).
pub(crate) fn attach(templates: &mut Observed<Vec<inv::LaunchTemplate>>, versions: &[LaunchTemplateVersion]) {
    let Observed::Known(templates) = templates else { return };
    for t in templates {
        let default = versions.iter().find(|v| {
            v.launch_template_id == t.launch_template_id
                && (v.default_version == Some(true) || (v.version_number.is_some() && v.version_number == t.default_version_number))
        });
        if let Some(v) = default {
            t.default_version = Observed::Known(v.launch_template_data.as_ref().map(data).unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_get_their_default_version_data() {
        let lts: Vec<LaunchTemplate> = serde_json::from_str(
            r#"[{"LaunchTemplateId": "lt-1", "LaunchTemplateName": "web", "DefaultVersionNumber": 2, "LatestVersionNumber": 3},
                {"LaunchTemplateId": "lt-2", "LaunchTemplateName": "batch", "DefaultVersionNumber": 1}]"#,
        )
        .unwrap();
        let versions: Vec<LaunchTemplateVersion> = serde_json::from_str(
            r#"[{"LaunchTemplateId": "lt-1", "VersionNumber": 3, "DefaultVersion": false,
                 "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}},
                {"LaunchTemplateId": "lt-1", "VersionNumber": 2, "DefaultVersion": true,
                 "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
                   "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": true}],
                   "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": false}}, {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}]}}]"#,
        )
        .unwrap();
        let mut inv = Observed::Known(lts.iter().map(inv::LaunchTemplate::from).collect::<Vec<_>>());
        attach(&mut inv, &versions);
        let lts = inv.known().unwrap();
        let d = lts[0].default_version.known().expect("default version attached");
        assert_eq!(d.metadata_http_tokens.as_deref(), Some("required"));
        assert_eq!(d.network_interfaces[0].associate_public_ip_address, Some(true));
        assert_eq!((d.block_device_mappings[0].ebs, d.block_device_mappings[0].encrypted), (true, Some(false)));
        assert!(!d.block_device_mappings[1].ebs);
        assert!(lts[1].default_version.known().is_none(), "no version of lt-2 in the dump");
    }
}
