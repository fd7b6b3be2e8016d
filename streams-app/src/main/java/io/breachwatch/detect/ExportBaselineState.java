package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serde;

import java.io.DataOutput;
import java.io.IOException;

/**
 * One user's export history (store {@code export-baseline-users}, key {@code tenant/user}): the exponentially
 * weighted mean and variance of their daily export volume over closed days with exports, and the day in progress.
 * Days without exports are not counted as zeros: weekends and leave would drag the mean down and make every
 * ordinary Monday look like a spike. Mutable on purpose, like {@link WindowAggregate}: read, update, write back.
 */
final class ExportBaselineState {
    static final Serde<ExportBaselineState> SERDE = KeyedStateDetection.serde("export-baseline user state",
            (s, out) -> {
                KeyedStateDetection.writeNullable(out, s.role);
                out.writeBoolean(s.subscribed);
                out.writeBoolean(s.seenFromStart);
                writeNested(out, ExportBaselinePeerStats.SERDE, s.peers);
                out.writeLong(s.day);
                out.writeLong(s.lastEventTime);
                out.writeDouble(s.mean);
                out.writeDouble(s.variance);
                out.writeInt(s.days);
                writeNested(out, WindowAggregate.SERDE, s.today);
            },
            in -> {
                var s = new ExportBaselineState();
                s.role = KeyedStateDetection.readNullable(in);
                s.subscribed = in.readBoolean();
                s.seenFromStart = in.readBoolean();
                s.peers = readNested(in, ExportBaselinePeerStats.SERDE);
                s.day = in.readLong();
                s.lastEventTime = in.readLong();
                s.mean = in.readDouble();
                s.variance = in.readDouble();
                s.days = in.readInt();
                s.today = readNested(in, WindowAggregate.SERDE);
                return s;
            });

    private String role;
    /** Whether the peer group sends this user its statistics (too little own history). */
    private boolean subscribed;
    /**
     * First seen while the task was still learning: the user is not new, the data is. Such a user never fires on
     * the new-user floor; they wait for a real baseline (their own, or their peers').
     */
    private boolean seenFromStart;
    /** The latest statistics of the other users of this user's peer group, or null. */
    private ExportBaselinePeerStats peers;
    private long day;
    private long lastEventTime;
    private double mean;
    private double variance;
    private int days;
    private WindowAggregate today = new WindowAggregate();

    /** A value of another serde, length-prefixed; null allowed. */
    private static <T> void writeNested(DataOutput out, Serde<T> serde, T value) throws IOException {
        var bytes = value == null ? null : serde.serializer().serialize(null, value);
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static <T> T readNested(StateInput in, Serde<T> serde) throws IOException {
        var length = in.readInt();
        return length < 0 ? null : serde.deserializer().deserialize(null, in.readBytes(length));
    }

    static ExportBaselineState startingOn(long day, boolean seenFromStart) {
        var s = new ExportBaselineState();
        s.day = day;
        s.seenFromStart = seenFromStart;
        return s;
    }

    /**
     * Folds the day in progress into the baseline and starts {@code newDay}. The weight of the closed day is
     * {@code max(alpha, 1/days)}: a plain mean and variance while the history is shorter than the half-life
     * allows, exponentially weighted afterwards. Returns whether a day with exports closed.
     */
    boolean rollOver(long newDay, double alpha) {
        var closed = today.eventCount() > 0;
        if (closed) {
            days++;
            var weight = Math.max(alpha, 1.0 / days);
            var diff = today.recordCount() - mean;
            var increment = weight * diff;
            mean += increment;
            variance = (1 - weight) * (variance + diff * increment);
        }
        day = newDay;
        today = new WindowAggregate();
        return closed;
    }

    void add(AccessEvent event) {
        today.add(event, null);
        lastEventTime = Math.max(lastEventTime, event.getTimestamp().toEpochMilli());
        if (event.getUserRole() != null && !event.getUserRole().isEmpty()) {
            role = event.getUserRole();
        }
    }

    /** {@code tenant/role}, the peer group, or null without a role. */
    String group(String tenant) {
        return role == null ? null : tenant + "/" + role;
    }

    String role() { return role; }
    boolean subscribed() { return subscribed; }
    boolean seenFromStart() { return seenFromStart; }
    ExportBaselinePeerStats peers() { return peers; }

    /** Subscribes to or leaves the group's statistics; leaving forgets the last statistics received. */
    void subscribed(boolean wanted) {
        subscribed = wanted;
        if (!wanted) {
            peers = null;
        }
    }

    void peers(ExportBaselinePeerStats stats) { peers = stats; }
    long day() { return day; }
    long lastEventTime() { return lastEventTime; }
    double mean() { return mean; }
    double stddev() { return Math.sqrt(Math.max(0, variance)); }
    int days() { return days; }
    long volume() { return today.recordCount(); }
    WindowAggregate today() { return today; }
}
