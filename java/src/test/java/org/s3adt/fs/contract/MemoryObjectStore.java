package org.s3adt.fs.contract;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.s3adt.fs.ObjectStore;

/**
 * An S3 bucket in the JVM, with S3's listing rules (delimiter "/", common prefixes merged into
 * the key order), for running the contract suites on the Java side alone
 * ({@code S3ADT_CONTRACT_STORE=memory}). A write shows as a multipart upload once it holds a part
 * (5 MiB), as the native store's do.
 */
final class MemoryObjectStore implements ObjectStore {
  static final int PART = 5 * 1024 * 1024;
  private static final Map<String, MemoryObjectStore> BUCKETS = new ConcurrentHashMap<>();

  private static final class Obj {
    final byte[] data;
    final long modified = System.currentTimeMillis();
    final String etag;

    Obj(byte[] data) {
      this.data = data;
      this.etag = md5(data);
    }

    Obj(byte[] data, String etag) {
      this.data = data;
      this.etag = etag;
    }
  }

  private final ConcurrentSkipListMap<String, Obj> objects = new ConcurrentSkipListMap<>();
  private final Map<Object, String> uploads = new ConcurrentHashMap<>();

  static MemoryObjectStore bucket(String name) {
    return BUCKETS.computeIfAbsent(name, n -> new MemoryObjectStore());
  }

  private static String md5(byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(data);
      StringBuilder sb = new StringBuilder("\"");
      for (byte b : d) {
        sb.append(String.format("%02x", b & 0xff));
      }
      return sb.append('"').toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Entry entry(String key, Obj o) {
    return new Entry(key, false, o.data.length, o.modified, o.etag);
  }

  @Override
  public Entry head(String key) {
    Obj o = objects.get(key);
    return o == null ? null : entry(key, o);
  }

  @Override
  public List<Entry> list(String prefix, boolean recursive, int maxEntries) {
    List<Entry> out = new ArrayList<>();
    String lastPrefix = null;
    for (Map.Entry<String, Obj> e : objects.tailMap(prefix).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(prefix)) {
        break;
      }
      int slash = recursive ? -1 : key.indexOf('/', prefix.length());
      if (slash < 0) {
        out.add(entry(key, e.getValue()));
      } else {
        String common = key.substring(0, slash + 1);
        if (common.equals(lastPrefix)) {
          continue;
        }
        lastPrefix = common;
        out.add(new Entry(common, true, 0, 0, ""));
      }
      if (maxEntries > 0 && out.size() >= maxEntries) {
        break;
      }
    }
    return out;
  }

  @Override
  public void putEmpty(String key) {
    objects.put(key, new Obj(new byte[0]));
  }

  @Override
  public void deleteKeys(List<String> keys) {
    for (String k : keys) {
      objects.remove(k);
    }
  }

  @Override
  public void copy(String srcKey, String dstKey) throws IOException {
    Obj o = objects.get(srcKey);
    if (o == null) {
      throw new FileNotFoundException("NoSuchKey: " + srcKey);
    }
    objects.put(dstKey, new Obj(o.data, o.etag));
  }

  @Override
  public Reader openRead(String key, long length) throws IOException {
    final Obj o = objects.get(key);
    if (o == null) {
      throw new FileNotFoundException("NoSuchKey: " + key);
    }
    return new Reader() {
      private boolean closed;

      @Override
      public int read(long position, byte[] buf, int off, int len) throws IOException {
        if (closed) {
          throw new IOException("read stream of " + key + " is closed");
        }
        if (position >= o.data.length) {
          return -1;
        }
        int n = (int) Math.min(len, o.data.length - position);
        System.arraycopy(o.data, (int) position, buf, off, n);
        return n;
      }

      @Override
      public long length() {
        return length >= 0 ? length : o.data.length;
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }

  @Override
  public Writer openWrite(final String key) {
    final Object id = new Object();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    return new Writer() {
      private boolean done;

      @Override
      public void write(byte[] buf, int off, int len) throws IOException {
        if (done) {
          throw new IOException("write stream of " + key + " is closed");
        }
        data.write(buf, off, len);
        if (data.size() >= PART) {
          uploads.put(id, key);
        }
      }

      @Override
      public void complete() throws IOException {
        if (done) {
          throw new IOException("write stream of " + key + " is closed");
        }
        done = true;
        uploads.remove(id);
        objects.put(key, new Obj(data.toByteArray()));
      }

      @Override
      public void abort() {
        done = true;
        uploads.remove(id);
      }
    };
  }

  @Override
  public List<String> listUploads(String prefix) {
    List<String> out = new ArrayList<>();
    for (String k : uploads.values()) {
      if (k.startsWith(prefix)) {
        out.add(k);
      }
    }
    return out;
  }

}
