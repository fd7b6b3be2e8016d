package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * impossible-travel: two successful logins of one user from places so far apart (great-circle distance) that
 * the time between them would need more than {@code max-speed-kmh}. Logins without coordinates are ignored;
 * pairs closer than {@code min-distance-km} never fire, so the jitter of IP geolocation stays silent.
 *
 * <p>State: store {@value #STORE}, {@code tenant/user} -> the user's latest login by event time (time,
 * coordinates, country, event id). An entry expires once no later login could be too fast for it: half the
 * Earth's circumference at the maximum speed (about 20 h at 1000 km/h).
 *
 * <p>Out of order: each login is compared with the latest login known by event time, whichever came first, and
 * the elapsed time is the absolute difference; a late login never replaces a later one in the store. A late
 * login is therefore compared with the user's latest login, not necessarily with its chronological neighbour.
 * Logins less than a minute apart count as a minute apart: neither clocks nor geolocation are finer, and
 * the speed stays a finite number.
 */
public record ImpossibleTravelRule(Config config) implements Rule {
    public static final String RULE = "impossible-travel";
    /** Key-value store: {@code tenant/user} -> {@link LastLogin}. */
    public static final String STORE = RULE + "-last-login";
    /** Mean Earth radius (IUGG), km. */
    static final double EARTH_RADIUS_KM = 6371.0088;
    static final Duration MIN_ELAPSED = Duration.ofMinutes(1);

    private static final KeyedStateDetection.BasicKeys BASIC = KeyedStateDetection.BasicKeys.of(RULE, Severity.HIGH, "24h");
    public static final Field<Double> MAX_SPEED = Field.positiveDouble("detect." + RULE + ".max-speed-kmh", 1000,
            RULE + ": fires when two logins need more than this speed (km/h); airliners cruise at about 900");
    public static final Field<Double> MIN_DISTANCE = Field.positiveDouble("detect." + RULE + ".min-distance-km", 500,
            RULE + ": logins closer than this (km) never fire: IP geolocation is often this far off");
    public static final List<Field<?>> KEYS = BASIC.with(MAX_SPEED, MIN_DISTANCE);

    /**
     * @param mergeGap a finding within this time of the user's open incident extends it
     */
    public record Config(double maxSpeedKmh, double minDistanceKm, Severity severity, Duration mergeGap) {

        /** How long a last login can matter: beyond it no login is too fast for it, wherever on Earth. */
        public Duration ttl() {
            var hours = Math.PI * EARTH_RADIUS_KM / maxSpeedKmh;
            return Duration.ofMillis((long) Math.ceil(hours * 3_600_000));
        }
    }

    /** The rule configured from {@code settings}, or null when it is disabled. */
    public static ImpossibleTravelRule create(Settings settings) {
        if (!BASIC.enabledIn(settings)) {
            return null;
        }
        return new ImpossibleTravelRule(new Config(settings.get(MAX_SPEED), settings.get(MIN_DISTANCE),
                settings.get(BASIC.severity()), settings.get(BASIC.mergeGap())));
    }

    /** The latest login of a user; coordinates stay in the store, never in logs or incidents. */
    public record LastLogin(long time, double latitude, double longitude, String country, String eventId) {
        static final Serde<LastLogin> SERDE = KeyedStateDetection.serde("last login", (v, out) -> {
            out.writeLong(v.time);
            out.writeDouble(v.latitude);
            out.writeDouble(v.longitude);
            KeyedStateDetection.writeNullable(out, v.country);
            out.writeUTF(v.eventId);
        }, in -> new LastLogin(in.readLong(), in.readDouble(), in.readDouble(), KeyedStateDetection.readNullable(in), in.readUTF()));

        static LastLogin of(AccessEvent e) {
            return new LastLogin(e.getTimestamp().toEpochMilli(), e.getLatitude(), e.getLongitude(), e.getCountry(), e.getEventId());
        }
    }

    @Override
    public RuleSettings settings() {
        // re-emit an ongoing case at most once an hour unless it gets faster
        return new RuleSettings(RULE, config.severity(), config.maxSpeedKmh(), Duration.ofHours(1), config.mergeGap());
    }

    @Override
    public String incidentType() {
        return "account_takeover";
    }


    @Override
    public boolean dataLeft() {
        return false;
    }

    /** Successful logins with valid coordinates. */
    @Override
    public boolean counts(AccessEvent event) {
        return event.getAction() == Action.LOGIN && event.getOutcome() == Outcome.SUCCESS
                && validCoordinates(event.getLatitude(), event.getLongitude());
    }

    static boolean validCoordinates(Double latitude, Double longitude) {
        return latitude != null && longitude != null
                && latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180;
    }

    /** Great-circle distance by the haversine formula, km. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        var dLat = Math.toRadians(lat2 - lat1);
        var dLon = Math.toRadians(lon2 - lon1);
        var a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The speed (km/h) that covers {@code km} in {@code elapsedMs}, with elapsed at least {@link #MIN_ELAPSED}. */
    static double speedKmh(double km, long elapsedMs) {
        return km / (Math.max(elapsedMs, MIN_ELAPSED.toMillis()) / 3_600_000.0);
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return KeyedStateDetection.findings(eventsByEntity, this, context, STORE, LastLogin.SERDE, () -> new Detect(this));
    }

    private static final class Detect extends KeyedStateDetection.ExpiringStateProcessor<LastLogin> {
        private final ImpossibleTravelRule rule;

        Detect(ImpossibleTravelRule rule) {
            super(STORE, rule.config.ttl());
            this.rule = rule;
        }

        @Override
        protected long lastActivity(LastLogin value) {
            return value.time();
        }

        @Override
        public void process(Record<String, AccessEvent> record) {
            var login = record.value();
            var current = LastLogin.of(login);
            var previous = live(record.key(), now(record));
            if (previous != null) {
                rule.compare(record.key(), previous, login).ifPresent(f -> emit(f, record));
            }
            if (previous == null || current.time() >= previous.time()) {
                store.put(record.key(), current);
            }
        }
    }

    /** A finding when {@code login} and {@code previous} are far enough apart and too close in time. */
    Optional<Finding> compare(String entity, LastLogin previous, AccessEvent login) {
        var km = distanceKm(previous.latitude(), previous.longitude(), login.getLatitude(), login.getLongitude());
        var time = login.getTimestamp().toEpochMilli();
        var speed = speedKmh(km, Math.abs(time - previous.time()));
        if (km < config.minDistanceKm() || speed <= config.maxSpeedKmh()) {
            return Optional.empty();
        }
        var stored = KeyedStateDetection.remembered(previous.eventId(), previous.time(), previous.country(), Action.LOGIN, login);
        var inOrder = previous.time() <= time;
        var earlier = inOrder ? stored : login;
        var later = inOrder ? login : stored;
        var window = new WindowAggregate().add(earlier, null).add(later, null);
        var attributes = Map.of(
                "speed_kmh", Long.toString(Math.round(speed)),
                "distance_km", Long.toString(Math.round(km)),
                "elapsed_minutes", Long.toString(Math.abs(time - previous.time()) / 60_000),
                "from_country", country(earlier.getCountry()),
                "to_country", country(later.getCountry()));
        return Optional.of(new Finding(this, entity, earlier.getTimestamp().toEpochMilli(), later.getTimestamp().toEpochMilli(),
                speed, window, null, false, List.of(), attributes));
    }

    private static String country(String code) {
        return code == null || code.isBlank() ? "unknown" : code;
    }

    /** Logins return no records. */
    @Override
    public long affectedIndividuals(Incident incident) {
        return 0;
    }

    @Override
    public String summary(Incident incident) {
        var a = incident.getAttributes();
        return String.format(Locale.ROOT, "%s logged in from places that would need %s km/h of travel (threshold %s km/h)"
                        + " between %s; latest pair: %s to %s, %s km in %s min.",
                Summaries.user(incident), Summaries.count(Math.round(incident.getObserved())), Summaries.count(incident.getThreshold()),
                Summaries.span(incident.getFirstSeen(), incident.getLastSeen()),
                a.get("from_country"), a.get("to_country"), Summaries.count(Double.parseDouble(a.get("distance_km"))),
                Summaries.count(Double.parseDouble(a.get("elapsed_minutes"))));
    }
}
