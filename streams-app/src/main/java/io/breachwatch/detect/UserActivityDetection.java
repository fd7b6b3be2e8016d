package io.breachwatch.detect;

import io.breachwatch.schema.AccessEvent;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * dormant-account and session-hijack in one processor over one store, {@value #STORE}: {@code tenant/user} ->
 * {@link UserActivity}. Both rules see nearly every event of every user; with a store each, an event cost two reads
 * and up to two writes (two changelog records), and in {@code replay} two lookups in maps of every active user, the
 * largest cost left there. Now it costs one read and at most one write:
 * <pre>
 * events by user -> processor "user-activity-detect" with key-value store "user-activity" -> Finding keyed by case key
 * </pre>
 * Each part of an entry expires on event time like the rules' stores did: the last activity {@code retention} after
 * it, a session {@code idle-timeout} after its last event; an expired part reads as absent, and a stream-time
 * punctuation (once per the longer TTL, at most daily) deletes entries with nothing left and rewrites those that lost
 * a session.
 *
 * <p>Upgrade: the rules' stores of earlier versions ({@value DormantAccountRule#STORE},
 * {@value SessionHijackRule#STORE}) stay in the topology wherever state outlives a start (not in {@code replay}), and
 * the processor takes a user's last activity or session from them when its own entry has none, deleting it there; the
 * punctuation purges what expires in them. Once both are empty (checked at start and at each purge) they are no longer
 * read; a later version drops them.
 */
public final class UserActivityDetection {
    public static final String STORE = "user-activity";
    private static final String NAME = "user-activity";

    private UserActivityDetection() {
    }

    /** Whether {@code rule} keeps its state in the user's entry. */
    public static boolean shares(Rule rule) {
        return rule instanceof DormantAccountRule || rule instanceof SessionHijackRule;
    }

    /** The name of the part of the topology, for the nodes around it. */
    public static String name() {
        return NAME;
    }

    /** The findings of {@code rules} (those that {@link #shares}; at most one of each) from one processor. */
    public static KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByUser, List<Rule> rules, RuleContext context) {
        DormantAccountRule dormant = null;
        SessionHijackRule hijack = null;
        for (var rule : rules) {
            if (rule instanceof DormantAccountRule d) {
                dormant = d;
            } else if (rule instanceof SessionHijackRule h) {
                hijack = h;
            } else {
                throw new IllegalArgumentException(rule.ruleId() + " does not keep its state in " + STORE);
            }
        }
        var stores = context.stores();
        var builder = context.builder();
        var names = new ArrayList<String>(List.of(STORE));
        builder.addStateStore(stores.ofObjects(stores.keyValue(STORE, Serdes.String(), UserActivity.SERDE)));
        var legacy = !stores.offline();
        if (legacy && dormant != null) {
            builder.addStateStore(stores.keyValue(DormantAccountRule.STORE, Serdes.String(), Serdes.Long()));
            names.add(DormantAccountRule.STORE);
        }
        if (legacy && hijack != null) {
            builder.addStateStore(stores.keyValue(SessionHijackRule.STORE, Serdes.String(), SessionHijackRule.SessionState.SERDE));
            names.add(SessionHijackRule.STORE);
        }
        var d = dormant;
        var h = hijack;
        return eventsByUser.process(() -> new Detect(d == null ? null : new DormantAccountRule.Tracker(d),
                        h == null ? null : new SessionHijackRule.Tracker(h, context.metrics()), legacy),
                Named.as(NAME + "-detect"), names.toArray(String[]::new));
    }

    private static final class Detect implements Processor<String, AccessEvent, String, Finding> {
        private final DormantAccountRule.Tracker dormant;
        private final SessionHijackRule.Tracker hijack;
        /** The TTLs of the two parts; null when the rule is off (its part is then forgotten). */
        private final Long lastSeenTtl;
        private final Long idleTimeout;
        private final boolean legacy;
        private final Consumer<Finding> emit = this::emit;
        private ProcessorContext<String, Finding> context;
        private KeyValueStore<String, UserActivity> store;
        /** The rules' stores of earlier versions while they hold anything, else null. */
        private KeyValueStore<String, Long> oldLastSeen;
        private KeyValueStore<String, SessionHijackRule.SessionState> oldSessions;
        private Record<String, AccessEvent> current;

        Detect(DormantAccountRule.Tracker dormant, SessionHijackRule.Tracker hijack, boolean legacy) {
            this.dormant = dormant;
            this.hijack = hijack;
            this.lastSeenTtl = dormant == null ? null : dormant.retentionMillis();
            this.idleTimeout = hijack == null ? null : hijack.idleMillis();
            this.legacy = legacy;
        }

        @Override
        public void init(ProcessorContext<String, Finding> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
            openOldStores();
            var longest = Math.max(lastSeenTtl == null ? 0 : lastSeenTtl, idleTimeout == null ? 0 : idleTimeout);
            context.schedule(KeyedStateDetection.ExpiringStateProcessor.purgeInterval(Duration.ofMillis(longest)),
                    PunctuationType.STREAM_TIME, this::purge);
        }

        @Override
        public void process(Record<String, AccessEvent> record) {
            var event = record.value();
            var now = KeyedStateDetection.streamTime(context, record);
            var forDormant = dormant != null && dormant.rule().counts(event);
            var forHijack = hijack != null && hijack.rule().counts(event);
            if (forHijack && hijack.late(event, now)) {
                hijack.countLate();
                forHijack = false;
            }
            if (!forDormant && !forHijack) {
                return;
            }
            var user = record.key();
            var entry = store.get(user);
            var stored = entry != null;
            var changed = false;
            if (entry == null) {
                entry = new UserActivity();
                changed = takeOldLastSeen(user, entry);
            }
            if (forHijack && oldSessions != null && entry.session(event.getSessionId()) == null) {
                changed |= takeOldSession(user, event.getSessionId(), entry);
            }
            changed |= entry.expire(now, lastSeenTtl, idleTimeout);
            current = record;
            if (forDormant) {
                changed |= dormant.apply(user, entry, event, emit);
            }
            if (forHijack) {
                hijack.apply(user, entry, event, emit);
                changed = true;
            }
            if (!entry.isEmpty() && changed) {
                store.put(user, entry);
            } else if (entry.isEmpty() && stored) {
                store.delete(user);
            }
        }

        private void emit(Finding finding) {
            context.forward(new Record<>(finding.caseKey(), finding, current.timestamp(), current.headers()));
        }

        private boolean takeOldLastSeen(String user, UserActivity entry) {
            var old = take(oldLastSeen, user);
            if (old == null) {
                return false;
            }
            entry.lastSeen = old;
            return true;
        }

        private boolean takeOldSession(String user, String sessionId, UserActivity entry) {
            var old = take(oldSessions, SessionHijackRule.sessionKey(user, sessionId));
            if (old == null) {
                return false;
            }
            entry.open(sessionId, old, SessionHijackRule.MAX_SESSIONS_PER_USER);
            return true;
        }

        /** The value of {@code key} in an old store, deleted there; null when there is none (nothing written then). */
        private static <V> V take(KeyValueStore<String, V> old, String key) {
            var value = old == null ? null : old.get(key);
            if (value != null) {
                old.delete(key);
            }
            return value;
        }

        private void openOldStores() {
            if (legacy) {
                oldLastSeen = dormant == null ? null : holdingAny(context.getStateStore(DormantAccountRule.STORE));
                oldSessions = hijack == null ? null : holdingAny(context.getStateStore(SessionHijackRule.STORE));
            }
        }

        private static <V> KeyValueStore<String, V> holdingAny(KeyValueStore<String, V> store) {
            try (var all = store.all()) {
                return all.hasNext() ? store : null;
            }
        }

        private void purge(long streamTime) {
            var stale = new ArrayList<String>();
            var shrunk = new ArrayList<KeyValue<String, UserActivity>>();
            try (var all = store.all()) {
                all.forEachRemaining(kv -> {
                    if (kv.value.expire(streamTime, lastSeenTtl, idleTimeout)) {
                        if (kv.value.isEmpty()) {
                            stale.add(kv.key);
                        } else {
                            shrunk.add(kv);
                        }
                    }
                });
            }
            stale.forEach(store::delete);
            shrunk.forEach(kv -> store.put(kv.key, kv.value));
            if (oldLastSeen != null) {
                KeyedStateDetection.deleteExpired(oldLastSeen, lastSeen -> lastSeen + lastSeenTtl <= streamTime);
            }
            if (oldSessions != null) {
                KeyedStateDetection.deleteExpired(oldSessions, session -> session.lastSeen() + idleTimeout <= streamTime);
            }
            openOldStores();
        }
    }
}
