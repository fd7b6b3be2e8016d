package io.breachwatch.sim;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Everyday CRM use, hour by hour: office hours Mon-Fri in Asia/Shanghai with a lunch dip and a weekly rhythm,
 * a little weekend work, typos at login, the odd denied request, and the legitimately heavy accounts. Every
 * account stays well below the detectors' thresholds (see the caps below) so that only injected scenarios fire.
 */
final class BenignTraffic {
    /** Exports + report rows one ordinary account may pull in one clock hour; two adjacent hours stay far below 10,000. */
    private static final long HOURLY_EXPORT_CAP = 2_000;
    private static final Duration NIGHTLY_BATCH_EVERY = Duration.ofMinutes(6);
    private static final long NIGHTLY_BATCH_ROWS = 800;

    private final SimConfig config;
    private final Population population;

    BenignTraffic(SimConfig config, Population population) {
        this.config = config;
        this.population = population;
    }

    /** Every benign event in [hourStart, hourStart + 1h), unordered. */
    void hour(Instant hourStart, long hourIndex, List<AccessEvent> out) {
        var local = hourStart.atZone(SimConfig.ZONE);
        for (var user : population.users) {
            var rng = Rng.of(config.seed(), 2, user.index(), hourIndex);
            if (user.profile() == Profile.NIGHTLY_INTEGRATION) {
                integration(user, hourStart, local, rng, out);
            } else {
                person(user, hourStart, local, rng, out);
            }
        }
    }

    // ------------------------------------------------------------------ people

    private record DayPlan(boolean present, Instant login, Instant logout) {
    }

    private DayPlan plan(SimUser user, ZonedDateTime local) {
        var date = local.toLocalDate();
        var rng = Rng.of(config.seed(), 3, user.index(), date.toEpochDay());
        boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        var midnight = date.atStartOfDay(SimConfig.ZONE);
        if (weekend) {
            var login = midnight.plusMinutes(600 + rng.nextInt(240));
            return new DayPlan(rng.nextDouble() < 0.07, login.toInstant(), login.plusMinutes(60 + rng.nextInt(120)).toInstant());
        }
        var login = midnight.plusMinutes(510 + rng.nextInt(75));
        var logout = midnight.plusMinutes(1050 + rng.nextInt(90));
        return new DayPlan(rng.nextDouble() < 0.95, login.toInstant(), logout.toInstant());
    }

    private void person(SimUser user, Instant hourStart, ZonedDateTime local, SplittableRandom rng, List<AccessEvent> out) {
        var plan = plan(user, local);
        var hourEnd = hourStart.plus(Duration.ofHours(1));
        if (!plan.present() || !plan.login().isBefore(hourEnd) || !plan.logout().isAfter(hourStart)) {
            return;
        }
        boolean weekend = local.getDayOfWeek().getValue() >= 6;
        String ip = weekend ? user.homeIp() : user.officeIp();
        var from = plan.login().isAfter(hourStart) ? plan.login() : hourStart;
        var to = plan.logout().isBefore(hourEnd) ? plan.logout() : hourEnd;
        if (!plan.login().isBefore(hourStart)) {
            if (rng.nextDouble() < 0.02) {
                var typoTime = plan.login().minusSeconds(20).isBefore(hourStart) ? hourStart : plan.login().minusSeconds(20);
                var typo = Events.from(user, typoTime, Action.LOGIN_FAILED, ip, user.city());
                out.add(typo.setOutcome(Outcome.FAILED).setUserRole(null).build());
            }
            out.add(Events.from(user, plan.login(), Action.LOGIN, ip, user.city()).build());
        }
        if (plan.logout().isBefore(hourEnd)) {
            out.add(Events.from(user, plan.logout(), Action.LOGOUT, ip, user.city()).build());
        }
        double fraction = Duration.between(from, to).toMillis() / 3_600_000.0;
        double rate = (user.profile() == Profile.BIG_TERRITORY ? 110 : user.role().actionsPerHour)
                * fraction * weekdayFactor(local.getDayOfWeek()) * (local.getHour() == 12 ? 0.4 : 1.0);
        boolean campaignHour = user.profile() == Profile.CAMPAIGN_EXPORTER
                && local.getDayOfWeek() == DayOfWeek.TUESDAY && local.getHour() == 10;
        long exportBudget = campaignHour ? 0 : HOURLY_EXPORT_CAP;
        int actions = Rng.poisson(rng, rate);
        long span = Math.max(1, Duration.between(from, to).toMillis());
        for (int i = 0; i < actions; i++) {
            var time = from.plusMillis(rng.nextLong(span));
            var event = action(user, time, ip, rng, exportBudget);
            if (event != null) {
                exportBudget -= countsAsExport(event) ? event.getRecordCount() : 0;
                out.add(event);
            }
        }
        if (campaignHour) {
            campaign(user, local, ip, out);
        }
    }

    private static double weekdayFactor(DayOfWeek day) {
        return switch (day) {
            case MONDAY -> 1.1;
            case TUESDAY -> 1.05;
            case FRIDAY -> 0.85;
            case SATURDAY, SUNDAY -> 0.6;
            default -> 1.0;
        };
    }

    private static boolean countsAsExport(AccessEvent e) {
        return e.getAction() == Action.EXPORT || e.getAction() == Action.BULK_API || e.getAction() == Action.REPORT_RUN;
    }

    private AccessEvent action(SimUser user, Instant time, String ip, SplittableRandom rng, long exportBudget) {
        var action = chooseAction(user, rng);
        var b = Events.from(user, time, action, ip, user.city());
        int tenant = population.tenantIndex(user);
        switch (action) {
            case VIEW, UPDATE, SHARE, DELETE -> {
                var customer = customer(user, tenant, rng);
                boolean isCase = user.role() == Role.SUPPORT && rng.nextDouble() < 0.4;
                Events.withRecord(b, isCase ? "Case" : "Contact", "rec-" + customer, customer, 1,
                        isCase ? Events.CASE_FIELDS : Events.CONTACT_FIELDS);
            }
            case SEARCH -> Events.withRecord(b, "Contact", null, null, 5 + rng.nextInt(45), List.of("name"));
            case LIST_VIEW -> Events.withRecord(b, rng.nextBoolean() ? "Account" : "Lead", null, null, 20 + rng.nextInt(180), Events.ACCOUNT_FIELDS);
            case REPORT_RUN, EXPORT -> {
                long rows = action == Action.EXPORT ? 50 + rng.nextInt(750) : 50 + rng.nextInt(1450);
                if (rows > exportBudget) {
                    return null;
                }
                Events.withRecord(b, "Report", String.format(Locale.ROOT, "rpt-%03d", rng.nextInt(200)), null, rows,
                        action == Action.EXPORT ? Events.CONTACT_FIELDS : Events.ACCOUNT_FIELDS);
                if (action == Action.EXPORT) {
                    b.setDestination("download").setDestinationCountry("CN").setBytes(rows * 180);
                }
            }
            case PERMISSION_CHANGE -> Events.withRecord(b, "User", "usr-" + rng.nextInt(1000), null, 1, List.of("profile"));
            default -> Events.withRecord(b, "Dashboard", null, null, 1, List.of());
        }
        if (rng.nextDouble() < 0.004) {
            b.setOutcome(Outcome.DENIED).setRecordCount(0);
        }
        return b.build();
    }

    private static Action chooseAction(SimUser user, SplittableRandom rng) {
        int r = rng.nextInt(100);
        if (user.profile() == Profile.BIG_TERRITORY) {
            return r < 85 ? Action.VIEW : r < 95 ? Action.UPDATE : Action.SEARCH;
        }
        return switch (user.role()) {
            case SALES -> r < 50 ? Action.VIEW : r < 65 ? Action.SEARCH : r < 75 ? Action.LIST_VIEW : r < 90 ? Action.UPDATE
                    : r < 93 ? Action.REPORT_RUN : r < 94 ? Action.EXPORT : r < 95 ? Action.SHARE : Action.OTHER;
            case SUPPORT -> r < 55 ? Action.VIEW : r < 75 ? Action.SEARCH : r < 95 ? Action.UPDATE : Action.LIST_VIEW;
            case MARKETING -> r < 25 ? Action.LIST_VIEW : r < 40 ? Action.REPORT_RUN : r < 65 ? Action.VIEW : r < 80 ? Action.SEARCH
                    : r < 85 ? Action.EXPORT : Action.UPDATE;
            default -> r < 20 ? Action.VIEW : r < 30 ? Action.PERMISSION_CHANGE : r < 45 ? Action.REPORT_RUN : r < 65 ? Action.UPDATE
                    : r < 80 ? Action.LIST_VIEW : r < 90 ? Action.SEARCH : r < 95 ? Action.DELETE : Action.OTHER;
        };
    }

    /** Sales reps work their own territory (big territory: 3,000 customers); everyone else the whole book. */
    private String customer(SimUser user, int tenant, SplittableRandom rng) {
        int book = population.customersPerTenant;
        int n;
        if (user.role() == Role.SALES) {
            int territory = user.profile() == Profile.BIG_TERRITORY ? 3_000 : 300;
            int offset = Math.floorMod(user.userId().hashCode(), book);
            n = (offset + rng.nextInt(territory)) % book;
        } else {
            n = rng.nextInt(book);
        }
        return Population.customerId(tenant, n);
    }

    /** Tuesday 10:00: three 2,000-row campaign-list exports, 6,000 rows, the busiest legitimate hour a marketer has. */
    private static void campaign(SimUser user, ZonedDateTime local, String ip, List<AccessEvent> out) {
        for (int i = 0; i < 3; i++) {
            var b = Events.from(user, local.plusMinutes(5 + 7L * i).toInstant(), Action.EXPORT, ip, user.city());
            Events.withRecord(b, "Lead", "rpt-campaign", null, 2_000, List.of("name", "email"));
            out.add(b.setDestination("download").setDestinationCountry("CN").setBytes(2_000L * 120).build());
        }
    }

    // ------------------------------------------------------------------ integration accounts

    private void integration(SimUser user, Instant hourStart, ZonedDateTime local, SplittableRandom rng, List<AccessEvent> out) {
        int hour = local.getHour();
        if (hour >= 1 && hour < 4) {
            if (hour == 1) {
                out.add(Events.from(user, hourStart, Action.LOGIN, user.officeIp(), user.city()).build());
            }
            long rows = config.nightlyExport50k() && hour == 2 ? 5_000 : NIGHTLY_BATCH_ROWS;
            // fixed cadence: any 1-hour window holds at most 11 batches (8,800 rows), never a burst
            for (long m = 3; m < 60; m += NIGHTLY_BATCH_EVERY.toMinutes()) {
                var b = Events.from(user, hourStart.plus(Duration.ofMinutes(m)).plusSeconds(rng.nextInt(30)), Action.BULK_API, user.officeIp(), user.city());
                Events.withRecord(b, "Contact", "job-nightly-sync", null, rows, Events.CONTACT_FIELDS);
                out.add(b.setDestination("api:dw.internal").setDestinationCountry("CN").setBytes(rows * 200).build());
            }
        } else if (hour >= 8 && hour < 20) {
            for (long m = 5; m < 60; m += 10) {
                var b = Events.from(user, hourStart.plus(Duration.ofMinutes(m)).plusSeconds(rng.nextInt(60)), Action.BULK_API, user.officeIp(), user.city());
                Events.withRecord(b, "Account", "job-upsert", null, 10 + rng.nextInt(90), Events.ACCOUNT_FIELDS);
                out.add(b.setDestination("api:erp.internal").setDestinationCountry("CN").build());
            }
        }
    }
}
