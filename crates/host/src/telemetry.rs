//! The telemetry document: what one collection saw on one host, versioned JSON.
//!
//! **Compatibility:** serialized names are a promise to the future server and to
//! stored documents. Add fields as `Observed<..>` (a missing one reads as `Unknown`)
//! and bump [`SCHEMA_VERSION`] for anything else.

use std::collections::BTreeMap;

use rampart_model::Observed;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The version of the document's schema. 2: `packages` is a list of package sources, each
/// read or not on its own (1: one list, `Unknown` as a whole when any OS database failed;
/// still read, see [`PackageSources`]).
pub const SCHEMA_VERSION: u32 = 2;

/// One collection of one host or mounted root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Telemetry {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// When the collection started (given by the caller).
    #[serde(with = "time::serde::rfc3339")]
    pub collected_at: OffsetDateTime,
    /// `/` for the running host, else the directory the mounted root was at.
    pub root: String,
    /// Who the host is.
    pub host: HostIdentity,
    /// Tags the operator gave the agent (`rampart agent --tag KEY=VALUE`), which assessment
    /// targets select hosts by. Absent in a document means no tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Installed packages of every kind, per source (a database, a manifest): each
    /// source read or `Unknown` on its own, so one unreadable source hides no other. No
    /// source at all: no package database was found. Bad entries of a source that was
    /// read are in [`Telemetry::problems`].
    #[serde(default)]
    pub packages: PackageSources,
    /// Listening TCP sockets and unconnected UDP sockets (live host only).
    #[serde(default)]
    pub listening: Observed<Vec<Socket>>,
    /// sshd's configuration as sshd would read it (`Known(None)`: no sshd_config).
    #[serde(default)]
    pub sshd: Observed<Option<SshdConfig>>,
    /// Kernel parameters the rules read, by sysctl name (live host only); a key the
    /// kernel does not have (IPv6 disabled, ...) is `Unknown`.
    #[serde(default)]
    pub sysctl: Observed<BTreeMap<String, Observed<String>>>,
    /// Local users from `/etc/passwd`.
    #[serde(default)]
    pub users: Observed<Vec<User>>,
    /// Local groups from `/etc/group`.
    #[serde(default)]
    pub groups: Observed<Vec<Group>>,
    /// Password flags from `/etc/shadow` (never the hashes); `Unknown` when the
    /// shadow file cannot be read (usually: not root).
    #[serde(default)]
    pub shadow: Observed<Vec<ShadowEntry>>,
    /// Password ageing defaults from `/etc/login.defs` (`PASS_MAX_DAYS`, ...).
    #[serde(default)]
    pub login_defs: Observed<BTreeMap<String, String>>,
    /// Owner and mode of the files and directories the rules read, by path.
    #[serde(default)]
    pub files: BTreeMap<String, Observed<Option<FileMeta>>>,
    /// Mounted filesystems from `/proc/mounts` (live host only).
    #[serde(default)]
    pub mounts: Observed<Vec<Mount>>,
    /// Configured filesystems from `/etc/fstab` (`Known(empty)` when absent).
    #[serde(default)]
    pub fstab: Observed<Vec<Mount>>,
    /// World-writable files and directories under the system paths.
    #[serde(default)]
    pub world_writable: Observed<WorldWritable>,
    /// Core dump limits and settings.
    #[serde(default)]
    pub core_dumps: Observed<CoreDumps>,
    /// What could not be read in part (a bad entry, an unreadable manifest), each
    /// naming the file and entry; the rest of the collection went on.
    #[serde(default)]
    pub problems: Vec<Problem>,
}

/// Who the host is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostIdentity {
    /// `/proc/sys/kernel/hostname` on a live host, else `/etc/hostname`.
    #[serde(default)]
    pub hostname: Observed<String>,
    /// `/etc/os-release` (else `/usr/lib/os-release`).
    #[serde(default)]
    pub os: Observed<OsRelease>,
    /// The running kernel's release (`uname -r`; live host only).
    #[serde(default)]
    pub kernel_release: Observed<String>,
    /// The EC2 instance id (`i-...`), read from files only (no metadata service call):
    /// cloud-init's `/var/lib/cloud/data/instance-id`, else the Nitro DMI asset tag
    /// `/sys/devices/virtual/dmi/id/board_asset_tag` (live host). `Known(None)`: not found
    /// — not an EC2 instance, or one without either. Joins the host to the inventory.
    #[serde(default)]
    pub ec2_instance_id: Observed<Option<String>>,
}

/// The fields of os-release the rules and matching use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsRelease {
    /// `ID` (`debian`, `ubuntu`, `rhel`, `alpine`, `amzn`, ...).
    pub id: Option<String>,
    /// `ID_LIKE`, split on spaces.
    #[serde(default)]
    pub id_like: Vec<String>,
    /// `VERSION_ID` (`12`, `22.04`, `3.19.1`).
    pub version_id: Option<String>,
    /// `VERSION_CODENAME` (`bookworm`).
    pub version_codename: Option<String>,
    /// `PRETTY_NAME`.
    pub pretty_name: Option<String>,
}

/// The package manager or language ecosystem a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageKind {
    Deb,
    Rpm,
    Apk,
    Python,
    Npm,
    Cargo,
    Go,
}

/// An installed package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Package {
    pub kind: PackageKind,
    pub name: String,
    /// The version as the ecosystem writes it; rpm: `[epoch:]version-release`.
    pub version: String,
    /// The architecture (`amd64`, `x86_64`, `noarch`), for OS packages.
    pub arch: Option<String>,
    /// The source package (deb `Source:`, rpm `SOURCERPM`, apk `o:`).
    pub source: Option<SourcePackage>,
    /// The file the package was read from (the database, manifest or binary), as a
    /// path inside the root.
    pub location: String,
    /// The OS package that installed this language package's metadata (`deb:python3-yaml`):
    /// the OS vendor patches it and its OS package is what vulnerability matching uses, so
    /// it is not matched again against the language ecosystem's advisories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
}

/// Where packages were read from, and what was read there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageSource {
    /// The kind of packages it holds; `None`: any kind (the language-package search as a
    /// whole, or a schema-1 document's single list).
    pub kind: Option<PackageKind>,
    /// What was read, as a path inside the root: the database (`/var/lib/dpkg/status`),
    /// a manifest that could not be read, or the directories the language search walked.
    pub location: String,
    /// The packages, or why they could not be read.
    pub packages: Observed<Vec<Package>>,
}

impl PackageSource {
    /// The reader and the quoted location, for messages (dpkg `/var/lib/dpkg/status`);
    /// a source of any kind is its location and "(any kind)".
    pub fn describe(&self) -> String {
        match self.kind {
            None => format!("`{}` (any kind)", self.location),
            Some(_) => format!("{} `{}`", self.reader(), self.location),
        }
    }

    /// What reads the source: `dpkg`, `rpm`, `apk`, `Python`, `npm`, `Cargo`, `Go`, or
    /// `packages` (any kind).
    pub fn reader(&self) -> &'static str {
        match self.kind {
            None => "packages",
            Some(PackageKind::Deb) => "dpkg",
            Some(PackageKind::Rpm) => "rpm",
            Some(PackageKind::Apk) => "apk",
            Some(PackageKind::Python) => "Python",
            Some(PackageKind::Npm) => "npm",
            Some(PackageKind::Cargo) => "Cargo",
            Some(PackageKind::Go) => "Go",
        }
    }
}

/// The package sources of a collection.
///
/// Serialized as a list of [`PackageSource`]. A schema-1 document's `packages` (one
/// `Observed` list) reads as one source per database or manifest its packages name, or as
/// one `Unknown` source of any kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PackageSources(pub Vec<PackageSource>);

/// A document without `packages` did not collect them: one `Unknown` source, never "no
/// packages".
impl Default for PackageSources {
    fn default() -> Self {
        PackageSources(vec![PackageSource {
            kind: None,
            location: "/".to_owned(),
            packages: Observed::not_collected(),
        }])
    }
}

impl PackageSources {
    /// Every package, sorted, when every source was read; `None` when any was not.
    pub fn known(&self) -> Option<Vec<&Package>> {
        self.unread().next().is_none().then(|| self.read())
    }

    /// The packages of the sources that were read, sorted.
    pub fn read(&self) -> Vec<&Package> {
        let mut all: Vec<&Package> = self
            .0
            .iter()
            .filter_map(|s| s.packages.known())
            .flatten()
            .collect();
        all.sort();
        all
    }

    /// The sources that could not be read, with the reason.
    pub fn unread(&self) -> impl Iterator<Item = (&PackageSource, &str)> {
        self.0.iter().filter_map(|s| match &s.packages {
            Observed::Unknown(why) => Some((s, why.as_str())),
            Observed::Known(_) => None,
        })
    }

    /// No source was found: no package database, manifest or Go binary.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for PackageSources {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Sources(Vec<PackageSource>),
            /// Schema 1.
            List(Observed<Vec<Package>>),
        }
        Ok(match Wire::deserialize(d)? {
            Wire::Sources(s) => PackageSources(s),
            Wire::List(Observed::Unknown(why)) => PackageSources(vec![PackageSource {
                kind: None,
                location: "/".to_owned(),
                packages: Observed::Unknown(why),
            }]),
            Wire::List(Observed::Known(pkgs)) => {
                let mut by: BTreeMap<(PackageKind, String), Vec<Package>> = BTreeMap::new();
                for p in pkgs {
                    by.entry((p.kind, p.location.clone())).or_default().push(p);
                }
                PackageSources(
                    by.into_iter()
                        .map(|((kind, location), packages)| PackageSource {
                            kind: Some(kind),
                            location,
                            packages: Observed::Known(packages),
                        })
                        .collect(),
                )
            }
        })
    }
}

/// A binary package's source package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourcePackage {
    pub name: String,
    pub version: String,
}

/// A socket's protocol, as `/proc/net/<proto>` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proto {
    Tcp,
    Tcp6,
    Udp,
    Udp6,
}

impl Proto {
    /// All of them, in `/proc/net` file order.
    pub const ALL: [Proto; 4] = [Proto::Tcp, Proto::Tcp6, Proto::Udp, Proto::Udp6];

    /// The file name under `/proc/net`.
    pub fn file_name(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Tcp6 => "tcp6",
            Proto::Udp => "udp",
            Proto::Udp6 => "udp6",
        }
    }
}

/// A listening socket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Socket {
    pub proto: Proto,
    /// The local address (`0.0.0.0`, `::`, `127.0.0.1`).
    pub address: std::net::IpAddr,
    pub port: u16,
    /// The kernel's state: `listen` for TCP, `unconnected` for UDP.
    pub state: String,
    /// The socket inode.
    pub inode: u64,
    /// The owning uid (from `/proc/net`).
    pub uid: u32,
    /// Its name from `/etc/passwd`, when it has one.
    pub user: Option<String>,
    /// The processes holding the socket open; `Unknown` when none could be seen
    /// (reading other users' `/proc/PID/fd` needs root).
    #[serde(default)]
    pub processes: Observed<Vec<Process>>,
}

/// A process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub pid: u32,
    /// `/proc/PID/comm`.
    pub name: Option<String>,
    /// The real uid (`/proc/PID/status`).
    pub uid: Option<u32>,
    /// Its user name.
    pub user: Option<String>,
    /// `/proc/PID/exe`; `Unknown` without the right to read it.
    #[serde(default)]
    pub exe: Observed<String>,
}

/// sshd's configuration as read from `sshd_config` and the files it includes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshdConfig {
    /// Effective global settings by lowercase keyword: the first value wins, except
    /// for keywords sshd accumulates (`Port`, `ListenAddress`, `HostKey`, `AcceptEnv`,
    /// `AllowUsers`, ...); OpenSSH's documented default for unset common keywords.
    pub settings: BTreeMap<String, SshdSetting>,
    /// `Match` blocks, recorded and not applied.
    pub match_blocks: Vec<SshdMatch>,
    /// The files read, in order.
    pub files: Vec<String>,
}

/// An effective sshd setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshdSetting {
    /// The value(s): one for most keywords, one per line for accumulating ones.
    pub values: Vec<String>,
    /// `path:line` of the first line that set it, or `default`.
    pub origin: String,
}

/// A `Match` block of sshd_config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshdMatch {
    /// The criteria after `Match`.
    pub criteria: String,
    /// `path:line` of the `Match` line.
    pub origin: String,
    /// (lowercase keyword, value) in file order.
    pub settings: Vec<(String, String)>,
}

/// A local user (`/etc/passwd`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
    /// The passwd password field is a real hash or empty rather than `x`/`*`
    /// (the hash itself is never kept).
    pub passwd_field: PasswordState,
}

/// A local group (`/etc/group`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// What a password field holds, never the field itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordState {
    /// Empty: login without a password.
    Empty,
    /// Starts with `!`: locked.
    Locked,
    /// `*` or another value no password can match (`x` in passwd: see shadow).
    NoPassword,
    /// A password hash is set.
    Set,
}

impl PasswordState {
    /// Classifies a shadow (or passwd) password field.
    pub fn of(field: &str) -> Self {
        if field.is_empty() {
            PasswordState::Empty
        } else if field.starts_with('!') {
            PasswordState::Locked
        } else if field.starts_with('$') || field.len() == 13 {
            PasswordState::Set
        } else {
            PasswordState::NoPassword
        }
    }
}

/// A shadow entry's flags and ageing fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShadowEntry {
    pub name: String,
    pub password: PasswordState,
    /// Days since 1970-01-01 of the last change.
    pub last_change: Option<i64>,
    pub min_days: Option<i64>,
    pub max_days: Option<i64>,
    pub warn_days: Option<i64>,
    pub inactive_days: Option<i64>,
}

/// A file's owner and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// `file`, `dir`, `symlink` or `other`.
    pub kind: String,
    /// The permission bits incl. setuid/setgid/sticky (`0o7777` mask).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
}

/// A mount (`/proc/mounts` or `/etc/fstab` line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    pub device: String,
    pub mount_point: String,
    pub fs_type: String,
    pub options: Vec<String>,
}

/// World-writable entries found by a bounded walk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldWritable {
    /// The directories walked.
    pub paths: Vec<String>,
    /// World-writable files, and world-writable directories without the sticky bit.
    pub entries: Vec<WorldWritableEntry>,
    /// How many entries were examined.
    pub examined: usize,
    /// The walk stopped at its bound: the list may be incomplete.
    pub truncated: bool,
    /// Directories that could not be listed (the list may be incomplete there).
    pub unreadable: Vec<String>,
}

/// A world-writable file or directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldWritableEntry {
    pub path: String,
    pub meta: FileMeta,
}

/// Core dump settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreDumps {
    /// `core` lines of `/etc/security/limits.conf` and `limits.d/*.conf`.
    pub limits: Vec<Limit>,
    /// `Storage=` and `ProcessSizeMax=` of `/etc/systemd/coredump.conf`, when set.
    pub systemd: BTreeMap<String, String>,
}

/// A pam_limits line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limit {
    /// `*`, a user, `@group`, ...
    pub domain: String,
    /// `hard`, `soft` or `-` (both).
    pub kind: String,
    pub item: String,
    pub value: String,
    /// `path:line`.
    pub origin: String,
}

/// Something read only in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The telemetry section (`packages`, `sshd`, ...).
    pub section: String,
    /// What went wrong, naming the file and entry.
    pub message: String,
}

impl Telemetry {
    /// Parses a telemetry document; a document from a newer schema is refused.
    pub fn from_json(text: &str) -> Result<Telemetry, TelemetryError> {
        let t: Telemetry = serde_json::from_str(text).map_err(TelemetryError::Json)?;
        if t.schema_version > SCHEMA_VERSION {
            return Err(TelemetryError::NewerSchema(t.schema_version));
        }
        Ok(t)
    }

    /// The document as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).expect("telemetry serializes")
    }
}

/// A telemetry document that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("telemetry is not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error("telemetry schema version {0} is newer than this build reads ({SCHEMA_VERSION}): upgrade rampart")]
    NewerSchema(u32),
}
