package org.s3adt.fs;

import java.io.IOException;
import java.util.List;

/**
 * An {@link ObjectStore} whose every call, and every call on the readers and writers it opens,
 * first lets the filesystem's delegation tokens move to a newer token when the bound one nears
 * its expiry ({@link DelegationTokens#refresh}), so that a long read or multipart upload picks it
 * up at its next request even when nothing else uses the filesystem.
 *
 * <p>Plain delegation, written out: it was a {@code java.lang.reflect.Proxy}, whose
 * {@code Method.invoke}, argument array and proxy instance per reader and writer showed in the
 * per-file CPU of small files (issue 12). Every method of {@link ObjectStore},
 * {@link ObjectStore.Reader} and {@link ObjectStore.Writer} is overridden here, default methods
 * included (RefreshingObjectStoreTest checks that by reflection, so a method added later
 * cannot skip the check). A filesystem not bound to a token never moves to another, so it gets
 * the store itself, with no wrapper at all.
 */
final class RefreshingObjectStore implements ObjectStore {
  private final ObjectStore store;
  private final DelegationTokens tokens;

  private RefreshingObjectStore(ObjectStore store, DelegationTokens tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  static ObjectStore around(ObjectStore store, DelegationTokens tokens) {
    return tokens.canRebind() ? new RefreshingObjectStore(store, tokens) : store;
  }

  @Override
  public Entry head(String key) throws IOException {
    tokens.refresh();
    return store.head(key);
  }

  @Override
  public List<Entry> list(String prefix, boolean recursive, int maxEntries) throws IOException {
    tokens.refresh();
    return store.list(prefix, recursive, maxEntries);
  }

  @Override
  public void putEmpty(String key) throws IOException {
    tokens.refresh();
    store.putEmpty(key);
  }

  @Override
  public void deleteKeys(List<String> keys) throws IOException {
    tokens.refresh();
    store.deleteKeys(keys);
  }

  @Override
  public void copy(String srcKey, String dstKey) throws IOException {
    tokens.refresh();
    store.copy(srcKey, dstKey);
  }

  @Override
  public Reader openRead(String key, long length) throws IOException {
    tokens.refresh();
    Reader r = store.openRead(key, length);
    return r == null ? null : new RefreshingReader(r);
  }

  @Override
  public Writer openWrite(String key) throws IOException {
    tokens.refresh();
    Writer w = store.openWrite(key);
    return w == null ? null : new RefreshingWriter(w);
  }

  @Override
  public List<String> listUploads(String prefix) throws IOException {
    tokens.refresh();
    return store.listUploads(prefix);
  }

  @Override
  public String toString() {
    return store.toString();
  }

  /** A reader that checks the store's tokens first (an inner class: it uses {@code tokens}). */
  private final class RefreshingReader implements Reader {
    private final Reader reader;

    RefreshingReader(Reader reader) {
      this.reader = reader;
    }

    @Override
    public int read(long position, byte[] buf, int off, int len) throws IOException {
      tokens.refresh();
      return reader.read(position, buf, off, len);
    }

    @Override
    public long length() throws IOException {
      tokens.refresh();
      return reader.length();
    }

    @Override
    public void close() {
      tokens.refresh();
      reader.close();
    }

    @Override
    public String toString() {
      return reader.toString();
    }
  }

  /** A writer that checks the store's tokens first. */
  private final class RefreshingWriter implements Writer {
    private final Writer writer;

    RefreshingWriter(Writer writer) {
      this.writer = writer;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      tokens.refresh();
      writer.write(buf, off, len);
    }

    @Override
    public void complete() throws IOException {
      tokens.refresh();
      writer.complete();
    }

    @Override
    public void abort() {
      tokens.refresh();
      writer.abort();
    }

    @Override
    public String[] closePending() throws IOException {
      tokens.refresh();
      return writer.closePending();
    }

    @Override
    public String toString() {
      return writer.toString();
    }
  }
}
