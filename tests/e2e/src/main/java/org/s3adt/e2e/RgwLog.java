package org.s3adt.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Ceph RGW's own log of the requests it served: what the store saw, not what s3adt says. */
final class RgwLog {
  private RgwLog() {}

  /** One request in RGW's log (beast's access line). */
  static final class RgwRequest {
    final long millis;
    final String method;
    final String path;
    final int status;
    final String line;

    RgwRequest(long millis, String method, String path, int status, String line) {
      this.millis = millis;
      this.method = method;
      this.path = path;
      this.status = status;
      this.line = line;
    }
  }

  static final java.util.regex.Pattern BEAST = java.util.regex.Pattern.compile(
      " beast: \\S+: \\S+ - \\S+ \\[([^\\]]+)\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) ");
  static final java.time.format.DateTimeFormatter BEAST_TIME =
      java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS Z", Locale.ENGLISH);

  /**
   * Every request RGW logged in {@code f} (radosgw's log, whose beast lines are the access log);
   * {@code required}: an unreadable log is an error, not an empty one.
   */
  static List<RgwRequest> read(String f, boolean required) throws IOException {
    List<RgwRequest> out = new ArrayList<>();
    if (f == null || !new File(f).isFile()) {
      if (required) {
        // an empty log would make "no request after the expiry" pass vacuously
        throw new IOException("RGW's log " + f + " cannot be read");
      }
      return out;
    }
    for (String l : Files.readAllLines(new File(f).toPath(), StandardCharsets.UTF_8)) {
      java.util.regex.Matcher m = BEAST.matcher(l);
      if (m.find()) {
        long ms = java.time.OffsetDateTime.parse(m.group(1), BEAST_TIME).toInstant()
            .toEpochMilli();
        out.add(new RgwRequest(ms, m.group(2), m.group(3), Integer.parseInt(m.group(4)),
            l.substring(m.start() + 1)));
      }
    }
    return out;
  }
}
