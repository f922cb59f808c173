package org.s3adt.fs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.s3adt.jni.S3adtMultipart;
import org.s3adt.jni.S3adtStore;

/** {@link ObjectStore} over libs3adt.so ({@link S3adtStore}) for one filesystem handle. */
final class NativeObjectStore implements ObjectStore {
  private final long fs;

  NativeObjectStore(long fs) {
    this.fs = fs;
  }

  private static long parseLong(String what, String key, String v) throws IOException {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException("s3adt: the native store gave " + what + " '" + v + "' for " + key, e);
    }
  }

  @Override
  public Entry head(String key) throws IOException {
    String[] h = S3adtStore.head(fs, key);
    if (h == null) {
      return null;
    }
    if (h.length != 3) {
      throw new IOException("s3adt: HEAD " + key + " gave " + h.length + " fields, not 3");
    }
    return new Entry(key, false, parseLong("length", key, h[0]),
        parseLong("lastModified", key, h[1]), h[2] == null ? "" : h[2]);
  }

  @Override
  public List<Entry> list(String prefix, boolean recursive, int maxEntries) throws IOException {
    String[] flat = S3adtStore.list(fs, prefix, recursive, maxEntries);
    if (flat == null || flat.length % 5 != 0) {
      throw new IOException("s3adt: LIST " + prefix + " gave "
          + (flat == null ? "null" : flat.length + " strings, not a multiple of 5"));
    }
    List<Entry> out = new ArrayList<>(flat.length / 5);
    for (int i = 0; i < flat.length; i += 5) {
      String kind = flat[i];
      String key = flat[i + 1];
      boolean isPrefix = "D".equals(kind);
      if (!isPrefix && !"F".equals(kind)) {
        throw new IOException("s3adt: LIST " + prefix + " gave kind '" + kind + "' for " + key);
      }
      out.add(new Entry(key, isPrefix, parseLong("length", key, flat[i + 2]),
          parseLong("lastModified", key, flat[i + 3]), flat[i + 4] == null ? "" : flat[i + 4]));
    }
    return out;
  }

  @Override
  public void putEmpty(String key) throws IOException {
    S3adtStore.putEmpty(fs, key);
  }

  @Override
  public void deleteKeys(List<String> keys) throws IOException {
    if (!keys.isEmpty()) {
      S3adtStore.deleteKeys(fs, keys.toArray(new String[0]));
    }
  }

  @Override
  public void copy(String srcKey, String dstKey) throws IOException {
    S3adtStore.copy(fs, srcKey, dstKey);
  }

  @Override
  public Reader openRead(String key, long length) throws IOException {
    final long stream = S3adtStore.openRead(fs, key, length);
    final AtomicBoolean closed = new AtomicBoolean();
    return new Reader() {
      @Override
      public int read(long position, byte[] buf, int off, int len) throws IOException {
        return S3adtStore.read(stream, position, buf, off, len);
      }

      @Override
      public long length() throws IOException {
        return S3adtStore.length(stream);
      }

      @Override
      public void close() {
        if (closed.compareAndSet(false, true)) {
          S3adtStore.closeRead(stream);
        }
      }
    };
  }

  @Override
  public Writer openWrite(String key) throws IOException {
    final long stream = S3adtStore.openWrite(fs, key);
    return new Writer() {
      @Override
      public void write(byte[] buf, int off, int len) throws IOException {
        S3adtStore.write(stream, buf, off, len);
      }

      @Override
      public void complete() throws IOException {
        S3adtStore.closeWrite(stream);
      }

      @Override
      public void abort() {
        S3adtStore.abortWrite(stream);
      }

      @Override
      public String[] closePending() throws IOException {
        return S3adtMultipart.closePending(stream);
      }
    };
  }

  @Override
  public List<String> listUploads(String prefix) throws IOException {
    String[] keys = S3adtStore.listUploads(fs, prefix);
    return keys == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList(keys));
  }
}
