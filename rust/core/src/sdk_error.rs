//! The text of an AWS service error (STS's and S3's alike): the chain of causes without the raw
//! response, and the service's code and message, from the SDK or from the XML body when the SDK
//! could not parse it. Nothing here may copy a response body into a message.

use aws_sdk_sts::error::ProvideErrorMetadata;

pub(crate) type HttpResponse = aws_smithy_runtime_api::http::Response;

/// An SDK error as text: the `Display` of the error and of each `source()` under it, joined by
/// ": " (`dispatch failure: timeout: HTTP read timeout occurred after 3s`). Never `Debug` and
/// never `DisplayErrorContext`: those include the raw response (headers and body), which for
/// a 200 reply the SDK could not parse holds the credentials STS just issued. Each part is
/// capped and has its control characters escaped. Shared by the STS and S3 clients.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    const MAX_PART: usize = 200;
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let mut text = s3adt_token::error::safe(&err.to_string());
        if text.len() > MAX_PART {
            let mut end = MAX_PART;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push_str("...");
        }
        // Some errors repeat their source's text in their own: say it once.
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// A service error's code and message: the SDK's parse, else the first `<Code>` and
/// `<Message>` of the body (error bodies in another shape than the SDK expects: moto's nested
/// STS errors, a proxy's, an STS-style one from S3). Shared by the STS and S3 clients.
pub(crate) fn service_error_text(
    err: &impl ProvideErrorMetadata,
    raw: &HttpResponse,
) -> (Option<String>, Option<String>) {
    let body = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let code = err
        .code()
        .map(str::to_owned)
        .or_else(|| xml_text(&body, "Code"));
    let message = err
        .message()
        .map(str::to_owned)
        .or_else(|| xml_text(&body, "Message"));
    (code, message)
}

/// The text of the first `<tag>` element in an XML error body.
pub(crate) fn xml_text(body: &str, tag: &str) -> Option<String> {
    let start = body.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + body[start..].find(&format!("</{tag}>"))?;
    let text = body[start..end].trim();
    (!text.is_empty()).then(|| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    })
}
