package org.s3adt.ozone;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;

/**
 * A secret store for the Ozone binding's tests: one file per principal (mode 600) in the
 * directory {@code s3adt.test.ozone.store.dir}, holding the access key and the secret on two
 * lines. Not a stand-in for Ozone (Ozone and Kerberos are real in tests/ozone/binding.sh): it is
 * where the binding keeps what Ozone gave, as the Vault store does in production.
 */
public final class FileS3SecretStore implements S3SecretStore {
  public static final String DIR_KEY = "s3adt.test.ozone.store.dir";
  private final File dir;

  public FileS3SecretStore(Configuration conf) throws IOException {
    String d = conf.getTrimmed(DIR_KEY, "");
    if (d.isEmpty()) {
      throw new IOException(DIR_KEY + " is not set");
    }
    dir = new File(d);
  }

  private File file(String principal) {
    return new File(dir, principal.replace('/', '_'));
  }

  @Override
  public S3Secret get(String principal) throws IOException {
    File f = file(principal);
    if (!f.exists()) {
      return null;
    }
    String[] lines = new String(Files.readAllBytes(f.toPath()), StandardCharsets.UTF_8).split("\n");
    return new S3Secret(lines[0], lines[1]);
  }

  @Override
  public void put(String principal, S3Secret secret) throws IOException {
    File f = file(principal);
    Files.deleteIfExists(f.toPath());
    Files.createFile(f.toPath(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(f.toPath(), (secret.accessKeyId() + "\n" + secret.secretAccessKey() + "\n")
        .getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public boolean remove(String principal) throws IOException {
    return Files.deleteIfExists(file(principal).toPath());
  }
}
