package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.Severity;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The settings of export-baseline ({@code detect.export-baseline.*}). A day's export volume fires when it is at
 * least {@code zThreshold} standard deviations AND {@code ratio} times above the baseline mean AND at least
 * {@code floor} records. Users with fewer than {@code minDays} days of history are compared with their role's
 * peers in the tenant (at least {@code minPeers} users); with neither, a first day fires from {@code newUserFloor}.
 *
 * @param learningPeriod after the rule first sees an event (a fresh deployment or replay), every user looks new:
 *                       for this long (event time) users without peers or enough own history do not fire
 * @param halfLifeDays   how many days of history weigh half of the exponentially weighted baseline
 * @param retention    a user (and their peer entry) inactive this long in event time is forgotten
 */
public record ExportBaselineConfig(boolean enabled, ZoneId timeZone, double zThreshold, double ratio, long floor,
                                   int minDays, int minPeers, long newUserFloor, Duration learningPeriod, int halfLifeDays,
                                   Duration retention, Severity severity, Duration mergeGap) {
    public static final String RULE = "export-baseline";
    private static final String P = "detect." + RULE + ".";

    static final KeyedStateDetection.BasicKeys BASIC = KeyedStateDetection.BasicKeys.of(RULE, Severity.MEDIUM, "1h");
    public static final Field<ZoneId> TIME_ZONE = new Field<>(P + "time-zone", "Asia/Shanghai",
            RULE + ": time zone whose midnight closes a day of export volume",
            "an IANA time zone such as Asia/Shanghai or UTC", ZoneId::of, z -> true);
    public static final Field<Double> Z_THRESHOLD = Field.positiveDouble(P + "z-threshold", 4,
            RULE + ": fires only when the day's volume is at least this many standard deviations above the baseline mean");
    public static final Field<Double> RATIO = new Field<>(P + "ratio", "3", RULE
            + ": fires only when the day's volume is at least this multiple of the baseline mean",
            "a number >= 1", Double::valueOf, v -> v >= 1 && !v.isInfinite());
    public static final Field<Long> FLOOR = Field.positiveLong(P + "floor", 2_000,
            RULE + ": fires only when the day's volume is at least this many records (tiny baselines do not fire on noise)");
    public static final Field<Integer> MIN_DAYS = Field.intRange(P + "min-days", 7, 1, 365,
            RULE + ": days with exports a user needs before their own baseline is used instead of their role's peers");
    public static final Field<Integer> MIN_PEERS = Field.intRange(P + "min-peers", 5, 1, 100_000,
            RULE + ": users of the same role and tenant with history needed for a peer baseline");
    public static final Field<Long> NEW_USER_FLOOR = Field.positiveLong(P + "new-user-floor", 20_000,
            RULE + ": a user with no history and no peer baseline fires from this many records in a day");
    public static final Field<Duration> LEARNING_PERIOD = Field.durationOrZero(P + "learning-period", "18h",
            RULE + ": after the first event the rule sees, every user looks new: users without peers or enough own history do not fire for this long (0s: off)");
    public static final Field<Integer> HALF_LIFE_DAYS = Field.intRange(P + "half-life-days", 14, 1, 365,
            RULE + ": days of history that weigh half of the exponentially weighted mean and variance");
    public static final Field<Duration> RETENTION = Field.duration(P + "retention", "30d",
            RULE + ": a user without exports for this long (event time) is forgotten, with their peer entry");

    public static final List<Field<?>> KEYS = BASIC.with(TIME_ZONE, Z_THRESHOLD, RATIO, FLOOR, MIN_DAYS, MIN_PEERS,
            NEW_USER_FLOOR, LEARNING_PERIOD, HALF_LIFE_DAYS, RETENTION);

    public static ExportBaselineConfig read(Settings settings) {
        var floor = settings.get(FLOOR);
        var newUserFloor = settings.get(NEW_USER_FLOOR);
        if (newUserFloor < floor) {
            throw new ConfigException(NEW_USER_FLOOR.key(), "must be at least " + FLOOR.key() + " (" + floor + "), got " + newUserFloor);
        }
        var retention = settings.get(RETENTION);
        if (retention.compareTo(Duration.ofDays(2)) < 0) {
            throw new ConfigException(RETENTION.key(), "must be at least 2d (a day must close before it is forgotten), got " + retention);
        }
        return new ExportBaselineConfig(BASIC.enabledIn(settings), settings.get(TIME_ZONE), settings.get(Z_THRESHOLD),
                settings.get(RATIO), floor, settings.get(MIN_DAYS), settings.get(MIN_PEERS), newUserFloor,
                settings.get(LEARNING_PERIOD), settings.get(HALF_LIFE_DAYS), retention,
                settings.get(BASIC.severity()), settings.get(BASIC.mergeGap()));
    }

    /** The incident stage's view: threshold = the floor (the per-user threshold is in each incident's attributes). */
    public RuleSettings ruleSettings() {
        return new RuleSettings(RULE, severity, floor, Duration.ofDays(1), mergeGap);
    }

    /** Weight of a newly closed day once the history is long: {@code 1 - 2^(-1/halfLife)}. */
    public double alpha() {
        return 1 - Math.pow(2, -1.0 / halfLifeDays);
    }

    /** The local day (days since the epoch in {@link #timeZone}) of an event time. */
    public long day(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).atZone(timeZone).toLocalDate().toEpochDay();
    }

    /** Start of a local day, epoch millis. */
    public long dayStart(long day) {
        return java.time.LocalDate.ofEpochDay(day).atStartOfDay(timeZone).toInstant().toEpochMilli();
    }

    public long retentionDays() {
        return Math.max(1, retention.toDays());
    }
}
