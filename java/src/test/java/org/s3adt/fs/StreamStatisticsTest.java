package org.s3adt.fs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsLogging;
import org.apache.hadoop.fs.statistics.IOStatisticsSnapshot;
import org.apache.hadoop.fs.statistics.StreamStatisticNames;
import org.junit.Test;

/** A stream's counters read as Hadoop's IOStatistics readers read them. */
public class StreamStatisticsTest {
  @Test
  public void countersAreLiveAndSnapshotLikeHadoops() {
    StreamStatistics s = new StreamStatistics(StreamStatisticNames.STREAM_WRITE_BYTES,
        StreamStatisticNames.STREAM_WRITE_EXCEPTIONS);
    IOStatistics view = s;
    Map<String, Long> counters = view.counters();
    Map<String, Long> zero = new HashMap<>();
    zero.put(StreamStatisticNames.STREAM_WRITE_BYTES, 0L);
    zero.put(StreamStatisticNames.STREAM_WRITE_EXCEPTIONS, 0L);
    assertEquals("every counter is there from the start", zero, counters);

    assertEquals(5, s.incrementCounter(StreamStatisticNames.STREAM_WRITE_BYTES, 5));
    // a key equal to the constant but not the same object counts too
    assertEquals(6, s.incrementCounter(new String(StreamStatisticNames.STREAM_WRITE_BYTES)));
    assertEquals(0, s.incrementCounter("no.such.counter"));
    assertEquals(Long.valueOf(6), counters.get(StreamStatisticNames.STREAM_WRITE_BYTES));
    assertNull(counters.get("no.such.counter"));
    assertTrue(view.gauges().isEmpty() && view.minimums().isEmpty()
        && view.maximums().isEmpty() && view.meanStatistics().isEmpty());

    IOStatisticsSnapshot snap = new IOStatisticsSnapshot(view);
    s.incrementCounter(StreamStatisticNames.STREAM_WRITE_EXCEPTIONS);
    assertEquals(Long.valueOf(6), snap.counters().get(StreamStatisticNames.STREAM_WRITE_BYTES));
    assertEquals(Long.valueOf(0), snap.counters().get(StreamStatisticNames.STREAM_WRITE_EXCEPTIONS));
    assertEquals(Long.valueOf(1), counters.get(StreamStatisticNames.STREAM_WRITE_EXCEPTIONS));
    String text = IOStatisticsLogging.ioStatisticsToString(view);
    assertTrue(text, text.contains(StreamStatisticNames.STREAM_WRITE_BYTES + "=6"));
  }
}
