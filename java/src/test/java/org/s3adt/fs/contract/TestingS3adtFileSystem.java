package org.s3adt.fs.contract;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.s3adt.fs.ObjectStore;
import org.s3adt.fs.S3adtFileSystem;

/**
 * s3adt's filesystem with a window onto its store, for tests: the store itself ({@link #raw()},
 * to look at keys and uploads) and faults injected into writes. The store underneath is the one
 * the contract target uses (native, or {@link MemoryObjectStore}).
 */
public class TestingS3adtFileSystem extends S3adtFileSystem {
  /** Where a write fails. */
  enum Fault {
    NONE,
    /** write() fails once {@link #failAfter} bytes have gone through. */
    WRITE,
    /** The completion at close() fails before it reaches the store. */
    COMPLETE,
    /** A copy whose source key contains {@link #failCopiesOf} fails. */
    COPY
  }

  private ObjectStore raw;
  volatile Fault fault = Fault.NONE;
  volatile long failAfter;
  volatile String failCopiesOf = "";
  /** Run just before an injected failure (e.g. to wait for a part to be uploaded). */
  volatile Runnable beforeFailure = () -> { };
  final AtomicInteger aborts = new AtomicInteger();
  /** HEADs and LISTs the filesystem made (the probes), and reads it opened. */
  final AtomicInteger heads = new AtomicInteger();
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger opens = new AtomicInteger();

  @Override
  protected ObjectStore createObjectStore(long nativeHandle) {
    raw = "memory".equals(ContractTarget.store())
        ? MemoryObjectStore.bucket(getUri().getHost())
        : super.createObjectStore(nativeHandle);
    return new Faulty(raw);
  }

  ObjectStore raw() {
    return raw;
  }

  private final class Faulty implements ObjectStore {
    private final ObjectStore s;

    Faulty(ObjectStore s) {
      this.s = s;
    }

    @Override
    public Entry head(String key) throws IOException {
      heads.incrementAndGet();
      return s.head(key);
    }

    @Override
    public List<Entry> list(String prefix, boolean recursive, int maxEntries)
        throws IOException {
      lists.incrementAndGet();
      return s.list(prefix, recursive, maxEntries);
    }

    @Override
    public void putEmpty(String key) throws IOException {
      s.putEmpty(key);
    }

    @Override
    public void deleteKeys(List<String> keys) throws IOException {
      s.deleteKeys(keys);
    }

    @Override
    public void copy(String srcKey, String dstKey) throws IOException {
      if (fault == Fault.COPY && srcKey.contains(failCopiesOf)) {
        throw new IOException("injected copy failure of " + srcKey);
      }
      s.copy(srcKey, dstKey);
    }

    @Override
    public Reader openRead(String key, long length) throws IOException {
      opens.incrementAndGet();
      return s.openRead(key, length);
    }

    @Override
    public Writer openWrite(String key) throws IOException {
      final Writer w = s.openWrite(key);
      return new Writer() {
        private long written;

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
          if (fault == Fault.WRITE && written >= failAfter) {
            beforeFailure.run();
            throw new IOException("injected write failure after " + written + " bytes");
          }
          w.write(buf, off, len);
          written += len;
        }

        @Override
        public void complete() throws IOException {
          if (fault == Fault.COMPLETE) {
            beforeFailure.run();
            throw new IOException("injected completion failure after " + written + " bytes");
          }
          w.complete();
        }

        @Override
        public void abort() {
          aborts.incrementAndGet();
          w.abort();
        }
      };
    }

    @Override
    public List<String> listUploads(String prefix) throws IOException {
      return s.listUploads(prefix);
    }
  }
}
