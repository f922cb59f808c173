package org.s3adt.commit.manifest;

import org.junit.Assume;

/**
 * The manifest committer's suites (hadoop-mapreduce-client-core's test jar) with s3adt as the
 * committer's store: the stages, each over s3adt's {@code s3a://} (S3adtContract, on the store
 * that {@code S3ADT_CONTRACT_STORE} picks). Not here: {@code TestManifestCommitProtocol}, whose
 * committers come from {@code ManifestCommitterFactory}, which refuses {@code s3a://} by design
 * ("This committer does not work with the filesystem of type s3a": S3's rename is a copy; on S3
 * jobs commit with the magic committer), and {@code impl.TestEntryFileIO}, which works on local
 * files only. Each case has a filesystem instance of its own (S3adtContract.ownInstance): the
 * committer's options stay out of the cached one that other suites share.
 *
 * <p>The slow ones run when {@code S3ADT_MANIFEST_FULL=1}; without it (CI) they are skipped,
 * saying so. docs/e2e/manifest-committer-suites.md records a full run.
 */
final class ManifestSuites {
  static final boolean FULL = "1".equals(System.getenv("S3ADT_MANIFEST_FULL"));

  private ManifestSuites() {
  }

  /** Skip unless the full run was asked for; {@code why}: how long the suite takes. */
  static void onlyInFullRun(String why) {
    Assume.assumeTrue("slow (" + why + "): runs with S3ADT_MANIFEST_FULL=1; a full run is in "
        + "docs/e2e/manifest-committer-suites.md", FULL);
  }
}
