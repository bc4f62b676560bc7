//! Where an estate comes from: the bundled demo, a snapshot file, a live collection; and
//! host telemetry documents joined to it.

use crate::Notify;
use anyhow::{Context, Result};
use rampart_host::Telemetry;
use rampart_inventory::Inventory;
use std::path::{Path, PathBuf};

/// The demo estate: a recorded inventory of a small account with planted problems.
const DEMO_ESTATE: &[u8] = include_bytes!("../../../testdata/demo/estate.json");

/// The bundled demo estate.
pub fn demo() -> Result<Inventory> {
    Inventory::from_json(DEMO_ESTATE).context("the bundled demo estate is damaged")
}

/// A snapshot file written by `rampart collect` or `rampart import`.
pub fn read_snapshot(path: &Path) -> Result<Inventory> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read snapshot `{}`: check the path", path.display()))?;
    Inventory::from_json(&bytes).with_context(|| format!("`{}`", path.display()))
}

/// A host telemetry document written by `rampart agent`.
pub fn read_telemetry(path: &Path) -> Result<Telemetry> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`: check the path", path.display()))?;
    Telemetry::from_json(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))
}

/// Reads an account through the AWS SDK. Each failed call is a gap in the inventory and
/// one warning per action (merged over regions), saying what to grant or look at. A
/// collection that cannot start is an error holding a [`rampart_collect_aws::CollectError`]
/// (callers downcast it to add their own advice).
pub fn collect(opts: &rampart_collect_aws::Options, notify: &dyn Notify) -> Result<Inventory> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let inv = rt.block_on(rampart_collect_aws::collect(opts))?;
    for acc in &inv.accounts {
        for (action, kind, n, message) in rampart_collect_aws::summarize_gaps(&acc.gaps) {
            notify.warn(&gap_line(&action, kind, n, &message));
        }
    }
    Ok(inv)
}

/// One warning per failed action: what failed, how often, why, and what to do.
pub fn gap_line(action: &str, kind: rampart_model::GapKind, n: usize, message: &str) -> String {
    let hint = match kind {
        rampart_model::GapKind::AccessDenied => " — allow it to the scanning identity (see `rampart iam-policy`)",
        _ => "",
    };
    let times = if n > 1 { format!(" ({n} calls)") } else { String::new() };
    format!("{action} {}{times}: {message}{hint}", kind.as_str())
}

/// Joins host telemetry documents to the inventory by EC2 instance id: their listening
/// sockets become `Inventory::host_listeners`. A document that cannot be joined (no
/// instance id, sockets not read, instance not in the inventory) is a warning and skipped;
/// one that cannot be read is an error.
pub fn join_telemetry(inv: &mut Inventory, files: &[PathBuf], notify: &dyn Notify) -> Result<()> {
    use rampart_host::{Observed, Proto};
    let instances: std::collections::HashSet<String> = inv
        .regions()
        .filter_map(|(_, r)| r.ec2.known())
        .filter_map(|ec2| ec2.instances.known())
        .flatten()
        .map(|i| i.instance_id.clone())
        .collect();
    for p in files {
        let t = read_telemetry(p)?;
        let Some(Some(id)) = t.host.ec2_instance_id.known() else {
            notify.warn(&format!("`{}` names no EC2 instance id (cloud-init's instance-id file or the Nitro DMI tag): not joined", p.display()));
            continue;
        };
        let sockets = match &t.listening {
            Observed::Known(s) => s,
            Observed::Unknown(why) => {
                notify.warn(&format!("`{}`: listening sockets were not read ({why}): {id} stays without agent data", p.display()));
                continue;
            }
        };
        if !instances.contains(id) {
            notify.warn(&format!("`{}`: instance {id} is not in the scanned inventory: not joined", p.display()));
            continue;
        }
        let listeners = sockets
            .iter()
            .map(|s| rampart_inventory::HostListener {
                protocol: match s.proto {
                    Proto::Tcp | Proto::Tcp6 => "tcp",
                    Proto::Udp | Proto::Udp6 => "udp",
                }
                .to_owned(),
                address: s.address,
                port: s.port,
                processes: s.processes.known().map(|ps| ps.iter().filter_map(|p| p.name.clone()).collect()).unwrap_or_default(),
            })
            .collect();
        inv.host_listeners.insert(id.clone(), listeners);
        notify.info(&format!("{}: joined to instance {id}", p.display()));
    }
    Ok(())
}
