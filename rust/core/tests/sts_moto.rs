//! The three bindings, the credential chain and STS failure handling against a real moto
//! server on loopback (with a fault-injecting proxy in front of it for throttling, 5xx, dropped
//! and hung connections). Enforcement (session policies, expiry) is tested on Ceph RGW, which
//! enforces them; moto does not.

mod common;

use common::conf::sts_conf as conf;
use common::moto::{free_port, Fault, FaultProxy, Moto};
use s3adt_core::auth::consume::{identifier_for_bucket, ConsumeError};
use s3adt_core::auth::issue::{issue, IssueError, TokenRequest};
use s3adt_core::conf::{bindings, keys, Configuration};
use s3adt_token::*;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static MOTO: LazyLock<Moto> = LazyLock::new(Moto::start);

fn req(bucket: &str) -> TokenRequest {
    TokenRequest {
        bucket: bucket.into(),
        owner: "alice@EXAMPLE.TEST".into(),
        renewer: "yarn".into(),
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    s3adt_core::runtime::block_on(f)
}

/// A token for bucket-a: its identifier.
/// The identifier's origin ends with `tail`.
fn origin_ends_with(id: &S3ATokenIdentifier, tail: &str) {
    assert!(id.origin.ends_with(tail), "{}", id.origin);
}

fn issued(c: &Configuration, env: &(dyn Fn(&str) -> Option<String> + Sync)) -> S3ATokenIdentifier {
    run(issue(c, &req("bucket-a"), env)).unwrap().identifier
}

/// Issuing for bucket-a fails: the error.
fn refused(c: &Configuration, env: &(dyn Fn(&str) -> Option<String> + Sync)) -> IssueError {
    run(issue(c, &req("bucket-a"), env)).unwrap_err()
}

fn now_ms() -> i64 {
    s3adt_core::auth::consume::now_ms()
}

#[test]
fn session_binding_calls_get_session_token() {
    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.set(keys::ASSUMED_ROLE_SESSION_DURATION, "20m");
    let before = now_ms();
    let issued = run(issue(&c, &req("bucket-a"), &no_env)).unwrap();
    let id = issued.identifier;
    assert!(issued.warnings.is_empty());
    assert_eq!(id.kind, S3ATokenKind::Session);
    assert_eq!(id.uri, "s3a://bucket-a");
    assert_eq!(id.credentials.credential_type(), CredentialType::Session);
    assert_ne!(
        id.credentials.access_key, "AKIAPARENT",
        "STS credentials, not the parent's"
    );
    let exp = id.credentials.expiration;
    assert!(
        (exp - before - 20 * 60 * 1000).abs() < 120_000,
        "expiry {exp} is not ~20 minutes after {before}"
    );
    assert_eq!(
        id.base.max_date, exp,
        "maxDate carries the expiry for schedulers"
    );
    assert_eq!(id.base.renewer.to_string(), "yarn");
    assert!(id.origin.starts_with("Created on "));
    let back = S3ATokenIdentifier::decode(id.kind.as_str(), &id.to_bytes().unwrap()).unwrap();
    assert_eq!(back, id);
}

#[test]
fn session_binding_forwards_session_credentials_without_sts() {
    // STS points at a closed port: forwarding must not call it.
    let mut c = conf(
        bindings::SESSION,
        &format!("http://127.0.0.1:{}", free_port()),
    );
    c.set(keys::SESSION_TOKEN, "parent-session-token");
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
    );
    let issued = run(issue(&c, &req("bucket-a"), &no_env)).unwrap();
    assert_eq!(
        issued.warnings,
        vec![
            "Forwarding existing session credentials to s3a://bucket-a -duration unknown"
                .to_owned()
        ]
    );
    let id = issued.identifier;
    origin_ends_with(
        &id,
        " Existing session credentials converted to Delegation Token",
    );
    assert_eq!(id.credentials.access_key, "AKIAPARENT");
    assert_eq!(
        id.credentials.session_token.expose(),
        "parent-session-token"
    );
    assert_eq!(id.credentials.expiration, 0, "expiry unknown");
}

/// The Session binding with only the instance/container metadata source, and an STS that is
/// never reached (forwarded credentials need none).
fn metadata_source_conf() -> Configuration {
    let mut c = conf(
        bindings::SESSION,
        &format!("http://127.0.0.1:{}", free_port()),
    );
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
    );
    c
}

#[test]
fn forwarded_credentials_keep_a_known_expiry() {
    // Instance metadata (moto's IMDSv2) gives session credentials with an expiry.
    let c = metadata_source_conf();
    let endpoint = MOTO.endpoint.clone();
    let env = move |k: &str| (k == "AWS_EC2_METADATA_SERVICE_ENDPOINT").then(|| endpoint.clone());
    let id = issued(&c, &env);
    assert_eq!(id.credentials.access_key, "test-key");
    assert!(
        id.credentials.expiration > now_ms(),
        "expiry carried from the metadata reply"
    );
    assert_eq!(id.base.max_date, id.credentials.expiration);
    // moto speaks IMDSv2, so turning the IMDSv1 fallback off changes nothing.
    let v1_off = |k: &str| match k {
        "AWS_EC2_METADATA_V1_DISABLED" => Some("true".to_owned()),
        other => env(other),
    };
    let again = issued(&c, &v1_off);
    assert_eq!(again.credentials.access_key, "test-key");
}

#[test]
fn container_credentials_go_over_http_only_to_the_hosts_the_sdks_allow() {
    // The authorization token must not be sent in clear to any other host: the source stops
    // with an error naming the variable, before any request.
    let c = metadata_source_conf();
    let env = |k: &str| match k {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI" => Some("http://creds.example.com/v1".to_owned()),
        "AWS_CONTAINER_AUTHORIZATION_TOKEN" => Some("MARKER-AUTH-TOKEN".to_owned()),
        _ => None,
    };
    let err = refused(&c, &env).to_string();
    assert!(
        err.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI names host \"creds.example.com\""),
        "{err}"
    );
    assert!(!err.contains("MARKER"), "{err}");
}

#[test]
fn role_binding_assumes_the_role_with_a_policy() {
    let mut c = conf(bindings::ROLE, &MOTO.endpoint);
    c.set(
        keys::ASSUMED_ROLE_ARN,
        "arn:aws:iam::123456789012:role/s3-restricted",
    );
    let id = issued(&c, &no_env);
    assert_eq!(id.kind, S3ATokenKind::Role);
    assert_eq!(id.credentials.credential_type(), CredentialType::Session);
    origin_ends_with(
        &id,
        " Role ARN=arn:aws:iam::123456789012:role/s3-restricted",
    );
    assert!(
        id.credentials.role_arn.is_empty(),
        "hadoop-aws leaves roleARN empty"
    );
    // Without the inline policy (opt-in), for STS services that reject one.
    c.set("fs.s3a.s3adt.role.inline.policy", "false");
    assert_eq!(issued(&c, &no_env).kind, S3ATokenKind::Role);
}

// duplicates: deliberate. The end of the test above and this one's start only look alike
// (set an option, issue, check the kind; then a fresh configuration).
#[test]
fn role_binding_failures_have_hadoops_texts() {
    // No ARN: fails on the token request, before any credentials are looked for.
    let mut c = conf(bindings::ROLE, &MOTO.endpoint);
    c.unset(keys::ACCESS_KEY);
    let err = refused(&c, &no_env);
    assert_eq!(
        err.to_string(),
        "No role ARN defined in fs.s3a.assumed.role.arn"
    );

    // Session credentials as the source: refused by default, allowed as an opt-in (chaining).
    let mut c = conf(bindings::ROLE, &MOTO.endpoint);
    c.set(
        keys::ASSUMED_ROLE_ARN,
        "arn:aws:iam::123456789012:role/s3-restricted",
    );
    c.set(keys::SESSION_TOKEN, "tok");
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
    );
    let err = refused(&c, &no_env);
    assert!(matches!(err, IssueError::RoleNeedsFullCredentials));
    assert_eq!(
        err.to_string(),
        "Cannot issue S3A Role Delegation Tokens without full AWS credentials"
    );
    c.set("fs.s3a.s3adt.role.chaining", "true");
    assert_eq!(issued(&c, &no_env).kind, S3ATokenKind::Role);
}

#[test]
fn configuration_errors_name_what_was_wrong() {
    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.set(keys::ASSUMED_ROLE_SESSION_DURATION, "one hour");
    let err = refused(&c, &no_env).to_string();
    assert!(
        err.starts_with("bad value for fs.s3a.assumed.role.session.duration: not a whole number"),
        "{err}"
    );
    assert!(!err.contains("one hour"), "the value is not quoted: {err}");

    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.set(keys::AWS_CREDENTIALS_PROVIDER, "com.example.MadeUpProvider");
    let err = refused(&c, &no_env).to_string();
    assert_eq!(err, "unknown credential provider \"com.example.MadeUpProvider\" in fs.s3a.aws.credentials.provider");

    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.unset(keys::ACCESS_KEY);
    c.unset(keys::AWS_CREDENTIALS_PROVIDER);
    let env = |k: &str| (k == "AWS_EC2_METADATA_DISABLED").then(|| "true".to_owned());
    let err = refused(&c, &env).to_string();
    assert!(
        err.starts_with("No AWS Credentials provided by TemporaryAWSCredentialsProvider: "),
        "{err}"
    );
    assert!(
        err.contains("IAMInstanceCredentialsProvider: instance metadata disabled"),
        "{err}"
    );

    // An unresolved ${env.X} (the variable is unset in the process) is named, not sent to STS.
    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.set(keys::SECRET_KEY, "${env.S3ADT_TEST_UNSET_VARIABLE_42}");
    let err = refused(&c, &no_env).to_string();
    assert!(
        err.contains(
            "fs.s3a.secret.key holds the unresolved reference ${env.S3ADT_TEST_UNSET_VARIABLE_42}"
        ),
        "{err}"
    );

    let mut c = conf(bindings::SESSION, "sts.example.com");
    c.unset(keys::ASSUMED_ROLE_STS_ENDPOINT_REGION);
    let err = refused(&c, &no_env).to_string();
    assert_eq!(
        err,
        "STS endpoint is set to sts.example.com but no signing region was provided"
    );
}

#[test]
fn throttling_and_5xx_are_retried_then_succeed() {
    let proxy = FaultProxy::start(
        MOTO.port,
        vec![
            Fault::Error(400, "Throttling"),
            Fault::Error(429, "TooManyRequestsException"),
            Fault::Error(503, "ServiceUnavailable"),
            Fault::Drop,
        ],
    );
    let c = conf(bindings::SESSION, &proxy.endpoint);
    let id = issued(&c, &no_env);
    assert_eq!(id.credentials.credential_type(), CredentialType::Session);
    assert_eq!(proxy.requests(), 5, "four faults then the real answer");
}

#[test]
fn retry_budget_is_bounded_and_the_error_says_what_sts_said() {
    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Error(400, "Throttling"); 50]);
    let mut c = conf(bindings::SESSION, &proxy.endpoint);
    c.set("fs.s3a.retry.throttle.limit", "3");
    let err = refused(&c, &no_env);
    assert_eq!(
        err.to_string(),
        "STS GetSessionToken failed after 4 attempt(s): Throttling: injected Throttling"
    );
    assert_eq!(proxy.requests(), 4);
}

#[test]
fn access_denied_is_not_retried_and_nothing_falls_back() {
    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Error(403, "AccessDenied"); 5]);
    let mut c = conf(bindings::SESSION, &proxy.endpoint);
    // Environment credentials exist too: a failure must not silently fall back to them.
    c.unset(keys::AWS_CREDENTIALS_PROVIDER);
    let env = |k: &str| match k {
        "AWS_ACCESS_KEY_ID" => Some("AKIAENV".to_owned()),
        "AWS_SECRET_ACCESS_KEY" => Some("envsecret".to_owned()),
        _ => None,
    };
    let err = refused(&c, &env);
    assert_eq!(
        err.to_string(),
        "STS GetSessionToken failed after 1 attempt(s): AccessDenied: injected AccessDenied"
    );
    assert_eq!(proxy.requests(), 1);
}

#[test]
fn refused_and_hung_connections_are_retried_within_the_budget() {
    let mut c = conf(
        bindings::SESSION,
        &format!("http://127.0.0.1:{}", free_port()),
    );
    c.set("fs.s3a.retry.limit", "2");
    let err = refused(&c, &no_env).to_string();
    assert!(
        err.starts_with("STS GetSessionToken failed after 3 attempt(s): "),
        "{err}"
    );

    let proxy = FaultProxy::start(MOTO.port, vec![Fault::Hang]);
    let mut c = conf(bindings::SESSION, &proxy.endpoint);
    c.set("fs.s3a.s3adt.sts.attempt.timeout", "1s");
    let start = Instant::now();
    let id = issued(&c, &no_env);
    assert_eq!(id.kind, S3ATokenKind::Session);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(
        proxy.requests(),
        2,
        "the hung attempt timed out and the next one went through"
    );
}

#[test]
fn bad_keys_get_stss_own_message_when_auth_is_on() {
    let moto = Moto::start();
    let (ak, sk, _) = moto.setup_iam();
    moto.auth_on();
    let mut c = conf(bindings::SESSION, &moto.endpoint);
    c.set(keys::ACCESS_KEY, ak.as_str());
    c.set(keys::SECRET_KEY, sk.as_str());
    let id = issued(&c, &no_env);
    assert_eq!(id.kind, S3ATokenKind::Session);
    c.set(keys::ACCESS_KEY, "AKIANOSUCHKEY0000000");
    let err = refused(&c, &no_env).to_string();
    assert!(
        err.starts_with("STS GetSessionToken failed after 1 attempt(s): InvalidClientTokenId"),
        "{err}"
    );
}

#[test]
fn consuming_checks_kind_credentials_and_expiry() {
    let c = conf(bindings::SESSION, &MOTO.endpoint);
    let id = issued(&c, &no_env);
    let mut file = TokenFile::new();
    file.add_token(
        "s3a://bucket-a".into(),
        Token::from_s3a(&id, "s3a://bucket-a").unwrap(),
    );

    let got = identifier_for_bucket(&file, "bucket-a", &c, now_ms()).unwrap();
    assert_eq!(got, id);
    // No binding configured: any S3A kind is taken (a non-JVM reader with no configuration).
    assert!(identifier_for_bucket(&file, "bucket-a", &Configuration::new(), now_ms()).is_ok());

    let full = conf(bindings::FULL, &MOTO.endpoint);
    let err = identifier_for_bucket(&file, "bucket-a", &full, now_ms()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Token mismatch: expected token for s3a://bucket-a of type S3ADelegationToken/Full but got a token of type S3ADelegationToken/Session"
    );
    let err = identifier_for_bucket(&file, "bucket-b", &c, now_ms()).unwrap_err();
    assert!(matches!(err, ConsumeError::NoToken { .. }));

    let later = id.credentials.expiration + 1;
    let err = identifier_for_bucket(&file, "bucket-a", &c, later)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("the delegation token for s3a://bucket-a expired at "),
        "{err}"
    );
    assert!(err.contains(&s3adt_token::javatime::iso_date_time_utc(
        id.credentials.expiration
    )));
}

#[test]
fn default_duration_is_core_default_xmls_thirty_minutes() {
    let c = conf(bindings::SESSION, &MOTO.endpoint);
    let before = now_ms();
    let id = issued(&c, &no_env);
    let minutes = (id.credentials.expiration - before) as f64 / 60_000.0;
    assert!(
        (minutes - 30.0).abs() < 2.0,
        "expected ~30 minutes, got {minutes}"
    );
}

#[test]
fn web_identity_is_an_opt_in_source() {
    let dir = std::env::temp_dir().join(format!("s3adt-wi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln").unwrap();
    let mut c = conf(bindings::SESSION, &MOTO.endpoint);
    c.unset(keys::ACCESS_KEY);
    c.set(
        keys::AWS_CREDENTIALS_PROVIDER,
        "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider",
    );
    let path = token_file.to_str().unwrap().to_owned();
    let env = move |k: &str| match k {
        "AWS_WEB_IDENTITY_TOKEN_FILE" => Some(path.clone()),
        "AWS_ROLE_ARN" => Some("arn:aws:iam::123456789012:role/s3-restricted".to_owned()),
        _ => None,
    };
    // Web identity gives session credentials, so the Session binding forwards them.
    let issued = run(issue(&c, &req("bucket-a"), &env)).unwrap();
    assert_eq!(issued.warnings.len(), 1);
    assert!(
        issued.identifier.credentials.expiration > now_ms(),
        "web identity credentials carry their expiry"
    );
    // Not in the default chain: without naming it, these variables are not used.
    c.unset(keys::AWS_CREDENTIALS_PROVIDER);
    let env2 = |k: &str| match k {
        "AWS_EC2_METADATA_DISABLED" => Some("true".to_owned()),
        other => env(other),
    };
    assert!(run(issue(&c, &req("bucket-a"), &env2)).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_get_session_token_serves_many_buckets_with_a_cache() {
    let proxy = FaultProxy::start(MOTO.port, vec![]);
    let c = conf(bindings::SESSION, &proxy.endpoint);
    let cache = s3adt_core::auth::issue::SessionCache::new();
    let mut keys = std::collections::HashSet::new();
    for i in 0..10 {
        let bucket = format!("bucket-{i}");
        let id = run(s3adt_core::auth::issue::issue_with_cache(
            &c.for_bucket(&bucket),
            &req(&bucket),
            &no_env,
            Some(&cache),
        ))
        .unwrap()
        .identifier;
        assert_eq!(id.uri, format!("s3a://{bucket}"));
        keys.insert(id.credentials.session_token.expose().to_owned());
    }
    assert_eq!(proxy.requests(), 1, "one STS call for ten buckets");
    assert_eq!(keys.len(), 1);
    // A bucket with its own parent keys gets its own call.
    let mut c2 = c.clone();
    c2.set("fs.s3a.bucket.special.access.key", "AKIAOTHER");
    run(s3adt_core::auth::issue::issue_with_cache(
        &c2.for_bucket("special"),
        &req("special"),
        &no_env,
        Some(&cache),
    ))
    .unwrap();
    assert_eq!(proxy.requests(), 2);
    // Without a cache, one call per token, as hadoop-aws.
    run(issue(&c, &req("bucket-0"), &no_env)).unwrap();
    assert_eq!(proxy.requests(), 3);
}

/// Security review H1: a shared cache returns session credentials only to a caller holding the
/// same parent secret, never to one who merely knows the access key id.
#[test]
fn the_session_cache_never_serves_a_caller_with_another_secret() {
    let moto = Moto::start();
    let (ak, sk, _) = moto.setup_iam();
    moto.auth_on();
    let cache = s3adt_core::auth::issue::SessionCache::new();
    let mut alice = conf(bindings::SESSION, &moto.endpoint);
    alice.set(keys::ACCESS_KEY, ak.as_str());
    alice.set(keys::SECRET_KEY, sk.as_str());
    let mut mallory = alice.clone();
    mallory.set(keys::SECRET_KEY, "not-alices-secret-0000000000000000000000");
    let issue_as = |c: &Configuration| {
        run(s3adt_core::auth::issue::issue_with_cache(
            c,
            &req("bucket-a"),
            &no_env,
            Some(&cache),
        ))
    };
    let refused = issue_as(&mallory).unwrap_err().to_string();
    assert!(refused.contains("SignatureDoesNotMatch"), "{refused}");
    let issued = issue_as(&alice).unwrap().identifier;
    assert_eq!(issued.kind, S3ATokenKind::Session);
    // alice's entry is in the cache now; mallory, with her key id, is still refused by STS
    let again = issue_as(&mallory).unwrap_err().to_string();
    assert!(again.contains("SignatureDoesNotMatch"), "{again}");
    assert!(
        !again.contains(issued.credentials.access_key.as_str()),
        "{again}"
    );
    // and alice, asking again, is served from the cache: the same session
    let cached = issue_as(&alice).unwrap().identifier;
    assert_eq!(
        cached.credentials.session_token.expose(),
        issued.credentials.session_token.expose()
    );
}
