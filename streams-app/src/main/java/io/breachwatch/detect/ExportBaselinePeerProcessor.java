package io.breachwatch.detect;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
import java.util.TreeSet;

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
 * <p>Reading a group from the store costs a scan of all its entries (thousands of users per tenant and role), so
 * the processor keeps an index per group in memory ({@link GroupIndex}: its peers and its starved subscribers),
 * read from the store the first time it touches the group and updated with every write. It is rebuilt after every
 * (re)initialisation, so it never outlives the store's state; the store stays the record.
 */
final class ExportBaselinePeerProcessor implements Processor<String, ExportBaselinePeerUpdate, String, ExportBaselinePeerStats> {
    private static final String SEPARATOR = "|";
    private static final StringSerializer PREFIX = new StringSerializer();

    private final ExportBaselineConfig config;
    private ProcessorContext<String, ExportBaselinePeerStats> context;
    private KeyValueStore<String, ExportBaselinePeerUpdate> peers;
    /** Per group already read from the store: its peers and its starved subscribers, kept in step with the store. */
    private final Map<String, GroupIndex> groups = new HashMap<>();

    /** What answering needs of a group: its peers by entity, and which subscribers are starved. */
    private record GroupIndex(Map<String, ExportBaselinePeerUpdate> peers, Set<String> starved) {
    }

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
        this.groups.clear();
        context.schedule(ExportBaselineUserProcessor.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeInactive);
    }

    @Override
    public void process(Record<String, ExportBaselinePeerUpdate> record) {
        var group = record.key();
        var update = record.value();
        var index = index(group);
        var before = peers.get(peerKey(group, update.entity()));
        if (update.isPeer() || update.subscribed()) {
            put(group, update);
        } else {
            delete(group, update.entity());
        }
        var peersChanged = update.isPeer() || (before != null && before.isPeer());
        // whom to answer, in key order: the updating user when subscribed and, when peers changed, the starved
        // subscribers (read again from the store: answering one changes only that one's entry)
        var candidates = new TreeSet<String>();
        if (update.subscribed()) {
            candidates.add(update.entity());
        }
        if (peersChanged) {
            candidates.addAll(index.starved());
        }
        for (var entity : candidates) {
            var member = peers.get(peerKey(group, entity));
            if (member == null || !member.subscribed()) {
                continue;
            }
            if (entity.equals(update.entity())) {
                // the update's headers go back with the answer: the triggering event's ingest time, and its urgency
                answer(group, member, record.timestamp(), record.headers());
                if (Urgency.isMarked(record.headers())) {
                    context.commit();
                }
            } else if (member.starved() && member.day() == config.day(record.timestamp())) {
                // only for the subscriber's day in progress; stamped at its start, because this record's time comes
                // from another partition and must not move the subscriber's task's stream time ahead (other rules
                // expire state on it)
                answer(group, member, config.dayStart(member.day()), new RecordHeaders());
            }
        }
    }

    /** Sends {@code subscriber} the statistics of the other peers of the group and notes whether they were too few. */
    private void answer(String group, ExportBaselinePeerUpdate subscriber, long timestamp, Headers headers) {
        var others = index(group).peers().values().stream().filter(m -> !m.entity().equals(subscriber.entity())).toList();
        var stats = ExportBaselinePeerStats.of(others);
        var starved = stats.users() < config.minPeers();
        if (starved != subscriber.starved()) {
            put(group, subscriber.starved(starved));
        }
        context.forward(new Record<>(subscriber.entity(), stats, timestamp, headers));
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
        var index = groups.get(group);
        if (index != null) {
            if (entry.isPeer()) {
                index.peers().put(entry.entity(), entry);
            } else {
                index.peers().remove(entry.entity());
            }
            if (entry.subscribed() && entry.starved()) {
                index.starved().add(entry.entity());
            } else {
                index.starved().remove(entry.entity());
            }
        }
    }

    private void delete(String group, String entity) {
        peers.delete(peerKey(group, entity));
        var index = groups.get(group);
        if (index != null) {
            index.peers().remove(entity);
            index.starved().remove(entity);
        }
    }

    /** The group's index; the first call for a group (after each init) reads it from the store. */
    private GroupIndex index(String group) {
        return groups.computeIfAbsent(group, g -> {
            var index = new GroupIndex(new HashMap<>(), new HashSet<>());
            for (var member : members(g)) {
                if (member.isPeer()) {
                    index.peers().put(member.entity(), member);
                }
                if (member.subscribed() && member.starved()) {
                    index.starved().add(member.entity());
                }
            }
            return index;
        });
    }
}
