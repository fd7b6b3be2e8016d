package io.breachwatch.detect;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * export-baseline on the peer group's partition (key {@code tenant/role}): keeps one entry per user of the group
 * (store {@code export-baseline-peers}, key {@code tenant/role|tenant/user}) and answers every update of a
 * subscribed user (too little own history) with the statistics of the OTHER users of the group, keyed by the
 * subscriber so the answer returns to the subscriber's partition. A subscriber updates when they subscribe and at
 * their first export of each day (their previous day closes), so they get fresh statistics once per active day.
 * A subscriber whose last answer had too few peers ("starved") also gets new statistics whenever a peer's baseline
 * changes on the subscriber's day in progress, until there are enough: the group's days close in the course of the
 * morning, after the subscriber asked.
 * No fan-out otherwise. Entries whose latest day lies more than the retention in the past (stream time) are purged.
 */
final class ExportBaselinePeerProcessor implements Processor<String, ExportBaselinePeerUpdate, String, ExportBaselinePeerStats> {
    private static final String SEPARATOR = "|";
    private static final StringSerializer PREFIX = new StringSerializer();

    private final ExportBaselineConfig config;
    private ProcessorContext<String, ExportBaselinePeerStats> context;
    private KeyValueStore<String, ExportBaselinePeerUpdate> peers;

    ExportBaselinePeerProcessor(ExportBaselineConfig config) {
        this.config = config;
    }

    static String peerKey(String group, String entity) {
        return group + SEPARATOR + entity;
    }

    @Override
    public void init(ProcessorContext<String, ExportBaselinePeerStats> context) {
        this.context = context;
        this.peers = context.getStateStore(ExportBaselineRule.PEERS_STORE);
        context.schedule(ExportBaselineUserProcessor.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeInactive);
    }

    @Override
    public void process(Record<String, ExportBaselinePeerUpdate> record) {
        var group = record.key();
        var update = record.value();
        var key = peerKey(group, update.entity());
        var before = peers.get(key);
        if (update.isPeer() || update.subscribed()) {
            peers.put(key, update);
        } else {
            peers.delete(key);
        }
        var peersChanged = update.isPeer() || (before != null && before.isPeer());
        var members = members(group);
        for (var member : members) {
            if (!member.subscribed()) {
                continue;
            }
            if (member.entity().equals(update.entity())) {
                answer(group, member, members, record.timestamp());
            } else if (member.starved() && peersChanged && member.day() == config.day(record.timestamp())) {
                // only for the subscriber's day in progress; stamped at its start, because this record's time comes
                // from another partition and must not move the subscriber's task's stream time ahead (other rules
                // expire state on it)
                answer(group, member, members, config.dayStart(member.day()));
            }
        }
    }

    /** Sends {@code subscriber} the statistics of the other peers of the group and notes whether they were too few. */
    private void answer(String group, ExportBaselinePeerUpdate subscriber, List<ExportBaselinePeerUpdate> members, long timestamp) {
        var others = members.stream().filter(m -> m.isPeer() && !m.entity().equals(subscriber.entity())).toList();
        var stats = ExportBaselinePeerStats.of(others);
        var starved = stats.users() < config.minPeers();
        if (starved != subscriber.starved()) {
            peers.put(peerKey(group, subscriber.entity()), subscriber.starved(starved));
        }
        context.forward(new Record<>(subscriber.entity(), stats, timestamp));
    }

    /** The group's entries; a prefix scan, keeping only keys that are exactly {@code group|entity}. */
    private List<ExportBaselinePeerUpdate> members(String group) {
        var out = new ArrayList<ExportBaselinePeerUpdate>();
        try (var range = peers.prefixScan(group + SEPARATOR, PREFIX)) {
            range.forEachRemaining(kv -> {
                if (kv.key.equals(peerKey(group, kv.value.entity()))) {
                    out.add(kv.value);
                }
            });
        }
        return out;
    }

    private void purgeInactive(long streamTime) {
        var stale = new ArrayList<String>();
        try (var all = peers.all()) {
            all.forEachRemaining(kv -> {
                if (config.dayStart(kv.value.day() + 1) + config.retention().toMillis() <= streamTime) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(peers::delete);
    }
}
