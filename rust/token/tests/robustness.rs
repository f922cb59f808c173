//! Every decoder gets random and mutated bytes: none may panic, and none may allocate out of
//! proportion to its input (measured with a counting allocator around each call). Bounded:
//! a fixed number of proptest cases, then a seeded mutation loop for S3ADT_FUZZ_SECONDS
//! (default 5). `rust/fuzz` has cargo-fuzz targets for longer runs.

mod common;

use proptest::prelude::*;
use s3adt_token::describe::TokenDescription;
use s3adt_token::writable::{Limit, Reader};
use s3adt_token::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Counts the bytes the current thread has live, and the peak, while tracking is on.
struct CountingAlloc;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LIVE.try_with(|l| {
            l.set(l.get() + layout.size() as isize);
            let _ = PEAK.try_with(|p| p.set(p.get().max(l.get())));
        });
        // SAFETY: forwarding the caller's layout to the system allocator unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|l| l.set(l.get() - layout.size() as isize));
        // SAFETY: ptr was allocated by System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Run `f` and return the peak bytes it had allocated at once.
fn peak_during(f: impl FnOnce()) -> usize {
    let start = LIVE.with(|l| l.get());
    PEAK.with(|p| p.set(start));
    f();
    (PEAK.with(|p| p.get()) - start).max(0) as usize
}

/// Run every decoder on `bytes`; check none allocates more than a small multiple of the input.
fn all_decoders(bytes: &[u8]) {
    let bound = 64 * bytes.len() + 64 * 1024;
    let check = |name: &str, f: &dyn Fn()| {
        let peak = peak_during(f);
        assert!(
            peak <= bound,
            "{name}: {peak} bytes allocated for {} input bytes",
            bytes.len()
        );
    };
    check("token file", &|| {
        if let Ok(f) = TokenFile::decode(bytes) {
            for (alias, t) in f.tokens() {
                let _ =
                    TokenDescription::of(Some(&alias.to_string_lossy()), t).map(|d| d.kind.len());
                let _ = t.to_string();
            }
        }
    });
    let mut framed = b"HDTS\x00".to_vec();
    framed.extend_from_slice(bytes);
    check("writable file", &|| drop(TokenFile::decode(&framed)));
    framed[4] = 1;
    check("protobuf file", &|| drop(TokenFile::decode(&framed)));
    for kind in S3ATokenKind::ALL {
        check("s3a identifier", &|| {
            let _ = S3ATokenIdentifier::decode(kind.as_str(), bytes).map(|id| id.to_string());
        });
    }
    check("base identifier", &|| {
        drop(DelegationTokenIdentifier::decode(bytes))
    });
    check("token", &|| drop(Token::read(&mut Reader::new(bytes))));
    check("text", &|| drop(Reader::new(bytes).text("t", Limit::Input)));
    check("vlong", &|| drop(Reader::new(bytes).vlong("v")));
    let s = String::from_utf8_lossy(bytes);
    check("url string", &|| drop(Token::decode_from_url_string(&s)));
}

fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for layout in [
        EncryptionLayout::V1,
        EncryptionLayout::V1WithContext,
        EncryptionLayout::V2,
    ] {
        let cases = common::cases::load(&common::cases::default_path(), layout);
        for c in cases.cases.iter().filter(|c| c.id.base.owner.len() < 1000) {
            out.push(c.id.to_bytes().unwrap());
            let t = Token::new(
                c.id.to_bytes().unwrap(),
                &c.password,
                c.id.kind.as_str().into(),
                c.service.as_str().into(),
            );
            out.push(t.to_writable_bytes());
            out.push(t.encode_to_url_string().into_bytes());
            let mut f = TokenFile::new();
            f.add_token(c.alias.as_str().into(), t);
            f.add_secret("s".into(), SecretBytes::new(vec![1, 2, 3]));
            out.push(f.encode(TokenFileFormat::Writable));
            out.push(f.encode(TokenFileFormat::Protobuf));
        }
    }
    out
}

/// xorshift64*: a seeded generator, so a failure can be replayed from the printed seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Flip, insert, delete, truncate, or plant a hostile length (VInt of 2^31-1, -1, 2^40).
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 => b.insert(at, rng.next() as u8),
            2 if at < b.len() => {
                b.remove(at);
            }
            3 => b.truncate(at),
            4 => {
                let hostile: &[&[u8]] = &[
                    &[0x8c, 0x7f, 0xff, 0xff, 0xff],
                    &[0xff],
                    &[0x8b, 0x01, 0, 0, 0, 0],
                    &[0xfe, 0xff, 0xff, 0xff, 0x07],
                ];
                let h = hostile[rng.below(hostile.len())];
                b.splice(at..at, h.iter().copied());
            }
            _ => {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] = [0x00, 0x7f, 0x80, 0xff, 0x8f][rng.below(5)];
                }
            }
        }
    }
    b
}

#[test]
fn mutated_valid_inputs_never_panic_or_overallocate() {
    let seconds: u64 = std::env::var("S3ADT_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let seed: u64 = std::env::var("S3ADT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_5eed);
    eprintln!("mutation loop: seed {seed}, {seconds} s (S3ADT_FUZZ_SEED / S3ADT_FUZZ_SECONDS)");
    let seeds = seeds();
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    while Instant::now() < deadline {
        let pick = rng.below(seeds.len());
        let input = mutate(&mut rng, &seeds[pick]);
        all_decoders(&input);
        runs += 1;
    }
    eprintln!("mutation loop: {runs} inputs through every decoder");
    assert!(runs > 0);
}

#[test]
fn a_huge_length_prefix_in_a_small_file_is_a_clear_error() {
    // HDTS, writable, 1 token, alias "a", identifier length 2^31-1, then 40 bytes.
    let mut bytes = b"HDTS\x00\x01\x01a\x8c\x7f\xff\xff\xff".to_vec();
    bytes.extend([0u8; 40]);
    let mut err = None;
    let peak = peak_during(|| err = Some(TokenFile::decode(&bytes).unwrap_err().to_string()));
    assert_eq!(
        err.unwrap(),
        "token 1 (alias \"a\"): token identifier: truncated: needs 2147483647 more bytes but only 40 remain"
    );
    assert!(peak < 4096, "{peak}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        all_decoders(&bytes);
    }

    #[test]
    fn vlong_round_trips(v in any::<i64>()) {
        let mut w = s3adt_token::writable::Writer::new();
        w.vlong(v);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        prop_assert_eq!(r.vlong("v").unwrap(), v);
        prop_assert!(r.is_at_end());
    }

    #[test]
    fn s3a_identifiers_round_trip(
        owner in "\\PC{0,40}", renewer in "\\PC{0,20}", origin in "\\PC{0,100}",
        issue in any::<i64>(), max in any::<i64>(), seq in any::<i32>(),
        // Layout detection is exact for real creation times (see S3ATokenIdentifier::decode).
        created in 1_514_764_800_000i64..7_258_118_400_000,
        ak in "[A-Z0-9]{0,20}", sk in "\\PC{0,40}", st in "\\PC{0,60}", exp in any::<i64>(),
        layout in prop_oneof![Just(EncryptionLayout::V1), Just(EncryptionLayout::V1WithContext), Just(EncryptionLayout::V2)],
        alg in prop_oneof![Just(""), Just("AES256"), Just("SSE-KMS"), Just("SSE-C"), Just("CSE-KMS"), Just("DSSE-KMS")],
        key in "\\PC{0,50}", ctx in "[A-Za-z0-9+/=]{0,30}",
        kind in prop_oneof![Just(S3ATokenKind::Full), Just(S3ATokenKind::Session), Just(S3ATokenKind::Role)],
    ) {
        let id = S3ATokenIdentifier {
            kind,
            base: DelegationTokenIdentifier { owner: owner.into(), renewer: renewer.into(), real_user: Text::default(),
                issue_date: issue, max_date: max, sequence_number: seq, master_key_id: 0 },
            uri: "s3a://b".into(), origin, uuid: "u".into(),
            encryption: EncryptionSecrets { algorithm: alg.into(), key: key.into(),
                context: if layout == EncryptionLayout::V1 { "".into() } else { ctx.into() }, layout },
            created,
            credentials: MarshalledCredentials { access_key: ak, secret_key: sk.into(), session_token: st.into(), role_arn: String::new(), expiration: exp },
        };
        let bytes = id.to_bytes().unwrap();
        let back = S3ATokenIdentifier::decode(kind.as_str(), &bytes).unwrap();
        prop_assert_eq!(back, id);
    }
}
