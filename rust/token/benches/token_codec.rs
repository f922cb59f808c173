//! Token codec speed: decode and encode one Session token, read a 1,000-token file. The same
//! bytes are decoded by hadoop-aws's own classes in `bench/token-codec.sh`, which prints both
//! and the ratio.

#[path = "../tests/common/bench_data.rs"]
mod bench_data;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use s3adt_token::{Token, TokenFile, TokenFileFormat};

fn codec(c: &mut Criterion) {
    let token = bench_data::session_token(0);
    let url = token.encode_to_url_string();
    let id = token.decode_s3a_identifier().unwrap();
    let file = bench_data::thousand_token_file().encode(TokenFileFormat::Writable);

    c.bench_function("decode_session_token", |b| {
        b.iter(|| {
            let t = Token::decode_from_url_string(black_box(&url)).unwrap();
            black_box(t.decode_s3a_identifier().unwrap())
        })
    });
    c.bench_function("encode_session_identifier", |b| {
        b.iter(|| black_box(black_box(&id).to_bytes().unwrap()))
    });
    c.bench_function("read_1000_token_file", |b| {
        b.iter(|| black_box(TokenFile::decode(black_box(&file)).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = codec
}
criterion_main!(benches);
