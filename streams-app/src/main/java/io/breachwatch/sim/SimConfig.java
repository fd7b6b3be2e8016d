package io.breachwatch.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to simulate. Same config, same events: every random choice derives from {@code seed}.
 *
 * @param users              accounts in total, split evenly over the tenants (at least 5 per tenant)
 * @param tenants            CRM organisations
 * @param days               simulated days from {@code start}
 * @param start              first simulated instant (the default is a Monday 00:00 in Asia/Shanghai)
 * @param scenarios          kinds to inject; empty for benign traffic only
 * @param scenarioEvery      null: spread over the days (about one of each kind per tenant every 4 days);
 *                           otherwise one scenario every so often from {@code firstScenarioAfter}, kinds in turn (demo)
 * @param firstScenarioAfter offset of the first scheduled scenario when {@code scenarioEvery} is set
 * @param nightlyExport50k   the integration accounts export 50,000 rows in one night hour instead of 8,000 an hour
 *                           (legitimate, but bulk-export flags it until export-baseline exists; off by default)
 */
public record SimConfig(long seed, int users, int tenants, int days, Instant start, Set<ScenarioKind> scenarios,
                        Duration scenarioEvery, Duration firstScenarioAfter, boolean nightlyExport50k) {
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    public static final Instant DEFAULT_START = LocalDate.of(2025, 3, 3).atStartOfDay(ZONE).toInstant();

    public SimConfig {
        require(users >= 1, "users must be >= 1, was " + users);
        require(tenants >= 1, "tenants must be >= 1, was " + tenants);
        require(users >= tenants * 5, "need at least 5 users per tenant: users=" + users + ", tenants=" + tenants);
        require(days >= 1, "days must be >= 1, was " + days);
        scenarios = scenarios.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scenarios));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Batch defaults: every scenario kind, spread over the days. */
    public static SimConfig of(long seed, int users, int tenants, int days) {
        return new SimConfig(seed, users, tenants, days, DEFAULT_START, EnumSet.allOf(ScenarioKind.class), null, null, false);
    }

    public SimConfig withStart(Instant start) {
        return new SimConfig(seed, users, tenants, days, start, scenarios, scenarioEvery, firstScenarioAfter, nightlyExport50k);
    }

    public SimConfig withScenarios(Set<ScenarioKind> kinds) {
        return new SimConfig(seed, users, tenants, days, start, kinds, scenarioEvery, firstScenarioAfter, nightlyExport50k);
    }

    /** A scenario every {@code every}, the first after {@code first}: the live demo's schedule. */
    public SimConfig withScenarioEvery(Duration first, Duration every) {
        return new SimConfig(seed, users, tenants, days, start, scenarios, every, first, nightlyExport50k);
    }

    public SimConfig withNightlyExport50k(boolean enabled) {
        return new SimConfig(seed, users, tenants, days, start, scenarios, scenarioEvery, firstScenarioAfter, enabled);
    }

    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }
}
