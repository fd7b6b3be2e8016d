package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;

import java.util.Arrays;
import java.util.Collection;

/**
 * What a peer group (one role in one tenant) exports per user and day: the median of its users' mean daily
 * volumes and a robust spread (1.4826 x the median absolute deviation, which equals the standard deviation for
 * normal data and ignores the group's one heavy exporter).
 *
 * @param users    other users in the group with at least one closed day
 * @param userDays their days with exports, summed: what the statistics rest on
 */
public record ExportBaselinePeerStats(double median, double spread, int users, long userDays) {
    private static final double MAD_TO_STDDEV = 1.4826;

    static final Serde<ExportBaselinePeerStats> SERDE = KeyedStateDetection.serde("export-baseline peer stats",
            (s, out) -> {
                out.writeDouble(s.median);
                out.writeDouble(s.spread);
                out.writeInt(s.users);
                out.writeLong(s.userDays);
            },
            in -> new ExportBaselinePeerStats(in.readDouble(), in.readDouble(), in.readInt(), in.readLong()));

    /** No peer with history. */
    static final ExportBaselinePeerStats NONE = new ExportBaselinePeerStats(0, 0, 0, 0);

    /** Statistics of the peers' means ({@link #NONE} when there are none). */
    static ExportBaselinePeerStats of(Collection<ExportBaselinePeerUpdate> peers) {
        if (peers.isEmpty()) {
            return NONE;
        }
        var means = peers.stream().mapToDouble(ExportBaselinePeerUpdate::mean).toArray();
        var median = median(means);
        var deviations = Arrays.stream(means).map(m -> Math.abs(m - median)).toArray();
        var userDays = peers.stream().mapToLong(ExportBaselinePeerUpdate::days).sum();
        return new ExportBaselinePeerStats(median, MAD_TO_STDDEV * median(deviations), peers.size(), userDays);
    }

    static double median(double[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        var mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
