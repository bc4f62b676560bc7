//! Integration-test harness: a moto server of its own per test, on a free loopback port,
//! planted by `plant.py`. Shared by the test binaries with `#[path]`.
//!
//! Needs the virtualenv that `.ci/run` (or `scripts/test`) creates; its location is
//! `$RAMPART_MOTO_VENV`, default `/var/tmp/rampart-venv`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn venv() -> PathBuf {
    let v = PathBuf::from(std::env::var("RAMPART_MOTO_VENV").unwrap_or_else(|_| "/var/tmp/rampart-venv".into()));
    assert!(
        v.join("bin/moto_server").exists(),
        "moto is not installed at {}: run `bash scripts/test` (or .ci/run), which creates it",
        v.display()
    );
    v
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind a loopback port").local_addr().unwrap().port()
}

/// A child process killed on drop.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until_up(port: u16, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            let mut buf = [0u8; 12];
            if s.read(&mut buf).map(|n| n > 0).unwrap_or(false) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server on port {port} did not come up within 60 s");
}

/// Starts moto on a free port, without its catalogue of public AMIs (faster; instances then
/// report no virtualization type of their own).
pub fn moto() -> Server {
    moto_server(false)
}

/// Starts moto on a free port with its catalogue of public AMIs (HVM and paravirtual).
pub fn moto_with_amis() -> Server {
    moto_server(true)
}

fn moto_server(amis: bool) -> Server {
    let port = free_port();
    let child = Command::new(venv().join("bin/moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .env("MOTO_EC2_LOAD_DEFAULT_AMIS", if amis { "true" } else { "false" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto_server");
    let s = Server { child, url: format!("http://127.0.0.1:{port}") };
    wait_until_up(port, "/moto-api/");
    s
}

/// Starts the AccessDenied proxy in front of `upstream` for the given rules.
pub fn deny_proxy(upstream: &Server, rules: &[&str]) -> Server {
    let port = free_port();
    let child = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/deny_proxy.py"))
        .arg(port.to_string())
        .arg(&upstream.url)
        .args(rules)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start deny_proxy.py");
    let s = Server { child, url: format!("http://127.0.0.1:{port}") };
    wait_until_up(port, "/moto-api/");
    s
}

/// Plants the test account (see `plant.py`).
pub fn plant(server: &Server, args: &[&str]) {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo_root().join("testdata/moto/plant.py"))
        .arg(&server.url)
        .args(args)
        .output()
        .expect("run plant.py");
    assert!(out.status.success(), "plant.py failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Environment for an AWS client pointed at the emulator: static test credentials, nothing
/// from the developer's own AWS configuration.
pub fn aws_env(cmd: &mut Command) -> &mut Command {
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
}
