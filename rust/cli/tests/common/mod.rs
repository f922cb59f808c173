//! What the CLI tests share: the real `s3adt` binary and a scratch directory per test binary.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

/// `s3adt ARGS` in the test's own environment.
pub fn s3adt<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_s3adt"))
        .args(args)
        .output()
        .unwrap()
}

/// `s3adt ARGS` against a test server: no Hadoop configuration directory, no instance metadata.
pub fn s3adt_isolated<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_s3adt"))
        .args(args)
        .env_remove("HADOOP_CONF_DIR")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

/// `name` in this test binary's scratch directory (s3adt-cli-PID for tests/cli.rs, and so on).
pub fn tmp(name: &str) -> PathBuf {
    let binary = env!("CARGO_CRATE_NAME").replace('_', "-");
    let dir = std::env::temp_dir().join(format!("s3adt-{binary}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The stderr of a command that failed with exit code 1 (`ExitCode::FAILURE`), which says `says`.
pub fn failed_saying(out: &Output, says: &str) -> String {
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(err.contains(says), "{err}");
    err
}
