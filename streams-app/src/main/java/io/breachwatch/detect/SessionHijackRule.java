package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.metrics.DetectorMetrics;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Severity;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.KStream;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * session-hijack: one session_id used from two countries, or from two source networks (IPv4 /16, IPv6 /48 by
 * default), while the session lasts: a stolen session cookie replayed from elsewhere. A session ends after
 * {@code idle-timeout} without events; the same id after that is a new session.
 *
 * <p>State: the user's open sessions, by session_id, in the user's entry of {@value UserActivityDetection#STORE}
 * ({@link UserActivity}, shared with dormant-account), each a {@link SessionState}: the session's time span, the
 * countries and networks seen (network prefixes, never full IPs) and the events that brought each new one. A
 * session is forgotten {@code idle-timeout} after its last event.
 *
 * <p>Once flagged, every further event of the session is a finding: the incident stage keeps it one incident
 * per user, re-emitted when another country or network appears or once per idle timeout of continued use.
 * An event whose session would already have timed out at the current stream time is late: counted in
 * {@code breachwatch.events.late} and left out. IP addresses never leave the store: incidents carry the
 * countries, the number of networks and event ids, and the user (no source_ip: the case is the user's).
 */
public record SessionHijackRule(Config config) implements Rule {
    public static final String RULE = "session-hijack";
    /**
     * The rule's own store before {@value UserActivityDetection#STORE} (before 2026-12-06):
     * {@code tenant/user/session_id} -> {@link SessionState}. Read until empty, so an upgrade keeps open sessions.
     */
    public static final String STORE = RULE + "-sessions";
    /** Countries, networks and change events kept per session. */
    static final int MAX_PER_SESSION = 16;
    /**
     * Open sessions kept per user: a client that opens a session per request (some integrations do) would otherwise
     * make its user's entry, rewritten on every event, grow with its request rate. Beyond it the session with the
     * oldest last event is forgotten; a person has a few sessions at a time.
     */
    static final int MAX_SESSIONS_PER_USER = 32;

    private static final KeyedStateDetection.BasicKeys BASIC = KeyedStateDetection.BasicKeys.of(RULE, Severity.HIGH, "1h");
    public static final Field<Duration> IDLE_TIMEOUT = Field.duration("detect." + RULE + ".idle-timeout", "30m",
            RULE + ": a session ends after this long without events");
    public static final Field<Integer> IPV4_PREFIX = Field.intRange("detect." + RULE + ".ipv4-prefix", 16, 0, 32,
            RULE + ": IPv4 addresses sharing this many leading bits are one network (0: compare countries only)");
    public static final Field<Integer> IPV6_PREFIX = Field.intRange("detect." + RULE + ".ipv6-prefix", 48, 0, 128,
            RULE + ": IPv6 addresses sharing this many leading bits are one network (0: compare countries only)");
    public static final List<Field<?>> KEYS = BASIC.with(IDLE_TIMEOUT, IPV4_PREFIX, IPV6_PREFIX);

    public record Config(Duration idleTimeout, int ipv4Prefix, int ipv6Prefix, Severity severity, Duration mergeGap) {
    }

    /** The rule configured from {@code settings}, or null when it is disabled. */
    public static SessionHijackRule create(Settings settings) {
        if (!BASIC.enabledIn(settings)) {
            return null;
        }
        return new SessionHijackRule(new Config(settings.get(IDLE_TIMEOUT), settings.get(IPV4_PREFIX), settings.get(IPV6_PREFIX),
                settings.get(BASIC.severity()), settings.get(BASIC.mergeGap())));
    }

    /**
     * What one session has shown so far: its time span, the countries and networks seen, and the events that
     * matter (the first, and each that brought another country or network). Small on purpose: it is rewritten on
     * every event of every session. Mutable: read, add one event, write back.
     */
    public static final class SessionState {
        static final Serde<SessionState> SERDE = KeyedStateDetection.serde("session state", SessionState::write, SessionState::read);

        /** One event that matters to the case: id, time and country only. */
        public record Marker(String eventId, long time, String country) {
        }

        private long firstSeen = Long.MAX_VALUE;
        private long lastSeen = Long.MIN_VALUE;
        private final Set<String> countries = new SortedNames();
        private final Set<String> networks = new SortedNames();
        private final List<Marker> markers = new ArrayList<>();

        /** Adds one event; its country and network (either may be null) join the session's. */
        SessionState add(AccessEvent event, String network) {
            var time = event.getTimestamp().toEpochMilli();
            firstSeen = Math.min(firstSeen, time);
            lastSeen = Math.max(lastSeen, time);
            var changed = addCapped(countries, event.getCountry()) | addCapped(networks, network);
            if ((markers.isEmpty() || changed) && markers.size() < MAX_PER_SESSION) {
                markers.add(new Marker(event.getEventId(), time, event.getCountry()));
            }
            return this;
        }

        /** Whether {@code set} gained {@code value} and now holds more than one. */
        private static boolean addCapped(Set<String> set, String value) {
            return value != null && !value.isBlank() && set.size() < MAX_PER_SESSION && set.add(value) && set.size() > 1;
        }

        public long firstSeen() { return firstSeen; }
        public long lastSeen() { return lastSeen; }
        /** Sorted. */
        public List<String> countries() { return List.copyOf(countries); }
        /** The session's first event, then each that brought another country or network. */
        public List<Marker> markers() { return List.copyOf(markers); }

        /** The events that brought a second (third, ...) country or network into the session. */
        public List<String> changeEvents() {
            return markers.stream().skip(1).map(Marker::eventId).toList();
        }

        /**
         * Distinct networks within one address family: a dual-stack client switching between its IPv4 and IPv6
         * address is one client, not two networks.
         */
        public int distinctNetworks() {
            int v4 = 0;
            for (var network : networks) {
                if (network.startsWith(Networks.V4)) {
                    v4++;
                }
            }
            return Math.max(v4, networks.size() - v4);
        }

        /** Distinct countries or networks, whichever is more. */
        public int observed() {
            return Math.max(countries.size(), distinctNetworks());
        }

        static void write(SessionState s, DataOutput out) throws IOException {
            out.writeLong(s.firstSeen);
            out.writeLong(s.lastSeen);
            KeyedStateDetection.writeStrings(out, s.countries);
            KeyedStateDetection.writeStrings(out, s.networks);
            out.writeInt(s.markers.size());
            for (var m : s.markers) {
                out.writeUTF(m.eventId());
                out.writeLong(m.time());
                KeyedStateDetection.writeNullable(out, m.country());
            }
        }

        static SessionState read(DataInput in) throws IOException {
            var s = new SessionState();
            s.firstSeen = in.readLong();
            s.lastSeen = in.readLong();
            KeyedStateDetection.readStrings(in, s.countries);
            KeyedStateDetection.readStrings(in, s.networks);
            var n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.markers.add(new Marker(in.readUTF(), in.readLong(), KeyedStateDetection.readNullable(in)));
            }
            return s;
        }
    }

    /** The store key of an event's session. */
    public static String sessionKey(String entity, String sessionId) {
        return entity + "/" + sessionId;
    }

    @Override
    public RuleSettings settings() {
        // an ongoing case is re-emitted at most once per idle timeout unless another country or network appears
        return new RuleSettings(RULE, config.severity(), 1, config.idleTimeout(), config.mergeGap());
    }

    @Override
    public String incidentType() {
        return "account_takeover";
    }


    @Override
    public boolean dataLeft() {
        return false;
    }

    /** Events of a session that say where they came from. */
    @Override
    public boolean counts(AccessEvent event) {
        return event.getSessionId() != null && !event.getSessionId().isEmpty()
                && (event.getCountry() != null || event.getSourceIp() != null);
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return UserActivityDetection.findings(eventsByEntity, List.of(this), context);
    }

    /** The rule's work on one user's entry of {@link UserActivityDetection}. */
    static final class Tracker {
        private final SessionHijackRule rule;
        private final DetectorMetrics metrics;
        private final long idleMillis;
        /** Once: {@code settings()} makes a new record on every call, and this runs for every event of a session. */
        private final double threshold;

        Tracker(SessionHijackRule rule, DetectorMetrics metrics) {
            this.rule = rule;
            this.metrics = metrics;
            this.idleMillis = rule.config.idleTimeout().toMillis();
            this.threshold = rule.settings().threshold();
        }

        SessionHijackRule rule() {
            return rule;
        }

        /** How long a session lasts without events. */
        long idleMillis() {
            return idleMillis;
        }

        /** Whether the event's session would already have timed out at {@code now}: then the rule leaves it out. */
        boolean late(AccessEvent event, long now) {
            return event.getTimestamp().toEpochMilli() + idleMillis <= now;
        }

        /**
         * Applies an event the rule counts, not {@link #late}, to its session in {@code user} (idle sessions already
         * forgotten), opening it when new; a finding while the session shows more than one country or network.
         */
        void apply(String entity, UserActivity user, AccessEvent event, Consumer<Finding> findings) {
            var state = user.session(event.getSessionId());
            if (state == null) {
                state = user.open(event.getSessionId(), new SessionState(), MAX_SESSIONS_PER_USER);
            }
            state.add(event, Networks.of(event.getSourceIp(), rule.config.ipv4Prefix(), rule.config.ipv6Prefix()));
            if (state.observed() > threshold) {
                findings.accept(rule.finding(entity, state, event));
            }
        }

        void countLate() {
            metrics.late(RULE);
        }
    }

    /**
     * A finding of a flagged session: the events that matter (first, and each that brought another country or
     * network) plus the current one, which carries what was read (fields, customers) into the incident.
     */
    private Finding finding(String entity, SessionState state, AccessEvent current) {
        var events = new WindowAggregate();
        var currentIsMarker = false;
        for (var m : state.markers()) {
            var isCurrent = m.eventId().equals(current.getEventId());
            currentIsMarker |= isCurrent;
            events.add(isCurrent ? current : KeyedStateDetection.remembered(m.eventId(), m.time(), m.country(), Action.OTHER, current),
                    isCurrent ? current.getCustomerId() : null);
        }
        if (!currentIsMarker) {
            events.add(current, current.getCustomerId());
        }
        var attributes = Map.of(
                "countries", String.join(",", state.countries()),
                "distinct_countries", Integer.toString(state.countries().size()),
                "distinct_networks", Integer.toString(state.distinctNetworks()),
                "change_event_ids", String.join(",", state.changeEvents()));
        return new Finding(this, entity, state.firstSeen(), state.lastSeen(), state.observed(), events,
                null, false, List.of(), attributes);
    }

    @Override
    public String summary(Incident incident) {
        var a = incident.getAttributes();
        var countries = a.getOrDefault("countries", "");
        return Summaries.user(incident) + " used one session from " + a.get("distinct_countries") + " "
                + (a.get("distinct_countries").equals("1") ? "country" : "countries")
                + (countries.isEmpty() ? "" : " (" + countries.replace(",", ", ") + ")")
                + " and " + a.get("distinct_networks") + " " + (a.get("distinct_networks").equals("1") ? "network" : "networks")
                + " between " + Summaries.span(incident.getFirstSeen(), incident.getLastSeen())
                + " (threshold: more than " + Summaries.count(incident.getThreshold()) + " of either).";
    }
}
