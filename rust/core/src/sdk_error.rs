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
        let text = cut(s3adt_token::error::safe(&err.to_string()), MAX_PART);
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
    let mut code = err.code().map(str::to_owned);
    let mut message = err.message().map(str::to_owned);
    if code.is_none() || message.is_none() {
        if let Some(body) = raw.body().bytes() {
            let (body_code, body_message) = xml_error_text(&String::from_utf8_lossy(body));
            code = code.or(body_code);
            message = message.or(body_message);
        }
    }
    (code, message)
}

/// The largest error body read for its `<Code>` and `<Message>`. Real ones are well under a
/// kilobyte; anything larger is not an error document, and is not parsed.
const MAX_BODY: usize = 64 * 1024;
/// The most nodes a body may have (roxmltree's limit), for the same reason.
const MAX_NODES: u32 = 4096;
/// The longest code or message taken from a body; longer ones are cut and end in "...".
const MAX_TEXT: usize = 1024;

/// The texts of the first `<Code>` and of the first `<Message>` element of an XML error body,
/// at any depth (`<Error><Code>`, `<ErrorResponse><Error><Code>`, `<Errors><Error><Code>`).
/// A body that is not well-formed XML, holds a DTD, or is larger than [`MAX_BODY`] gives
/// neither: nothing of it reaches a message then. Each text is trimmed, has its entities and
/// CDATA resolved (as the SDK's own parser does), and is at most [`MAX_TEXT`] bytes long.
pub(crate) fn xml_error_text(body: &str) -> (Option<String>, Option<String>) {
    let (code, message) = xml_error_elements(body);
    let present = |t: Option<String>| t.filter(|t| !t.is_empty());
    (present(code), present(message))
}

/// [`xml_error_text`] as the SDK reads an S3 error: a `<Message>` element that is there but
/// empty (Ceph RGW's `<Message></Message>`) is an empty message, not none.
pub(crate) fn s3_xml_error_text(body: &str) -> (Option<String>, Option<String>) {
    let (code, message) = xml_error_elements(body);
    (code.filter(|c| !c.is_empty()), message)
}

fn xml_error_elements(body: &str) -> (Option<String>, Option<String>) {
    if body.len() > MAX_BODY {
        return (None, None);
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(body.trim_start(), options) else {
        return (None, None);
    };
    let text = |tag: &str| {
        let element = doc
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == tag)?;
        let text: String = element
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        Some(capped(text.trim()))
    };
    (text("Code"), text("Message"))
}

/// `text` cut to [`MAX_TEXT`] bytes.
fn capped(text: &str) -> String {
    cut(text.to_owned(), MAX_TEXT)
}

/// `text` cut to at most `max` bytes (on a character boundary), with "..." when it was cut.
fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("...");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::xml_error_text;

    fn both(body: &str) -> (Option<String>, Option<String>) {
        xml_error_text(body)
    }

    fn some(code: &str, message: &str) -> (Option<String>, Option<String>) {
        (Some(code.to_owned()), Some(message.to_owned()))
    }

    #[test]
    fn s3_error_body() {
        let body = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a</Key></Error>"#;
        assert_eq!(
            both(body),
            some("NoSuchKey", "The specified key does not exist.")
        );
    }

    #[test]
    fn nested_sts_error_body_with_a_namespace() {
        // moto's and STS's shape: <ErrorResponse xmlns=...><Error><Type>..<Code>..<Message>..
        let body = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>
      User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole
    </Message>
  </Error>
  <RequestId>r-1</RequestId>
</ErrorResponse>"#;
        assert_eq!(
            both(body),
            some(
                "AccessDenied",
                "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole"
            )
        );
        let moto = "<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code>\
                    <Message>The security token included in the request is invalid.</Message>\
                    </Error></Errors></ErrorResponse>";
        assert_eq!(
            both(moto),
            some(
                "InvalidClientTokenId",
                "The security token included in the request is invalid."
            )
        );
    }

    #[test]
    fn entities_and_cdata_are_resolved() {
        let body = "<Error><Code>A&amp;B</Code><Message>x &lt;y&gt; &quot;z&quot; &apos;w&apos; \
                    <![CDATA[<raw>]]></Message></Error>";
        assert_eq!(both(body), some("A&B", "x <y> \"z\" 'w' <raw>"));
    }

    #[test]
    fn the_first_element_counts_and_an_empty_one_is_none() {
        let body = "<Error><Code> </Code><Message>first</Message><Code>second</Code>\
                    <Message>second</Message></Error>";
        assert_eq!(both(body), (None, Some("first".to_owned())));
        assert_eq!(
            both("<Error><Code>X</Code></Error>"),
            (Some("X".to_owned()), None)
        );
    }

    #[test]
    fn malformed_bodies_give_nothing() {
        for body in [
            "",
            "not xml MARKER",
            "<html><body><h1>Bad Gateway</h1><p>MARKER</p></body></html", // unclosed
            "<Error><Code>X</Code><Message>MARKER</Error>",               // mismatched
            "<Error><Code>X</Code></Error><Message>MARKER</Message>",     // two roots
            "<Error><Code>X&bogus;</Code></Error>",                       // unknown entity
            "<Error><Code>\u{0}</Code></Error>",
            "<Error><Message>MARKER",
            "<Code>",
            "</Code><Code>",
        ] {
            assert_eq!(both(body), (None, None), "{body:?}");
        }
    }

    #[test]
    fn a_dtd_is_refused() {
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Error><Code>X</Code><Message>&lol2;</Message></Error>"#;
        assert_eq!(both(bomb), (None, None));
    }

    #[test]
    fn a_huge_body_is_not_parsed_and_long_texts_are_cut() {
        let huge = format!(
            "<Error><Code>X</Code><Message>{}</Message></Error>",
            "m".repeat(70_000)
        );
        assert_eq!(both(&huge), (None, None));
        let many = format!("<Error><Code>X</Code>{}</Error>", "<a/>".repeat(5000));
        assert_eq!(both(&many), (None, None));
        let long = format!(
            "<Error><Code>X</Code><Message>{}é</Message></Error>",
            "m".repeat(1023)
        );
        let (code, message) = both(&long);
        assert_eq!(code.as_deref(), Some("X"));
        assert_eq!(message.unwrap(), format!("{}...", "m".repeat(1023)));
    }
}
