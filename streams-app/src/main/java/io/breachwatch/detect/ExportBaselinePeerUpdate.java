package io.breachwatch.detect;

import org.apache.kafka.common.serialization.Serde;

/**
 * What a user's partition tells their peer group's partition (key {@code tenant/role}, topic
 * {@code export-baseline-to-peers}): the user's baseline and whether they want the group's statistics. It is also
 * the peer entry the group keeps (store {@code export-baseline-peers}, key {@code tenant/role|tenant/user}).
 *
 * @param entity     {@code tenant/user}
 * @param mean       the user's exponentially weighted mean daily export volume (0 before their first closed day)
 * @param days       the user's closed days with exports; a user counts as a peer from 1
 * @param day        the user's latest local day (days since the epoch): peer entries expire from it
 * @param subscribed whether the user has too little history and wants the group's statistics
 * @param starved    set by the group on its own entry: the last answer had fewer than {@code min-peers} peers, so
 *                   the group sends new statistics as soon as its peers change
 */
record ExportBaselinePeerUpdate(String entity, double mean, int days, long day, boolean subscribed, boolean starved) {
    static final Serde<ExportBaselinePeerUpdate> SERDE = KeyedStateDetection.serde("export-baseline peer update",
            (u, out) -> {
                out.writeUTF(u.entity);
                out.writeDouble(u.mean);
                out.writeInt(u.days);
                out.writeLong(u.day);
                out.writeBoolean(u.subscribed);
                out.writeBoolean(u.starved);
            },
            in -> new ExportBaselinePeerUpdate(in.readUTF(), in.readDouble(), in.readInt(), in.readLong(), in.readBoolean(), in.readBoolean()));

    /** What the user's partition sends: the group decides whether the user is starved. */
    ExportBaselinePeerUpdate(String entity, double mean, int days, long day, boolean subscribed) {
        this(entity, mean, days, day, subscribed, false);
    }

    ExportBaselinePeerUpdate starved(boolean value) {
        return new ExportBaselinePeerUpdate(entity, mean, days, day, subscribed, value);
    }

    /** A user leaving a group (role changed): neither a peer nor a subscriber, so the group drops the entry. */
    static ExportBaselinePeerUpdate leaving(String entity, long day) {
        return new ExportBaselinePeerUpdate(entity, 0, 0, day, false);
    }

    boolean isPeer() {
        return days > 0;
    }
}
