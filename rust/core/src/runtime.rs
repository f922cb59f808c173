//! The one tokio runtime behind every blocking entry point (the CLI, JNI, the C API). Built on
//! first use; async inside, blocking at the edge.

use std::future::Future;
use std::sync::LazyLock;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("s3adt")
        .enable_all()
        .build()
        .expect("building the tokio runtime")
});

/// Run `f` to completion on the shared runtime. Must not be called from inside it.
pub fn block_on<F: Future>(f: F) -> F::Output {
    RUNTIME.block_on(f)
}

/// The one HTTP client every AWS SDK client shares (connection pools, TLS with rustls/ring and
/// the platform's roots). One TLS stack: no second crypto library in the build.
pub fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    static CLIENT: LazyLock<aws_smithy_runtime_api::client::http::SharedHttpClient> =
        LazyLock::new(|| {
            use aws_smithy_http_client::{tls, Builder};
            Builder::new()
                .tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::Ring,
                ))
                .build_https()
        });
    CLIENT.clone()
}

/// What opens a certificate in a PEM file.
const PEM_CERTIFICATE: &[u8] = b"-----BEGIN CERTIFICATE-----";

/// An HTTP client like [`http_client`] that trusts only the CA certificates of `pem` (Vault's
/// `fs.s3a.s3adt.vault.tls.ca.file`), not the platform's roots. Its own connection pool.
/// Bytes with no certificate in them are refused here: rustls skips what is not a
/// certificate, so they would make an empty trust store that fails only at the handshake.
pub fn http_client_trusting(
    pem: Vec<u8>,
) -> Result<aws_smithy_runtime_api::client::http::SharedHttpClient, String> {
    use aws_smithy_http_client::{tls, Builder};
    if !pem
        .windows(PEM_CERTIFICATE.len())
        .any(|w| w == PEM_CERTIFICATE)
    {
        return Err("no PEM certificate in it (a -----BEGIN CERTIFICATE----- block)".to_owned());
    }
    let ctx = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_pem_certificate(pem))
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .tls_context(ctx)
        .build_https())
}
