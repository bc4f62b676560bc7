//! Differential test: our CVSS v4.0 scores against an independent implementation, the
//! `cvss` Python package (Red Hat Product Security's `cvss.CVSS4`, a port of FIRST's
//! calculator), pinned in `testdata/moto/requirements.txt` and installed by
//! `scripts/test` into the test virtualenv (`$RAMPART_MOTO_VENV`, default
//! `/var/tmp/rampart-venv`).
//!
//! Random valid vectors: every base metric, and random subsets of the threat metric,
//! the environmental metrics (security requirements and modified base metrics) and the
//! supplemental metrics, in the specification's order or shuffled. Every score must
//! agree; supplemental metrics must not change ours.
//!
//! Without the virtualenv the test fails with the command that creates it: a differential
//! test that skips where the reference is missing proves nothing there, silently.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use rampart_vuln::cvss::{base_score, Version};

const VECTORS: usize = 20_000;

/// splitmix64: a small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const BASE: [(&str, &[&str]); 11] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
];

const THREAT_ENVIRONMENTAL: [(&str, &[&str]); 15] = [
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
];

const SUPPLEMENTAL: [(&str, &[&str]); 6] = [
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// A random valid vector, and the same without its supplemental metrics.
fn vector(rng: &mut Rng) -> (String, String) {
    // Vary how many optional metrics a vector sets: none, a few, or most.
    let density = [0, 2, 5, 9][rng.below(4)];
    let mut fields: Vec<(bool, String)> = BASE
        .iter()
        .map(|(m, values)| (false, format!("{m}:{}", rng.pick(values))))
        .collect();
    for (m, values) in THREAT_ENVIRONMENTAL {
        if rng.below(10) < density {
            fields.push((false, format!("{m}:{}", rng.pick(values))));
        }
    }
    for (m, values) in SUPPLEMENTAL {
        if rng.below(10) < density {
            fields.push((true, format!("{m}:{}", rng.pick(values))));
        }
    }
    if rng.below(5) == 0 {
        // Fisher-Yates: the order of the fields must not matter.
        for i in (1..fields.len()).rev() {
            fields.swap(i, rng.below(i + 1));
        }
    }
    let join = |with_supplemental: bool| {
        let parts: Vec<&str> = fields
            .iter()
            .filter(|(s, _)| with_supplemental || !s)
            .map(|(_, f)| f.as_str())
            .collect();
        format!("CVSS:4.0/{}", parts.join("/"))
    };
    (join(true), join(false))
}

const SCRIPT: &str = r#"
import sys
try:
    from cvss import CVSS4
except ImportError:
    sys.exit("python package cvss missing from the virtualenv: run bash scripts/test, which installs testdata/moto/requirements.txt")
out = []
for line in sys.stdin:
    v = line.rstrip("\n")
    try:
        out.append(repr(float(CVSS4(v).base_score)))
    except Exception as e:
        out.append("error: " + type(e).__name__ + ": " + str(e))
sys.stdout.write("\n".join(out) + "\n")
"#;

fn venv_python() -> PathBuf {
    let venv = PathBuf::from(
        std::env::var("RAMPART_MOTO_VENV").unwrap_or_else(|_| "/var/tmp/rampart-venv".into()),
    );
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "the test virtualenv is missing ({} does not exist): run `bash scripts/test`, which \
         creates it with the pinned python package cvss (or: python3 -m venv {venv} && \
         {venv}/bin/pip install -r testdata/moto/requirements.txt)",
        python.display(),
        venv = venv.display(),
    );
    python
}

#[test]
fn cvss4_agrees_with_python_cvss() {
    let python = venv_python();
    let mut rng = Rng(0x5EED_C555_0004);
    let vectors: Vec<(String, String)> = (0..VECTORS).map(|_| vector(&mut rng)).collect();

    let mut child = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input: String = vectors.iter().map(|(v, _)| format!("{v}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("python runs");
    writer
        .join()
        .expect("writer thread")
        .expect("write to python");
    assert!(
        out.status.success(),
        "the python cvss reference failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let theirs: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        theirs.len(),
        vectors.len(),
        "the python cvss reference answered a different number of vectors"
    );

    let mut disagreements = Vec::new();
    let mut distinct = std::collections::BTreeSet::new();
    for ((vector, without_supplemental), theirs) in vectors.iter().zip(&theirs) {
        let ours = base_score(vector).map(|c| {
            assert_eq!(c.version, Version::V4_0);
            c.score
        });
        let plain = base_score(without_supplemental).map(|c| c.score);
        if ours != plain {
            disagreements.push(format!(
                "{vector}: supplemental metrics changed our score: {ours:?} vs {plain:?}"
            ));
        }
        match (ours, theirs.parse::<f64>()) {
            (Ok(a), Ok(b)) if a == b => {
                distinct.insert((a * 10.0).round() as i64);
            }
            (ours, _) => {
                disagreements.push(format!("{vector}: python says {theirs}, we say {ours:?}"))
            }
        }
    }
    eprintln!(
        "cvss4: {} vectors, {} distinct scores, {} disagreements",
        vectors.len(),
        distinct.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} vectors disagree with python cvss, first ones:\n{}",
        disagreements.len(),
        vectors.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
    // The generator must reach across the scale, not cluster in a few MacroVectors.
    assert!(
        distinct.len() > 80,
        "only {} distinct scores",
        distinct.len()
    );
}
