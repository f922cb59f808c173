package consumer;

import org.s3adt.jni.NativeVersion;

/** Prints the version of the s3adt jar this build resolved. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.out.println("s3adt jar " + NativeVersion.jarVersion());
  }
}
