package org.s3adt.hadoopaws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An AWS SDK interceptor on every STS client in the JVM (registered by the classpath resource
 * software/amazon/awssdk/services/sts/execution.interceptors, which the SDK's STS client builder
 * reads), for two facts about AWS SDK for Java 2.24.6 (what hadoop-aws 3.4.1 uses) against
 * Ceph RGW 16.2:
 *
 * <ul>
 *   <li>RGW's STS errors are S3-style ({@code <Error><Code>...}, no {@code <ErrorResponse>}), which
 *       the SDK's Query-protocol error parser does not read: hadoop-aws reports
 *       {@code StsException: null (Service: Sts, Status Code: 400, ...)}. This records RGW's
 *       {@code <Code>} ({@link #lastErrorCode}) so the checks can name it. Always on; it reads
 *       the error body and hands the same bytes on.</li>
 *   <li>The SDK form-encodes a space in the AssumeRole {@code Policy} as {@code +}; RGW 16.2 does
 *       not decode {@code +} there, so hadoop-aws's pretty-printed policy JSON does not parse
 *       ("failed to parse policy: Missing a name for object member" in RGW's log,
 *       400 MalformedPolicyDocument). With {@link #percent20} set, this re-encodes each {@code +}
 *       of the form body as {@code %20} (the same form data: a literal plus is {@code %2B}) before
 *       the request is signed. Off unless a check turns it on.</li>
 * </ul>
 */
public final class RgwStsInterceptor implements ExecutionInterceptor {
  /** Re-encode spaces in AssumeRole form bodies as %20 (set by IssueToken per check). */
  static volatile boolean percent20;
  /** The {@code <Code>} of the last STS error response, or null. */
  static volatile String lastErrorCode;

  private static final ExecutionAttribute<byte[]> NEW_BODY = new ExecutionAttribute<>("s3adt.rgw.body");
  private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

  private static boolean assumeRole(ExecutionAttributes attrs) {
    return "AssumeRole".equals(attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  /**
   * The form body to send instead, or null to leave the request alone. While the interceptors
   * run, the SDK still holds the Query parameters as parameters; its QueryParametersToBodyStage
   * form-encodes them into the body later (spaces as '+'), unless the request already has a body.
   * So the replacement is the SDK's own form encoding with '+' as %20. SDK 2.24.6 calls
   * modifyHttpContent before modifyHttpRequest; this does not depend on the order.
   */
  private static byte[] newBody(Context.ModifyHttpRequest ctx, ExecutionAttributes attrs) {
    byte[] body = attrs.getAttribute(NEW_BODY);
    SdkHttpRequest req = ctx.httpRequest();
    if (body == null && percent20 && assumeRole(attrs) && ctx.requestBody().isEmpty()
        && req.method() == SdkHttpMethod.POST && req.numRawQueryParameters() > 0) {
      body = req.encodedQueryParametersAsFormData().orElse("").replace("+", "%20")
          .getBytes(StandardCharsets.US_ASCII);
      attrs.putAttribute(NEW_BODY, body);
    }
    return body;
  }

  @Override
  public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest ctx, ExecutionAttributes attrs) {
    byte[] body = newBody(ctx, attrs);
    return body == null ? ctx.requestBody() : Optional.of(RequestBody.fromBytes(body));
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest ctx, ExecutionAttributes attrs) {
    byte[] body = newBody(ctx, attrs);
    if (body == null) {
      return ctx.httpRequest();
    }
    return ctx.httpRequest().toBuilder()
        .clearQueryParameters()
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .putHeader("Content-Length", Integer.toString(body.length))
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse ctx,
      ExecutionAttributes attrs) {
    if (ctx.httpResponse().isSuccessful() || ctx.responseBody().isEmpty()) {
      return ctx.responseBody();
    }
    byte[] bytes;
    try (InputStream in = ctx.responseBody().get()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = CODE.matcher(new String(bytes, StandardCharsets.UTF_8));
    lastErrorCode = m.find() ? m.group(1) : null;
    return Optional.of(new ByteArrayInputStream(bytes));
  }
}
