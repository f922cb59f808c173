//! A private moto server (STS, IAM, S3, instance metadata) on a free loopback port for one test
//! binary, and a fault-injecting loopback proxy to put in front of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Moto {
    pub endpoint: String,
    pub port: u16,
    child: Child,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `python3 -c script args...` (boto3 and the like) and returns its stdout; a failure
/// fails the test with `what` and the script's stderr.
pub fn python(script: &str, args: &[&str], what: &str) -> Vec<u8> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

impl Moto {
    pub fn start() -> Moto {
        let port = free_port();
        // The server lives in a static in most test binaries, and statics are never dropped:
        // a watchdog thread ends it when the test process that started it is gone.
        let launcher = r#"
import os, sys, threading, time
ppid = os.getppid()
def watch():
    while os.getppid() == ppid:
        time.sleep(0.5)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(['-H', '127.0.0.1', '-p', sys.argv[1]])
"#;
        let child = Command::new("python3")
            .args(["-c", launcher, &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m moto.server (pip install 'moto[server]')");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            child,
        }
    }

    /// Create IAM user `alice` (with a key and an s3/sts policy), role `s3-restricted`, buckets
    /// `bucket-a` and `bucket-b`; returns (access key, secret key, role ARN).
    pub fn setup_iam(&self) -> (String, String, String) {
        let script = r#"
import boto3, json, sys
ep = sys.argv[1]
kw = dict(endpoint_url=ep, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
iam = boto3.client("iam", **kw)
iam.create_user(UserName="alice")
key = iam.create_access_key(UserName="alice")["AccessKey"]
pol = iam.create_policy(PolicyName="all", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "sts:*", "iam:*"], "Resource": "*"}]}))
iam.attach_user_policy(UserName="alice", PolicyArn=pol["Policy"]["Arn"])
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="s3-restricted", AssumeRolePolicyDocument=json.dumps(trust))
s3 = boto3.client("s3", **kw)
for b in ("bucket-a", "bucket-b"):
    s3.create_bucket(Bucket=b)
    s3.put_object(Bucket=b, Key="hello.txt", Body=b"hello from " + b.encode())
print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"], role["Role"]["Arn"]]))
"#;
        let out = python(script, &[&self.endpoint], "moto setup");
        let v: Vec<String> = serde_json::from_slice(&out).unwrap();
        (v[0].clone(), v[1].clone(), v[2].clone())
    }

    /// From now on moto checks signatures and IAM policies.
    pub fn auth_on(&self) {
        let out = Command::new("curl")
            .args([
                "-sf",
                "-X",
                "POST",
                "-H",
                "Content-Type: text/plain",
                "--data",
                "0",
                &format!("{}/moto-api/reset-auth", self.endpoint),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "reset-auth failed");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the proxy does with one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// An STS-style XML error with this status and code.
    Error(u16, &'static str),
    /// Close the connection without answering.
    Drop,
    /// Accept, read, never answer (until the proxy shuts down).
    Hang,
    /// Pass to the upstream server.
    Forward,
}

/// A loopback proxy that answers the first requests with scripted faults, then forwards.
pub struct FaultProxy {
    pub endpoint: String,
    pub seen: Arc<AtomicUsize>,
}

impl FaultProxy {
    pub fn start(upstream_port: u16, script: Vec<Fault>) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(script.into_iter()));
        let counter = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let fault = script.lock().unwrap().next().unwrap_or(Fault::Forward);
                counter.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || handle(stream, fault, upstream_port));
            }
        });
        FaultProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            seen,
        }
    }

    pub fn requests(&self) -> usize {
        self.seen.load(Ordering::SeqCst)
    }
}

fn read_request(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
    }
}

fn handle(mut s: TcpStream, fault: Fault, upstream_port: u16) {
    let Some(req) = read_request(&mut s) else {
        return;
    };
    match fault {
        Fault::Drop => {}
        Fault::Hang => std::thread::sleep(Duration::from_secs(120)),
        Fault::Error(status, code) => {
            let body = format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>injected {code}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
            );
            let resp = format!(
                "HTTP/1.1 {status} Injected\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes());
        }
        Fault::Forward => {
            // Ask upstream to close after answering, then relay its bytes.
            // Split at the end of the headers in bytes: a binary body need not be UTF-8.
            let Some(end) = req.windows(4).position(|w| w == b"\r\n\r\n") else {
                return;
            };
            let text = String::from_utf8_lossy(&req[..end]).into_owned();
            forward(&text, &req[end + 4..], upstream_port, &mut s);
        }
    }
}

/// Send one request (`head` without its blank line, then `body`) to the server on
/// `upstream_port`, asking it to close after answering, and relay its bytes to `client`. Shared
/// by FaultProxy and the Recorder.
pub fn forward(head: &str, body: &[u8], upstream_port: u16, client: &mut TcpStream) {
    let kept: Vec<&str> = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut fwd = kept.join("\r\n").into_bytes();
    fwd.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    fwd.extend_from_slice(body);
    let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream_port)) else {
        return;
    };
    let _ = up.write_all(&fwd);
    let mut resp = Vec::new();
    let _ = up.read_to_end(&mut resp);
    let _ = client.write_all(&resp);
}
