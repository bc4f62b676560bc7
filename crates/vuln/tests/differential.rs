//! Differential tests: our dpkg and rpm orderings against the real implementations,
//! python-apt's `apt_pkg.version_compare` and python3-rpm's `rpm.labelCompare`.
//!
//! Needs the Debian packages `python3-apt` and `python3-rpm` (`apt-get install -y
//! python3-apt python3-rpm`). Each scheme runs one Python process fed a batch of
//! version pairs on stdin; every answer must agree with ours.

use std::cmp::Ordering;
use std::io::Write;
use std::process::{Command, Stdio};

use rampart_vuln::version::{dpkg, rpm};

const PAIRS: usize = 100_000;
const PYTHON: &str = "/usr/bin/python3";

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
    fn string(&mut self, alphabet: &[u8], max: usize) -> String {
        let len = 1 + self.below(max);
        (0..len)
            .map(|_| char::from(alphabet[self.below(alphabet.len())]))
            .collect()
    }
}

/// Builds a version from pieces that exercise the interesting rules.
fn piece(rng: &mut Rng, alphabet: &[u8]) -> String {
    const PIECES: &[&str] = &[
        "0", "1", "2", "9", "10", "01", "00", "123", ".", "+", "~", "~~", "a", "b", "Z", "rc",
        "rc1", "~rc1", "~beta2", "git", "dfsg", "+b1", "+deb12u1", "ubuntu1", "el9", "_", "^",
        "^git1", "a0",
    ];
    if rng.below(3) == 0 {
        rng.string(alphabet, 3)
    } else {
        rng.pick(PIECES)
            .chars()
            .filter(|c| alphabet.contains(&(*c as u8)))
            .collect()
    }
}

fn part(rng: &mut Rng, alphabet: &[u8], first_digit: bool) -> String {
    let mut s = String::new();
    if first_digit {
        s.push(char::from(b'0' + rng.below(10) as u8));
    }
    for _ in 0..rng.below(5) {
        s.push_str(&piece(rng, alphabet));
    }
    if s.is_empty() {
        s.push('1');
    }
    s
}

/// A second version close to `v`: most random pairs differ in their first character,
/// which tests little, so mutate instead.
fn mutate(rng: &mut Rng, v: &str, alphabet: &[u8]) -> String {
    let mut chars: Vec<char> = v.chars().collect();
    match rng.below(6) {
        0 => return v.to_owned(),
        1 if !chars.is_empty() => {
            let k = rng.below(chars.len());
            chars[k] = char::from(alphabet[rng.below(alphabet.len())]);
        }
        2 => {
            let k = rng.below(chars.len() + 1);
            chars.insert(k, char::from(alphabet[rng.below(alphabet.len())]));
        }
        3 if chars.len() > 1 => {
            chars.remove(rng.below(chars.len()));
        }
        _ => chars.extend(piece(rng, alphabet).chars()),
    }
    chars.into_iter().collect()
}

fn run_python(script: &str, input: &str, what: &str) -> Vec<Ordering> {
    let mut child = Command::new(PYTHON)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {PYTHON}: {e}; install the Debian package python3"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let data = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(data.as_bytes()));
    let out = child.wait_with_output().expect("python runs");
    // A missing module makes Python exit before reading its input: say what to install
    // before looking at the (then broken) pipe.
    assert!(
        out.status.success(),
        "the {what} reference failed; install the Debian packages python3-apt and python3-rpm \
         (apt-get install -y python3-apt python3-rpm):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    writer
        .join()
        .expect("writer thread")
        .expect("write to python");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| match l {
            "-1" => Ordering::Less,
            "0" => Ordering::Equal,
            "1" => Ordering::Greater,
            other => panic!("unexpected answer `{other}` from the {what} reference"),
        })
        .collect()
}

fn check(
    pairs: &[(String, String)],
    ours: impl Fn(&str, &str) -> Ordering,
    theirs: &[Ordering],
    what: &str,
) {
    assert_eq!(
        theirs.len(),
        pairs.len(),
        "the {what} reference answered a different number of pairs"
    );
    let disagreements: Vec<String> = pairs
        .iter()
        .zip(theirs)
        .filter(|((a, b), want)| ours(a, b) != **want)
        .map(|((a, b), want)| {
            format!(
                "`{a}` vs `{b}`: {what} says {want:?}, we say {:?}",
                ours(a, b)
            )
        })
        .collect();
    let equal = theirs.iter().filter(|o| **o == Ordering::Equal).count();
    eprintln!(
        "{what}: {} pairs, {equal} equal, {} disagreements",
        pairs.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} pairs disagree with {what}, first ones:\n{}",
        disagreements.len(),
        pairs.len(),
        disagreements
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

const APT: &str = r#"
import sys
try:
    import apt_pkg
except ImportError:
    sys.exit("python module apt_pkg missing: apt-get install -y python3-apt")
apt_pkg.init_system()
out = []
for line in sys.stdin:
    a, b = line.rstrip("\n").split("\t")
    r = apt_pkg.version_compare(a, b)
    out.append("1" if r > 0 else "-1" if r < 0 else "0")
sys.stdout.write("\n".join(out) + "\n")
"#;

const RPM: &str = r#"
import sys
try:
    import rpm
except ImportError:
    sys.exit("python module rpm missing: apt-get install -y python3-rpm")
out = []
for line in sys.stdin:
    ea, va, ra, eb, vb, rb = line.rstrip("\n").split("\t")
    r = rpm.labelCompare((ea or None, va, ra), (eb or None, vb, rb))
    out.append("1" if r > 0 else "-1" if r < 0 else "0")
sys.stdout.write("\n".join(out) + "\n")
"#;

#[test]
fn dpkg_agrees_with_python_apt() {
    let mut rng = Rng(0x5EED_DEB1);
    let alphabet = b"0123456789abczAZ.+~";
    let version = |rng: &mut Rng| {
        let epoch = match rng.below(6) {
            0 => format!("{}:", rng.below(3)),
            1 => "00:".to_owned(),
            _ => String::new(),
        };
        let upstream = part(rng, alphabet, true);
        match rng.below(3) {
            0 => format!("{epoch}{upstream}"),
            1 => format!("{epoch}{upstream}-{}", part(rng, alphabet, false)),
            _ => format!(
                "{epoch}{upstream}-{}-{}",
                part(rng, alphabet, false),
                part(rng, alphabet, false)
            ),
        }
    };
    let pairs: Vec<(String, String)> = (0..PAIRS)
        .map(|_| {
            // Only valid versions: dpkg refuses the others, and apt's answers on an
            // empty epoch, upstream or revision are artifacts of its parser.
            let a = version(&mut rng);
            assert!(
                dpkg::is_valid(&a),
                "the generator made an invalid version `{a}`"
            );
            loop {
                let b = if rng.below(4) == 0 {
                    version(&mut rng)
                } else {
                    mutate(&mut rng, &a, alphabet)
                };
                if dpkg::is_valid(&b) {
                    break (a, b);
                }
            }
        })
        .collect();
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let theirs = run_python(APT, &input, "apt_pkg.version_compare");
    check(&pairs, dpkg::compare, &theirs, "apt_pkg.version_compare");
}

#[test]
fn rpm_agrees_with_python_rpm() {
    let mut rng = Rng(0x5EED_0F4B);
    let alphabet = b"0123456789abzAZ._+~^";
    let evr = |rng: &mut Rng| {
        let epoch = match rng.below(4) {
            0 => rng.below(3).to_string(),
            _ => String::new(),
        };
        let first_digit = rng.below(4) != 0;
        (
            epoch,
            part(rng, alphabet, first_digit),
            part(rng, alphabet, false),
        )
    };
    let pairs: Vec<[(String, String, String); 2]> = (0..PAIRS)
        .map(|_| {
            let a = evr(&mut rng);
            let b = match rng.below(4) {
                0 => evr(&mut rng),
                1 => (a.0.clone(), a.1.clone(), mutate(&mut rng, &a.2, alphabet)),
                _ => (a.0.clone(), mutate(&mut rng, &a.1, alphabet), a.2.clone()),
            };
            [a, b]
        })
        .collect();
    let input: String = pairs
        .iter()
        .map(|[(ea, va, ra), (eb, vb, rb)]| format!("{ea}\t{va}\t{ra}\t{eb}\t{vb}\t{rb}\n"))
        .collect();
    let theirs = run_python(RPM, &input, "rpm.labelCompare");
    let label = |(e, v, r): &(String, String, String)| {
        if e.is_empty() {
            format!("{v}-{r}")
        } else {
            format!("{e}:{v}-{r}")
        }
    };
    let labels: Vec<(String, String)> = pairs.iter().map(|[a, b]| (label(a), label(b))).collect();
    check(&labels, rpm::compare, &theirs, "rpm.labelCompare");
}
