//! Who and where a token is issued: the user (as UGI names it without Kerberos) and the origin
//! text hadoop-aws puts into every identifier.

use s3adt_token::javatime::iso_instant;
use std::time::{SystemTime, UNIX_EPOCH};

/// The user a token is issued for: `HADOOP_USER_NAME` (as UGI honours it without Kerberos),
/// else the name of the process's user (what the JVM's `user.name` is).
pub fn current_user() -> String {
    std::env::var("HADOOP_USER_NAME")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(user_of_this_process)
        .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(unix)]
fn user_of_this_process() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        let name = f.next()?;
        (f.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_owned())
    })
}

#[cfg(not(unix))]
fn user_of_this_process() -> Option<String> {
    None
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

pub(super) fn now_nanos() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// `AbstractS3ATokenIdentifier.createDefaultOriginMessage()`, microsecond precision as a JVM on
/// Linux gives.
pub fn default_origin() -> String {
    let micros = now_nanos() / 1000 * 1000;
    format!("Created on {} at time {}.", hostname(), iso_instant(micros))
}
