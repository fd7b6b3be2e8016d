package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Severity;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The part of the topology of a rule that keeps its own per-key state (impossible-travel; dormant-account and
 * session-hijack share {@link UserActivityDetection}), and what such rules share (stream time, value serdes, expiry):
 * <pre>
 * events by entity -> counts? ("&lt;rule&gt;-select") -> processor "&lt;rule&gt;-detect" with key-value store "&lt;rule&gt;-&lt;what&gt;"
 *        -> Finding keyed by case key
 * </pre>
 * Every entry of the store expires on event time: {@link ExpiringStateProcessor} reads an expired entry as
 * absent (so results never depend on when the purge ran) and a stream-time punctuation deletes expired entries,
 * so the store holds only what may still matter and never grows with the number of users ever seen.
 */
public final class KeyedStateDetection {
    private KeyedStateDetection() {
    }

    public static <V> KStream<String, Finding> findings(KStream<String, AccessEvent> events, Rule rule, RuleContext context,
                                                       String storeName, Serde<V> valueSerde,
                                                       ProcessorSupplier<String, AccessEvent, String, Finding> processor) {
        var id = rule.ruleId();
        var stores = context.stores();
        context.builder().addStateStore(stores.ofObjects(stores.keyValue(storeName, Serdes.String(), valueSerde)));
        return events
                .filter((entity, e) -> rule.counts(e), Named.as(id + "-select"))
                .process(processor, Named.as(id + "-detect"), storeName);
    }

    /**
     * The keys every such rule has: {@code detect.<rule>.enabled}, {@code .severity} and, when the rule can see one
     * case continue, {@code .merge-gap} (null otherwise).
     */
    public record BasicKeys(Field<Boolean> enabled, Field<Severity> severity, Field<Duration> mergeGap) {

        public static BasicKeys of(String ruleId, Severity severity, String mergeGap) {
            var p = "detect." + ruleId + ".";
            return new BasicKeys(
                    Field.bool(p + "enabled", true, "Whether the " + ruleId + " rule runs"),
                    Field.enumOf(p + "severity", Severity.class, severity, ruleId + ": severity of its incidents (one level higher at 10x the threshold)"),
                    mergeGap == null ? null
                            : Field.duration(p + "merge-gap", mergeGap, ruleId + ": a finding within this time of the user's open incident extends it"));
        }

        /** These keys followed by the rule's own. */
        public List<Field<?>> with(Field<?>... own) {
            var out = new ArrayList<Field<?>>(List.of(enabled, severity));
            if (mergeGap != null) {
                out.add(mergeGap);
            }
            out.addAll(List.of(own));
            return List.copyOf(out);
        }

        public boolean enabledIn(Settings settings) {
            return settings.get(enabled);
        }
    }

    /**
     * A processor over one key-value store whose entries expire {@code ttl} (event time) after their last
     * activity. Subclasses read entries through {@link #live}, never straight from the store.
     */
    abstract static class ExpiringStateProcessor<V> implements Processor<String, AccessEvent, String, Finding> {
        private static final Duration MAX_PURGE_INTERVAL = Duration.ofDays(1);
        private final String storeName;
        private final Duration ttl;
        protected ProcessorContext<String, Finding> context;
        protected KeyValueStore<String, V> store;

        ExpiringStateProcessor(String storeName, Duration ttl) {
            this.storeName = storeName;
            this.ttl = ttl;
        }

        /** Event time of the entry's last activity: it expires {@code ttl} after it. */
        protected abstract long lastActivity(V value);

        @Override
        public void init(ProcessorContext<String, Finding> context) {
            this.context = context;
            this.store = context.getStateStore(storeName);
            context.schedule(purgeInterval(ttl), PunctuationType.STREAM_TIME, this::purge);
        }

        /**
         * The TTL itself, at most a day: expired entries linger at most that long (reads ignore them anyway), so a
         * store holds what was active within twice the TTL. A purge reads every entry, so its cost is the store's
         * size once per interval: a quarter of the TTL (as before 2026-12-02) made purges a third of replay's work
         * with 100,000 users, for a quarter less memory.
         */
        static Duration purgeInterval(Duration ttl) {
            return ttl.compareTo(MAX_PURGE_INTERVAL) > 0 ? MAX_PURGE_INTERVAL : ttl;
        }

        /** The entry of {@code key}, or null when there is none or it has expired at {@code now}. */
        protected V live(String key, long now) {
            var value = store.get(key);
            return value == null || expired(value, now) ? null : value;
        }

        /** Stream time, which includes the record being processed. */
        protected long now(Record<String, AccessEvent> record) {
            return streamTime(context, record);
        }

        protected boolean expired(V value, long now) {
            return lastActivity(value) + ttl.toMillis() <= now;
        }

        protected void emit(Finding finding, Record<String, AccessEvent> cause) {
            context.forward(new Record<>(finding.caseKey(), finding, cause.timestamp(), cause.headers()));
        }

        private void purge(long streamTime) {
            deleteExpired(store, value -> expired(value, streamTime));
        }
    }

    /** Stream time while {@code record} is processed: the task's, or the record's own time when that is later. */
    static long streamTime(ProcessorContext<?, ?> context, Record<?, ?> record) {
        return Math.max(context.currentStreamTimeMs(), record.timestamp());
    }

    /** Deletes every entry of {@code store} whose value is {@code expired} (keys collected first, then deleted). */
    static <V> void deleteExpired(KeyValueStore<String, V> store, Predicate<V> expired) {
        var stale = new ArrayList<String>();
        try (var all = store.all()) {
            all.forEachRemaining(kv -> {
                if (expired.test(kv.value)) {
                    stale.add(kv.key);
                }
            });
        }
        stale.forEach(store::delete);
    }

    /** Writes one state value field by field. */
    interface Writer<V> {
        void write(V value, DataOutput out) throws IOException;
    }

    /** Reads what {@link Writer} wrote. */
    interface Reader<V> {
        V read(StateInput in) throws IOException;
    }

    /** A compact serde for a store value: one format-version byte, then the fields as {@code writer} writes them. */
    static <V> Serde<V> serde(String what, Writer<V> writer, Reader<V> reader) {
        final byte version = 1;
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            var out = new CompactWriter(64);
            try {
                out.writeByte(version);
                writer.write(value, out);
            } catch (IOException e) {
                throw new SerializationException("Cannot write " + what, e);
            }
            return out.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                var in = new StateInput(data);
                var found = in.readByte();
                if (found != version) {
                    throw new SerializationException("Unknown " + what + " format version " + found + " (topic " + topic + ")");
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException("Cannot read " + what + " (" + data.length + " bytes, topic " + topic + ")", e);
            }
        });
    }

    /**
     * An event remembered in a store (id, time, country) as an event again, for a finding's evidence and time span:
     * tenant and user come from {@code current}, the event being processed.
     */
    static AccessEvent remembered(String eventId, long time, String country, Action action, AccessEvent current) {
        return AccessEvent.newBuilder()
                .setEventId(eventId)
                .setTimestamp(Instant.ofEpochMilli(time))
                .setTenantId(current.getTenantId())
                .setUserId(current.getUserId())
                .setCountry(country)
                .setAction(action)
                .setRecordCount(0)
                .build();
    }

    static void writeNullable(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A count, then each string. */
    static void writeStrings(DataOutput out, Collection<String> values) throws IOException {
        out.writeInt(values.size());
        for (var v : values) {
            out.writeUTF(v);
        }
    }

    /** What {@link #writeStrings} wrote, added to {@code target}. */
    static void readStrings(DataInput in, Collection<String> target) throws IOException {
        var n = in.readInt();
        for (int i = 0; i < n; i++) {
            target.add(in.readUTF());
        }
    }
}
