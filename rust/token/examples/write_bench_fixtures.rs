//! Writes the benchmark's bytes for the Java side: `DIR/session.url` (one Session token as a
//! URL string) and `DIR/tokens-1000.writable`.
//!
//! usage: cargo run --release --example write_bench_fixtures -- DIR

#[path = "../tests/common/bench_data.rs"]
mod bench_data;

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: write_bench_fixtures DIR"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("session.url"),
        bench_data::session_token(0).encode_to_url_string(),
    )
    .unwrap();
    bench_data::thousand_token_file()
        .write_path(
            dir.join("tokens-1000.writable"),
            s3adt_token::TokenFileFormat::Writable,
        )
        .unwrap();
    println!("wrote {}", dir.display());
}
