//! Go modules compiled into a binary: the build info Go ≥ 1.18 embeds in the
//! `.go.buildinfo` section.
//!
//! The section starts with a 32-byte header: the 14-byte magic `\xff Go buildinf:`,
//! the pointer size, a flags byte (`0x2`: strings inline), padding; then two
//! varint-length-prefixed strings: the Go version (`go1.21.3`) and the module info,
//! framed by 16 sentinel bytes each side, whose lines are `path\t<pkg>`,
//! `mod\t<path>\t<version>\t<sum>`, `dep\t<path>\t<version>\t<sum>`, and
//! `=>\t<path>\t<version>\t<sum>` (a replacement of the line above).

use crate::error::EntryError;

/// The magic at the start of the build info.
pub const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
const FLAG_INLINE: u8 = 0x2;
/// How much of the section the build info may span (as Go's `debug/buildinfo`).
pub const MAX_LEN: usize = 64 * 1024;

/// A module compiled into a binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoModule {
    pub path: String,
    pub version: String,
}

/// A binary's build info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// `go1.21.3`.
    pub go_version: String,
    /// The main package's import path (`path` line).
    pub main_package: Option<String>,
    /// The main module (`mod` line); its version is `(devel)` for local builds.
    pub main_module: Option<GoModule>,
    /// The dependencies, replacements applied.
    pub deps: Vec<GoModule>,
}

/// Finds and parses the build info in `data` (a whole binary or its `.go.buildinfo`
/// section): `Ok(None)` when there is none (not a Go binary).
pub fn parse(data: &[u8]) -> Result<Option<BuildInfo>, EntryError> {
    let Some(start) = (0..data.len().saturating_sub(MAGIC.len() - 1))
        .step_by(16)
        .find(|&i| data[i..].starts_with(MAGIC))
    else {
        return Ok(None);
    };
    let info = &data[start..data.len().min(start + MAX_LEN)];
    if info.len() < 32 {
        return Err(EntryError::whole("build info header is truncated"));
    }
    if info[15] & FLAG_INLINE == 0 {
        return Err(EntryError::whole(
            "build info of Go before 1.18 (pointer format) is not supported",
        ));
    }
    let mut rest = &info[32..];
    let go_version =
        read_string(&mut rest).ok_or_else(|| EntryError::whole("truncated Go version string"))?;
    let modinfo =
        read_string(&mut rest).ok_or_else(|| EntryError::whole("truncated module info string"))?;
    let go_version = String::from_utf8_lossy(go_version).into_owned();
    // Strip the 16-byte sentinels around the module info.
    let modinfo = if modinfo.len() >= 33 && modinfo[modinfo.len() - 17] == b'\n' {
        &modinfo[16..modinfo.len() - 16]
    } else {
        &[][..]
    };
    let (main_package, main_module, deps) = parse_modinfo(&String::from_utf8_lossy(modinfo))?;
    Ok(Some(BuildInfo {
        go_version,
        main_package,
        main_module,
        deps,
    }))
}

/// Parses the module info lines.
#[allow(clippy::type_complexity)]
pub fn parse_modinfo(
    text: &str,
) -> Result<(Option<String>, Option<GoModule>, Vec<GoModule>), EntryError> {
    let mut path = None;
    let mut main = None;
    let mut deps: Vec<GoModule> = Vec::new();
    // Whether the last `mod`/`dep` line went to `main` (for `=>`).
    let mut last_is_main = false;
    for (k, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let module = || match fields.get(1..3) {
            Some([p, v]) if !p.is_empty() => Ok(GoModule {
                path: (*p).to_owned(),
                version: (*v).to_owned(),
            }),
            _ => Err(EntryError::new(
                format!("line {}", k + 1),
                format!("malformed `{}` line", fields[0]),
            )),
        };
        match fields[0] {
            "path" => path = fields.get(1).map(|s| (*s).to_owned()),
            "mod" => {
                main = Some(module()?);
                last_is_main = true;
            }
            "dep" => {
                deps.push(module()?);
                last_is_main = false;
            }
            "=>" => {
                let m = module()?;
                match (last_is_main, deps.last_mut(), main.as_mut()) {
                    (false, Some(d), _) => *d = m,
                    (true, _, Some(mm)) => *mm = m,
                    _ => {
                        return Err(EntryError::new(
                            format!("line {}", k + 1),
                            "replacement `=>` without a module above it",
                        ))
                    }
                }
            }
            _ => {} // build settings, blank lines
        }
    }
    Ok((path, main, deps))
}

fn read_string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let mut len: u64 = 0;
    let mut shift = 0;
    loop {
        let (&b, tail) = rest.split_first()?;
        *rest = tail;
        if shift > 63 {
            return None;
        }
        len |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let len = usize::try_from(len).ok()?;
    let s = rest.get(..len)?;
    *rest = &rest[len..];
    Some(s)
}

/// Locates the `.go.buildinfo` section of an ELF file through `read_at(offset, len)`:
/// (file offset, size). `None` for non-ELF files or ELF files without the section.
pub fn elf_section(
    read_at: &mut dyn FnMut(u64, usize) -> Option<Vec<u8>>,
    wanted: &str,
) -> Option<(u64, u64)> {
    let ident = read_at(0, 64)?;
    if ident.get(..4)? != b"\x7fELF" {
        return None;
    }
    let is64 = match ident[4] {
        1 => false,
        2 => true,
        _ => return None,
    };
    let le = match ident[5] {
        1 => true,
        2 => false,
        _ => return None,
    };
    let uint = |b: &[u8]| -> u64 {
        let mut v: u64 = 0;
        for (i, byte) in b.iter().enumerate() {
            if le {
                v |= u64::from(*byte) << (8 * i);
            } else {
                v = (v << 8) | u64::from(*byte);
            }
        }
        v
    };
    let (shoff, shentsize, shnum, shstrndx) = if is64 {
        (
            uint(&ident[0x28..0x30]),
            uint(&ident[0x3a..0x3c]),
            uint(&ident[0x3c..0x3e]),
            uint(&ident[0x3e..0x40]),
        )
    } else {
        (
            uint(&ident[0x20..0x24]),
            uint(&ident[0x2e..0x30]),
            uint(&ident[0x30..0x32]),
            uint(&ident[0x32..0x34]),
        )
    };
    let min_ent = if is64 { 64 } else { 40 };
    if shoff == 0 || shnum == 0 || shnum > 0xffff || shentsize < min_ent || shstrndx >= shnum {
        return None;
    }
    let table = read_at(shoff, usize::try_from(shnum * shentsize).ok()?)?;
    let section = |i: u64| -> Option<(u64, u64, u64)> {
        let e = table.get(usize::try_from(i * shentsize).ok()?..)?;
        Some(if is64 {
            (
                uint(e.get(0..4)?),
                uint(e.get(0x18..0x20)?),
                uint(e.get(0x20..0x28)?),
            )
        } else {
            (
                uint(e.get(0..4)?),
                uint(e.get(0x10..0x14)?),
                uint(e.get(0x14..0x18)?),
            )
        })
    };
    let (_, str_off, str_size) = section(shstrndx)?;
    let names = read_at(str_off, usize::try_from(str_size.min(1 << 20)).ok()?)?;
    (0..shnum).find_map(|i| {
        let (name, off, size) = section(i)?;
        let n = names.get(usize::try_from(name).ok()?..)?;
        let n = &n[..n.iter().position(|b| *b == 0)?];
        (n == wanted.as_bytes()).then_some((off, size))
    })
}

/// Builds a build info blob (header + inline strings): for tests and fuzz seeds.
pub fn build_blob(go_version: &str, modinfo: &str) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(8);
    out.push(FLAG_INLINE);
    out.resize(32, 0);
    let mut framed = vec![0x30u8; 16];
    framed.extend_from_slice(modinfo.as_bytes());
    framed.extend_from_slice(&[0xf9u8; 16]);
    for s in [go_version.as_bytes(), &framed[..]] {
        let mut n = s.len();
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
        out.extend_from_slice(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODINFO: &str = "path\tgithub.com/acme/tool\nmod\tgithub.com/acme/tool\t(devel)\t\ndep\tgolang.org/x/net\tv0.17.0\th1:abc=\ndep\tgithub.com/old/dep\tv1.0.0\th1:x=\n=>\tgithub.com/new/dep\tv1.2.0\th1:y=\nbuild\t-compiler=gc\nbuild\tCGO_ENABLED=0\n";

    #[test]
    fn parses_inline_build_info_at_any_aligned_offset() {
        let mut binary = vec![0u8; 4096];
        binary.extend(build_blob("go1.21.3", MODINFO));
        binary.extend([0u8; 100]);
        let info = parse(&binary).unwrap().unwrap();
        assert_eq!(info.go_version, "go1.21.3");
        assert_eq!(info.main_package.as_deref(), Some("github.com/acme/tool"));
        assert_eq!(info.main_module.unwrap().version, "(devel)");
        assert_eq!(
            info.deps,
            [
                GoModule {
                    path: "golang.org/x/net".into(),
                    version: "v0.17.0".into()
                },
                GoModule {
                    path: "github.com/new/dep".into(),
                    version: "v1.2.0".into()
                },
            ]
        );
    }

    #[test]
    fn not_go_and_malformed() {
        assert_eq!(parse(b"\x7fELF just some bytes").unwrap(), None);
        let mut old = build_blob("go1.16", "");
        old[15] = 0;
        assert!(parse(&old).unwrap_err().to_string().contains("before 1.18"));
        let blob = build_blob("go1.22.0", MODINFO);
        assert!(parse(&blob[..40])
            .unwrap_err()
            .to_string()
            .contains("truncated"));
        assert!(parse_modinfo("=>\ta\tv1\n").is_err());
        assert_eq!(
            parse_modinfo("dep\tonly-path\n").unwrap_err().to_string(),
            "entry `line 1`: malformed `dep` line"
        );
    }

    /// A binary built here by the real Go toolchain (no network: a module without
    /// dependencies, `GOPROXY=off`), read through its ELF section. Without Go the test fails
    /// with the command that installs it; it never passes without reading a binary.
    #[test]
    fn reads_a_real_go_binary_through_its_elf_section() {
        use std::process::Command;
        const INSTALL: &str =
            "this test builds a Go program: install Go (Debian: `apt-get install -y golang-go`)";
        let version = Command::new("go")
            .arg("env")
            .arg("GOVERSION")
            .output()
            .unwrap_or_else(|e| panic!("cannot run `go` ({e}): {INSTALL}"));
        assert!(
            version.status.success(),
            "`go env GOVERSION` failed: {INSTALL}"
        );
        let go_version = String::from_utf8(version.stdout)
            .unwrap()
            .trim()
            .to_string();

        let dir = std::env::temp_dir().join(format!("rampart-gobin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("go.mod"),
            "module example.com/rampart/gobintest\n\ngo 1.18\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("main.go"),
            "package main\n\nfunc main() { println(\"hello\") }\n",
        )
        .unwrap();
        let out = Command::new("go")
            .args(["build", "-o", "hello", "."])
            .current_dir(&dir)
            .env("GOPROXY", "off")
            .env("GOTOOLCHAIN", "local")
            .env("GOFLAGS", "-mod=mod")
            .env("GOCACHE", dir.join("cache"))
            .env("GOPATH", dir.join("gopath"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "go build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(dir.join("hello")).unwrap();
        let mut read_at = |off: u64, len: usize| {
            let mut buf = vec![0; len];
            file.read_exact_at(&mut buf, off).ok().map(|_| buf)
        };
        let (off, size) =
            elf_section(&mut read_at, ".go.buildinfo").expect("a Go binary has .go.buildinfo");
        let section = read_at(off, size.min(MAX_LEN as u64) as usize).unwrap();
        let info = parse(&section).unwrap().expect("build info");
        // The build cache is written read-only by Go; make it removable first.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+w")
            .arg(&dir)
            .status();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(info.go_version, go_version);
        assert_eq!(
            info.main_package.as_deref(),
            Some("example.com/rampart/gobintest")
        );
        assert_eq!(
            info.main_module.as_ref().map(|m| m.path.as_str()),
            Some("example.com/rampart/gobintest")
        );
    }
}
