package io.breachwatch.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles (nearest rank) and medians over measured values. */
public final class Stats {
    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the values at or below it
     * (p in (0, 100]); p100 is the maximum. Nearest rank never interpolates, so every figure is a measured value.
     */
    public static double percentile(Collection<? extends Number> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        var sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** The median; of an even count, the mean of the two middle values. */
    public static double median(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        var sorted = values.stream().mapToDouble(Number::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
