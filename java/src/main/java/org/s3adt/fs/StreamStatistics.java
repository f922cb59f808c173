package org.s3adt.fs;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.hadoop.fs.statistics.IOStatistics;
import org.apache.hadoop.fs.statistics.IOStatisticsLogging;
import org.apache.hadoop.fs.statistics.MeanStatistic;

/**
 * A stream's IOStatistics: a fixed set of counters, under Hadoop's statistic names, and nothing
 * else (no gauges, minimums, maximums or means). What readers of {@link IOStatistics} see is what
 * Hadoop's {@code IOStatisticsBinding.iostatisticsStore()} gave for the same counters: a live
 * map of them, every one present from the start. Built per stream, so it is kept cheap: one
 * array of counts, no maps, lambdas or one {@code AtomicLong} per counter (the store's were a
 * visible part of a small file's CPU, issue 12). An unknown key is ignored, as the store does.
 */
final class StreamStatistics implements IOStatistics {
  private final String[] names;
  /** Updated under the stream's lock; atomic so that other threads read current values. */
  private final AtomicLongArray values;
  private final Map<String, Long> counters = new Counters();

  StreamStatistics(String... names) {
    this.names = names;
    this.values = new AtomicLongArray(names.length);
  }

  private int index(String key) {
    // the callers pass the StreamStatisticNames constants: identity finds them at once
    for (int i = 0; i < names.length; i++) {
      if (names[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Add {@code n} to a counter: its new value (0 for an unknown key, which is ignored). */
  long incrementCounter(String key, long n) {
    int i = index(key);
    return i < 0 ? 0 : values.addAndGet(i, n);
  }

  long incrementCounter(String key) {
    return incrementCounter(key, 1);
  }

  @Override
  public Map<String, Long> counters() {
    return counters;
  }

  @Override
  public Map<String, Long> gauges() {
    return Collections.emptyMap();
  }

  @Override
  public Map<String, Long> minimums() {
    return Collections.emptyMap();
  }

  @Override
  public Map<String, Long> maximums() {
    return Collections.emptyMap();
  }

  @Override
  public Map<String, MeanStatistic> meanStatistics() {
    return Collections.emptyMap();
  }

  @Override
  public String toString() {
    return IOStatisticsLogging.ioStatisticsToString(this);
  }

  /** The counters as an unmodifiable map reading the current values. */
  private final class Counters extends AbstractMap<String, Long> {
    @Override
    public Long get(Object key) {
      int i = key instanceof String ? index((String) key) : -1;
      return i < 0 ? null : values.get(i);
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String && index((String) key) >= 0;
    }

    @Override
    public int size() {
      return names.length;
    }

    @Override
    public Set<Map.Entry<String, Long>> entrySet() {
      return new AbstractSet<Map.Entry<String, Long>>() {
        @Override
        public int size() {
          return names.length;
        }

        @Override
        public Iterator<Map.Entry<String, Long>> iterator() {
          return new Iterator<Map.Entry<String, Long>>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < names.length;
            }

            @Override
            public Map.Entry<String, Long> next() {
              if (next >= names.length) {
                throw new NoSuchElementException();
              }
              int i = next++;
              return new AbstractMap.SimpleImmutableEntry<>(names[i], values.get(i));
            }
          };
        }
      };
    }
  }
}
