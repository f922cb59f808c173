//! The benchmark's three operations in a plain loop, for profilers and counters (criterion's own
//! loop is timed by wall clock, which other jobs on the machine disturb;
//! this loop also prints the thread's CPU time per iteration, which they disturb less):
//!
//!   cargo build --release --workspace --example token_codec_loop
//!   target/release/examples/token_codec_loop file 2000
//!   perf record -g target/release/examples/token_codec_loop file 2000
//!
//! usage: token_codec_loop decode|encode|file ITERATIONS   (the bytes of bench/token-codec.sh)

#[path = "../tests/common/bench_data.rs"]
mod bench_data;

use s3adt_token::{Token, TokenFile, TokenFileFormat};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let (op, n) = match (args.next(), args.next().and_then(|n| n.parse::<u64>().ok())) {
        (Some(op), Some(n)) => (op, n),
        _ => {
            eprintln!("usage: token_codec_loop decode|encode|file ITERATIONS");
            std::process::exit(2)
        }
    };
    let token = bench_data::session_token(0);
    let url = token.encode_to_url_string();
    let id = token.decode_s3a_identifier().unwrap();
    let file = bench_data::thousand_token_file().encode(TokenFileFormat::Writable);
    let (start, cpu_start) = (std::time::Instant::now(), thread_cpu_ns());
    for _ in 0..n {
        match op.as_str() {
            "decode" => {
                let t = Token::decode_from_url_string(black_box(&url)).unwrap();
                black_box(t.decode_s3a_identifier().unwrap());
            }
            "encode" => {
                black_box(black_box(&id).to_bytes().unwrap());
            }
            "file" => {
                black_box(TokenFile::decode(black_box(&file)).unwrap());
            }
            other => panic!("unknown operation {other}"),
        }
    }
    let wall = start.elapsed().as_nanos() as f64 / n as f64;
    let cpu = (thread_cpu_ns() - cpu_start) as f64 / n as f64;
    println!("{op} {n} iterations: {cpu:.0} ns CPU, {wall:.0} ns wall clock each");
}

/// This thread's CPU time: less disturbed by other jobs than the wall clock (not undisturbed:
/// they share caches and cores).
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}
