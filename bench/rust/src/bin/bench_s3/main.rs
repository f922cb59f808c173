//! The Rust side of `bench/data.sh` (the data-path benchmark): the same operations the JVM
//! program (bench/data, DataBench.java) makes through the Hadoop FileSystem API, here made by
//!
//! - `--mode bare`: aws-sdk-s3 used directly, the ceiling: one client (rustls/ring HTTP client,
//!   SDK retries at their defaults, checksums only where S3 requires one, as s3adt and
//!   hadoop-aws 3.4.1's SDK); a multipart upload in parts of `--part-size` with at most
//!   `--active` parts in flight, filled from 1 MiB application buffers; one streaming GET read
//!   into a 1 MiB buffer; small objects one PUT / one GET each, one after the other; listings
//!   as ListObjectsV2 pages of `--page` keys (recursive: no delimiter; "status": delimiter "/").
//! - `--mode store`: the same through s3adt's own `S3Store` (what the JNI natives call), without
//!   the JVM: `open_write` + `write` 1 MiB at a time + `close`, `open_read` + `read`, `list`.
//!
//! and the benchmark's untimed chores:
//!
//! - `--mode setup`: create both buckets if missing (moto), and make sure `--list-keys` empty
//!   objects `LIST_PREFIX/k00000..` exist in the list bucket (PUT `--parallel` at a time; skipped when a listing
//!   already counts them).
//! - `--mode cleanup`: delete every object under `--prefix`.
//!
//! Prints `key=value` lines on stdout (the same keys as DataBench): init_ms, write_s, read_s,
//! small_create_s, small_read_s, small_openfile_s (the FileSystem's openFile with the length:
//! store reads with the length known, no HEAD; bare repeats its GET), small_create_perf_s
//! (create.performance: the same PUT again, under small-perf/), list_files_s, list_files_n,
//! list_status_s, list_status_n,
//! plus size and small_n, and rss_PHASE_mib, the peak RSS of each phase (start: up to the end of
//! the warm-up; write; read; small: create and read; list), reset between phases, and
//! cpu_PHASE_s, the CPU time (user + system, all threads) each phase used; progress and errors on stderr, exit 1 on any failure (a byte read back
//! that differs from the one written is a failure).
//!
//! usage: bench_s3 --mode bare|store|setup|cleanup --endpoint http://127.0.0.1:PORT
//!                 --access-key AK --secret-key SK --bucket B [--list-bucket LB] [--prefix data/bare]
//!                 [--size 268435456] [--part-size 67108864] [--active 4] [--small 1000]
//!                 [--small-size 1024] [--list-prefix data/list] [--list-keys 10000]
//!                 [--page 1000] [--parallel 32] [--region us-east-1]

mod args;
mod bare;
mod chores;
mod common;
mod store;

use args::{die, parse};

const MIB: usize = 1024 * 1024;

fn main() {
    let a = parse();
    match a.mode.as_str() {
        // The bare client on a runtime of its own (multi-threaded, one worker per core).
        "bare" => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(bare::bare(&a)),
        // s3adt's code on s3adt's runtime, as the JNI natives run it.
        "store" => s3adt_core::runtime::block_on(store::with_store(&a)),
        "setup" => s3adt_core::runtime::block_on(chores::setup(&a)),
        "cleanup" => s3adt_core::runtime::block_on(chores::cleanup(&a)),
        m => die(&format!("unknown --mode {m}")),
    }
}
