package dev.deploybot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of latencies recorded in microseconds, shown in milliseconds. */
final class Percentiles {
    private final List<Long> sorted;

    Percentiles(List<Long> micros) {
        this.sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
    }

    double millis(double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1000.0;
    }

    static double median(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy.get(copy.size() / 2);
    }
}
