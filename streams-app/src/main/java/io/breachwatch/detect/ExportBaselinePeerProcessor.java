package io.breachwatch.detect;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>Reading the group costs a scan of all its entries, so it is read only when an update has an answer to give:
 * the updating user is subscribed, or peers changed while some other subscriber of the group is starved. Which
 * subscribers are starved is kept in memory per group ({@link #starved}), loaded from the store the first time this
 * processor touches the group; it is rebuilt after every (re)initialisation, so it never outlives the store's state.
 */
final class ExportBaselinePeerProcessor implements Processor<String, ExportBaselinePeerUpdate, String, ExportBaselinePeerStats> {
    private static final String SEPARATOR = "|";
    private static final StringSerializer PREFIX = new StringSerializer();

    private final ExportBaselineConfig config;
    private ProcessorContext<String, ExportBaselinePeerStats> context;
    private KeyValueStore<String, ExportBaselinePeerUpdate> peers;
    /** Per group already read from the store: the entities whose entry is subscribed and starved. */
    private final Map<String, Set<String>> starved = new HashMap<>();

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
        this.starved.clear();
        context.schedule(ExportBaselineUserProcessor.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeInactive);
    }

    @Override
    public void process(Record<String, ExportBaselinePeerUpdate> record) {
        var group = record.key();
        var update = record.value();
        var key = peerKey(group, update.entity());
        var before = peers.get(key);
        if (update.isPeer() || update.subscribed()) {
            put(group, update);
        } else {
            delete(group, update.entity());
        }
        var peersChanged = update.isPeer() || (before != null && before.isPeer());
        if (!update.subscribed() && !(peersChanged && hasStarved(group))) {
            return; // nobody to answer: the loop below would send nothing
        }
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
            put(group, subscriber.starved(starved));
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
        var stale = new ArrayList<Map.Entry<String, String>>(); // group, entity
        try (var all = peers.all()) {
            all.forEachRemaining(kv -> {
                if (config.dayStart(kv.value.day() + 1) + config.retention().toMillis() <= streamTime) {
                    var entity = kv.value.entity();
                    stale.add(Map.entry(kv.key.substring(0, kv.key.length() - entity.length() - SEPARATOR.length()), entity));
                }
            });
        }
        stale.forEach(e -> delete(e.getKey(), e.getValue()));
    }

    private void put(String group, ExportBaselinePeerUpdate entry) {
        peers.put(peerKey(group, entry.entity()), entry);
        var known = starved.get(group);
        if (known != null) {
            if (entry.subscribed() && entry.starved()) {
                known.add(entry.entity());
            } else {
                known.remove(entry.entity());
            }
        }
    }

    private void delete(String group, String entity) {
        peers.delete(peerKey(group, entity));
        var known = starved.get(group);
        if (known != null) {
            known.remove(entity);
        }
    }

    /** Whether some subscriber of the group is starved; the first call for a group reads it from the store. */
    private boolean hasStarved(String group) {
        return !starved.computeIfAbsent(group, g -> {
            var out = new HashSet<String>();
            for (var member : members(g)) {
                if (member.subscribed() && member.starved()) {
                    out.add(member.entity());
                }
            }
            return out;
        }).isEmpty();
    }
}
