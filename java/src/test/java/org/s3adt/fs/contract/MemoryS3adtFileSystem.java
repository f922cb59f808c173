package org.s3adt.fs.contract;

import org.s3adt.fs.ObjectStore;
import org.s3adt.fs.S3adtFileSystem;

/** s3adt's filesystem over {@link MemoryObjectStore}: the Java side without a server. */
public class MemoryS3adtFileSystem extends S3adtFileSystem {
  @Override
  protected ObjectStore createObjectStore(long nativeHandle) {
    return MemoryObjectStore.bucket(getUri().getHost());
  }
}
