package org.s3adt.interop;

import org.apache.hadoop.fs.s3a.auth.delegation.SessionTokenIdentifier;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.security.token.TokenIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.s3adt.testsupport.Cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the Java fixtures ({@code $DIR/java-<version>/tokens.writable}, {@code tokens.protobuf},
 * {@code manifest.json}) with the real hadoop-aws classes, and checks them: the jars on the
 * classpath are the requested version, every case is either written or skipped for a reason,
 * contexts are dropped exactly where the version cannot carry them, and Java reads its own
 * files back field for field (which also proves the field checks used on s3adt's files).
 * Runs first (class order 1).
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WriteJavaFixturesTest {

  static JavaFixtures java;

  @BeforeAll
  static void write() throws Exception {
    java = JavaFixtures.get();
  }

  @Test
  @Order(1)
  void classpathIsTheRequestedHadoopVersion() {
    assertEquals(Env.version(), HadoopAws.hadoopVersion(), "hadoop-common VersionInfo");
    String awsJar = SessionTokenIdentifier.class.getProtectionDomain().getCodeSource()
        .getLocation().getPath();
    assertTrue(awsJar.endsWith("hadoop-aws-" + Env.version() + ".jar"),
        "hadoop-aws comes from " + awsJar);
  }

  @Test
  @Order(2)
  void everyCaseIsWrittenOrSkippedForAReason() throws Exception {
    Cases cases = Env.cases();
    List<String> all = new ArrayList<>();
    cases.cases.forEach(c -> all.add(c.alias));
    cases.others.forEach(b -> all.add(b.alias));
    List<String> accounted = new ArrayList<>(java.written);
    accounted.addAll(java.skipped.keySet());
    accounted.sort(null);
    all.sort(null);
    assertEquals(all, accounted, "written + skipped");
    for (String alias : java.skipped.keySet()) {
      assertTrue(cases.cases.stream().anyMatch(c -> c.alias.equals(alias)),
          "only S3A cases may be skipped: " + alias);
    }
    java.skipped.forEach((alias, reason) ->
        System.out.println("hadoop " + java.version + ": skipped " + alias + ": " + reason));
    System.out.println("hadoop " + java.version + ": layout " + java.layout + ", wrote "
        + java.written.size() + " tokens to " + java.dir + (java.contextDropped.isEmpty() ? ""
        : ", context dropped for " + java.contextDropped));
  }

  @Test
  @Order(3)
  void contextDroppedExactlyWhereTheVersionHasNone() throws Exception {
    List<String> want = new ArrayList<>();
    if (!HadoopAws.supportsContext()) {
      for (Cases.Case c : Env.cases().cases) {
        if (c.hasContext() && java.written.contains(c.alias)) {
          want.add(c.alias);
        }
      }
    }
    assertEquals(want, java.contextDropped);
    assertEquals(!java.layout.equals("v1"), HadoopAws.supportsContext(),
        "a context constructor exists iff the layout writes a context");
  }

  @Test
  @Order(4)
  void filesOnDiskAreTheSerializedCredentials() throws Exception {
    byte[] w = Files.readAllBytes(java.dir.resolve("tokens.writable"));
    byte[] p = Files.readAllBytes(java.dir.resolve("tokens.protobuf"));
    assertArrayEquals(java.writableFile, w);
    assertArrayEquals(java.protobufFile, p);
    assertArrayEquals(new byte[] {'H', 'D', 'T', 'S', 0}, Arrays.copyOf(w, 5), "WRITABLE header");
    assertArrayEquals(new byte[] {'H', 'D', 'T', 'S', 1}, Arrays.copyOf(p, 5), "PROTOBUF header");
    assertTrue(Files.size(java.dir.resolve("manifest.json")) > 0);
  }

  @Test
  @Order(5)
  void javaReadsItsOwnFilesFieldForField() throws Exception {
    Cases cases = Env.cases();
    for (String name : new String[] {"tokens.writable", "tokens.protobuf"}) {
      File f = java.dir.resolve(name).toFile();
      Credentials creds = Credentials.readTokenStorageFile(f, Env.conf());
      String ctx = "java " + java.version + " " + name;
      assertEquals(java.written.size(), creds.numberOfTokens(), ctx + ": number of tokens");
      for (Cases.Case c : cases.cases) {
        if (java.written.contains(c.alias)) {
          Token<? extends TokenIdentifier> t = Checks.token(creds, c.alias, ctx);
          Checks.s3a(ctx + " " + c.alias, t, c, java.contextDropped.contains(c.alias));
          assertEquals(java.tokens.get(c.alias), t, ctx + " " + c.alias + ": token equals");
          assertEquals(java.identifiers.get(c.alias), t.decodeIdentifier(),
              ctx + " " + c.alias + ": identifier equals the one built");
        }
      }
      for (Cases.Base b : cases.others) {
        Checks.other(ctx + " " + b.alias, Checks.token(creds, b.alias, ctx), b);
      }
      Checks.secrets(ctx, creds, cases.secrets);
    }
  }
}
