package org.s3adt.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.hadoop.fs.BBPartHandle;
import org.apache.hadoop.fs.BBUploadHandle;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.PartHandle;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathHandle;
import org.apache.hadoop.fs.UploadHandle;
import org.apache.hadoop.fs.impl.AbstractMultipartUploader;
import org.apache.hadoop.fs.impl.MultipartUploaderBuilderImpl;
import org.s3adt.jni.S3adtMultipart;

/**
 * Hadoop's public {@code MultipartUploader} over libs3adt.so ({@link S3adtMultipart}): an
 * upload handle is the upload id (UTF-8), a part handle the part's etag; the key is the path's.
 * The calls run in the caller's thread and return completed futures.
 */
final class S3adtMultipartUploader extends AbstractMultipartUploader {
  private final S3adtFileSystem fs;

  S3adtMultipartUploader(S3adtFileSystem fs, Path base) {
    super(base);
    this.fs = fs;
  }

  private String key(Path path) {
    checkPath(path);
    return fs.pathToKey(path);
  }

  private static String text(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] a = new byte[d.remaining()];
    d.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  private static UploadHandle upload(String id) {
    return BBUploadHandle.from(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public CompletableFuture<UploadHandle> startUpload(Path path) throws IOException {
    String key = key(path);
    fs.checkOpen();
    return CompletableFuture.completedFuture(upload(S3adtMultipart.start(fs.nativeHandle(), key)));
  }

  @Override
  public CompletableFuture<PartHandle> putPart(UploadHandle uploadId, int partNumber,
      Path path, InputStream in, long lengthInBytes) throws IOException {
    checkPutArguments(path, in, partNumber, uploadId, lengthInBytes);
    // Hadoop 3.4's checkPutArguments lets an empty upload handle through
    checkUploadId(uploadId.toByteArray());
    if (lengthInBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("part of " + lengthInBytes + " bytes: too big");
    }
    // read by the native side into the buffer it sends: the part is held once
    String etag = S3adtMultipart.putPart(fs.nativeHandle(), key(path), text(uploadId.bytes()),
        partNumber, in, lengthInBytes);
    return CompletableFuture.completedFuture(
        BBPartHandle.from(ByteBuffer.wrap(etag.getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public CompletableFuture<PathHandle> complete(UploadHandle uploadId, Path path,
      Map<Integer, PartHandle> handles) throws IOException {
    checkPartHandles(handles);
    byte[] id = uploadId.toByteArray();
    checkUploadId(id);
    String key = key(path);
    if (fs.store().list(Keys.dirPrefix(key), true, 1).size() > 0) {
      throw new FileAlreadyExistsException("s3adt: " + path + " is a directory");
    }
    TreeMap<Integer, PartHandle> sorted = new TreeMap<>(handles);
    int[] numbers = new int[sorted.size()];
    List<String> etags = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Integer, PartHandle> e : sorted.entrySet()) {
      numbers[i++] = e.getKey();
      etags.add(text(e.getValue().bytes()));
    }
    String uploadText = new String(id, StandardCharsets.UTF_8);
    S3adtMultipart.complete(fs.nativeHandle(), key, uploadText, numbers,
        etags.toArray(new String[0]));
    byte[] handle = (key + "\n" + uploadText).getBytes(StandardCharsets.UTF_8);
    return CompletableFuture.completedFuture(new Handle(handle));
  }

  /**
   * Aborts the upload; FileNotFoundException when the store knows no such upload (one never
   * started, or aborted already: S3's NoSuchUpload), as the contract asks.
   */
  @Override
  public CompletableFuture<Void> abort(UploadHandle uploadId, Path path) throws IOException {
    byte[] id = uploadId.toByteArray();
    checkUploadId(id);
    String key = key(path);
    fs.checkOpen();
    S3adtMultipart.abort(fs.nativeHandle(), key, new String(id, StandardCharsets.UTF_8), true);
    return CompletableFuture.completedFuture(null);
  }

  /** Aborts every upload under the path's key; how many. */
  @Override
  public CompletableFuture<Integer> abortUploadsUnderPath(Path path) throws IOException {
    String key = key(path);
    int n = 0;
    for (String[] u : fs.listUploads(key)) {
      fs.abortUpload(u[0], u[1]);
      n++;
    }
    return CompletableFuture.completedFuture(n);
  }

  /** A completed upload's handle: key and upload id. */
  private static final class Handle implements PathHandle {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    Handle(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public ByteBuffer bytes() {
      return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Handle && java.util.Arrays.equals(bytes, ((Handle) o).bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }
  }

  /** What {@code FileSystem.createMultipartUploader} returns. */
  static final class Builder extends MultipartUploaderBuilderImpl<S3adtMultipartUploader, Builder> {
    private final S3adtFileSystem fs;
    private final Path base;

    Builder(S3adtFileSystem fs, Path base) {
      super(fs, base);
      this.fs = fs;
      this.base = base;
    }

    @Override
    public Builder getThisBuilder() {
      return this;
    }

    @Override
    public S3adtMultipartUploader build() {
      return new S3adtMultipartUploader(fs, base);
    }
  }
}
