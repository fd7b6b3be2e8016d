package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.apache.kafka.streams.kstream.KStream;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * dormant-account: activity by an account that had been silent for more than {@code silent-days}. The first
 * activity ever seen of a user never fires (there is nothing to compare with).
 *
 * <p>Activity is any event the account itself performed: everything except failed login attempts
 * ({@code LOGIN_FAILED}, or {@code LOGIN} without success). Attempts do not prove the account was used, and
 * if they refreshed the last-seen time, an attacker's failed guesses would hide the successful login that wakes
 * the account.
 *
 * <p>State: the user's last activity (event time) in the user's entry of {@value UserActivityDetection#STORE}
 * ({@link UserActivity}, shared with session-hijack). It is forgotten {@code retention} after it (default 365 days), so the store holds the users active within that time, not
 * every user ever seen. The consequence, accepted on purpose: an account silent for longer than
 * {@code retention} looks new when it comes back and does not fire. CRM accounts are employees, integrations
 * and API clients, so the store is small (tens of bytes per user) even with a long retention: raise it
 * rather than trade it for a probabilistic structure; accounts unused for years are for deprovisioning (IAM)
 * to remove. Out of order: an event older than the stored last activity never fires and never rewinds it.
 * Last-seen is kept to the hour ({@link #RESOLUTION}): it is rewritten only when an event is at least an hour
 * later, so a silence may read up to an hour longer than it was.
 */
public record DormantAccountRule(Config config) implements Rule {
    public static final String RULE = "dormant-account";
    /**
     * The rule's own store before {@value UserActivityDetection#STORE} (before 2026-12-06): {@code tenant/user} -> last
     * activity, epoch millis. Read until empty, so an upgrade keeps every user's last activity.
     */
    public static final String STORE = RULE + "-last-seen";
    private static final Duration DAY = Duration.ofDays(1);
    /**
     * Last-seen is rewritten at most once per this much event time: the rule sees every event, and one store write
     * (and changelog record) per user and hour instead of per event costs a silence measured at most this much long.
     */
    static final Duration RESOLUTION = Duration.ofHours(1);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final KeyedStateDetection.BasicKeys BASIC = KeyedStateDetection.BasicKeys.of(RULE, Severity.MEDIUM, null);
    public static final Field<Long> SILENT_DAYS = Field.positiveLong("detect." + RULE + ".silent-days", 90,
            RULE + ": fires on activity after more than this many days without any");
    public static final Field<Duration> RETENTION = Field.duration("detect." + RULE + ".retention", "365d",
            RULE + ": how long a user's last activity is kept; an account silent for longer looks new (must exceed silent-days)");
    public static final List<Field<?>> KEYS = BASIC.with(SILENT_DAYS, RETENTION);

    public record Config(long silentDays, Duration retention, Severity severity) {

        public Duration silence() {
            return DAY.multipliedBy(silentDays);
        }
    }

    /** The rule configured from {@code settings}, or null when it is disabled; retention must exceed the silence. */
    public static DormantAccountRule create(Settings settings) {
        if (!BASIC.enabledIn(settings)) {
            return null;
        }
        var config = new Config(settings.get(SILENT_DAYS), settings.get(RETENTION), settings.get(BASIC.severity()));
        if (config.retention().compareTo(config.silence()) <= 0) {
            throw new ConfigException(RETENTION.key(), "must be longer than " + SILENT_DAYS.key() + " (" + config.silentDays()
                    + " days), or no account could ever be found dormant; got " + config.retention());
        }
        return new DormantAccountRule(config);
    }

    @Override
    public RuleSettings settings() {
        // one finding per wake-up: two cannot fall within a day, so a day of merge gap is only a formality
        return new RuleSettings(RULE, config.severity(), config.silentDays(), DAY, DAY);
    }

    @Override
    public String incidentType() {
        return "dormant_account";
    }


    @Override
    public boolean dataLeft() {
        return false;
    }

    /** Everything the account did itself; failed login attempts are not activity of the account. */
    @Override
    public boolean counts(AccessEvent event) {
        return event.getAction() != Action.LOGIN_FAILED
                && !(event.getAction() == Action.LOGIN && event.getOutcome() != Outcome.SUCCESS);
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return UserActivityDetection.findings(eventsByEntity, List.of(this), context);
    }

    /** The rule's work on one user's entry of {@link UserActivityDetection}, with its durations in millis once. */
    static final class Tracker {
        private final DormantAccountRule rule;
        /** The silence in millis, once: {@code Duration.multipliedBy} divides BigIntegers, per event it was 2 % of replay. */
        private final long silenceMillis;
        private final long retentionMillis;

        Tracker(DormantAccountRule rule) {
            this.rule = rule;
            this.silenceMillis = rule.config.silence().toMillis();
            this.retentionMillis = rule.config.retention().toMillis();
        }

        DormantAccountRule rule() {
            return rule;
        }

        /** How long a last activity is kept. */
        long retentionMillis() {
            return retentionMillis;
        }

        /**
         * Applies an event the rule counts to {@code user} (expired parts already forgotten): a finding when it ends a
         * silence longer than the threshold; last-seen moves when the event is at least {@link #RESOLUTION} later.
         *
         * @return whether the entry changed
         */
        boolean apply(String entity, UserActivity user, AccessEvent event, Consumer<Finding> findings) {
            var time = event.getTimestamp().toEpochMilli();
            var lastSeen = user.lastSeen;
            var known = lastSeen != UserActivity.NONE;
            if (known && time - lastSeen > silenceMillis) {
                findings.accept(rule.finding(entity, lastSeen, event));
            }
            if (!known || time - lastSeen >= RESOLUTION.toMillis()) {
                user.lastSeen = time;
                return true;
            }
            return false;
        }
    }

    private Finding finding(String entity, long lastSeen, AccessEvent event) {
        var time = event.getTimestamp().toEpochMilli();
        var days = (time - lastSeen) / (double) DAY.toMillis();
        return new Finding(this, entity, lastSeen, time, days, new WindowAggregate().add(event, event.getCustomerId()),
                null, false, List.of(), Map.of("silent_since", Instant.ofEpochMilli(lastSeen).toString(),
                "silent_days", Long.toString((time - lastSeen) / DAY.toMillis())));
    }

    @Override
    public String summary(Incident incident) {
        return Summaries.user(incident) + " was active again at " + DATE_TIME.format(incident.getFirstSeen()) + " UTC after "
                + Summaries.count(Math.floor(incident.getObserved() * 10) / 10) + " days without activity (threshold "
                + Summaries.count(incident.getThreshold()) + " days).";
    }
}
