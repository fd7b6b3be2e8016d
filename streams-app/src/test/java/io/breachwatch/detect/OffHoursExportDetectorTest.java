package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** off-hours-export with its defaults: Asia/Shanghai, Mon-Fri 08:00-20:00, more than 5,000 records in 1 h, integration exempt. */
class OffHoursExportDetectorTest {
    private static final String BERLIN_ACME = "acme:Europe/Berlin:MON-FRI:07:00-19:00";

    private static TopologyHarness start(Map<String, String> settings) {
        return TopologyHarness.start(TopologyHarness.only(settings, OffHoursExportDetector.RULE));
    }

    private static AccessEvent export(String tenant, String user, String utc, long records) {
        return event(user, Instant.parse(utc)).setTenantId(tenant).setAction(Action.EXPORT).setRecordCount(records)
                .setDestination("download").build();
    }

    private static AccessEvent export(String user, String utc, long records) {
        return export(TopologyHarness.TENANT, user, utc, records);
    }

    /** Whose incidents, leaving out RESOLVED revisions (a day later, incident.resolve-after; see IncidentStageTest). */
    private static List<String> users(List<Incident> incidents) {
        return incidents.stream().filter(i -> i.getStatus() != io.breachwatch.schema.IncidentStatus.RESOLVED)
                .map(Incident::getUserId).toList();
    }

    @Test
    void firesAboveTheFloorOnASaturdayWithLocalTimesInTheSummary() {
        try (var h = start(Map.of())) {
            var incidents = h.send(export("u-1", "2025-03-08T04:00:00Z", 3_000), export("u-1", "2025-03-08T04:30:00Z", 2_001)).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getType()).isEqualTo("off_hours_export");
            assertThat(incident.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(incident.getObserved()).isEqualTo(5_001.0);
            assertThat(incident.getAffectedIndividuals()).isEqualTo(5_001);
            assertThat(incident.getAttributes()).containsEntry("time_zone", "Asia/Shanghai").containsEntry("working_hours", "MON-FRI 08:00-20:00");
            assertThat(incident.getSummary()).isEqualTo("User u-1 of tenant acme exported 5,001 records outside working hours"
                    + " (Asia/Shanghai, MON-FRI 08:00-20:00, public holidays off) in 1 h (threshold 5,000) between 04:00 and 04:30 UTC,"
                    + " local time Sat 2025-03-08 12:00 to 12:30.");
        }
    }

    @Test
    void silentAtTheFloorAndForExportsInWorkingHoursOrDenied() {
        try (var h = start(Map.of())) {
            h.send(export("u-1", "2025-03-08T04:00:00Z", 5_000),
                    export("u-2", "2025-03-10T02:00:00Z", 50_000),
                    event("u-3", Instant.parse("2025-03-10T14:00:00Z")).setAction(Action.EXPORT).setOutcome(Outcome.DENIED).setRecordCount(5_000).build(),
                    event("u-4", Instant.parse("2025-03-10T14:00:00Z")).setAction(Action.VIEW).setRecordCount(5_000).build());

            assertThat(h.incidents()).isEmpty();
        }
    }

    @Test
    void scheduledExportsOfExemptRolesAreNotJudged() {
        try (var h = start(Map.of())) {
            h.send(event("sync", Instant.parse("2025-03-02T18:00:00Z")).setUserRole("Integration").setAction(Action.BULK_API)
                    .setRecordCount(50_000).build());
            assertThat(h.incidents()).isEmpty();
        }
        try (var h = start(Map.of("detect.off-hours-export.exempt-roles", ""))) {
            h.send(event("sync", Instant.parse("2025-03-02T18:00:00Z")).setUserRole("integration").setAction(Action.BULK_API)
                    .setRecordCount(50_000).build());
            assertThat(users(h.incidents())).containsExactly("sync");
        }
    }

    @Test
    void workingDayStartsAt0800AndEndsAt2000LocalTime() {
        try (var h = start(Map.of())) {
            h.send(export("at-0759", "2025-03-02T23:59:00Z", 5_001),
                    export("at-0800", "2025-03-03T00:00:00Z", 5_001),
                    export("at-1959", "2025-03-03T11:59:59Z", 5_001),
                    export("at-2000", "2025-03-03T12:00:00Z", 5_001),
                    export("sunday-noon", "2025-03-09T04:00:00Z", 5_001));

            assertThat(users(h.incidents())).containsExactly("at-0759", "at-2000", "sunday-noon");
        }
    }

    @Test
    void berlinFollowsDaylightSavingTimeWhileShanghaiDoesNot() {
        try (var h = start(Map.of("detect.off-hours-export.tenant-hours", BERLIN_ACME))) {
            h.send(export("acme", "berlin-winter-0630", "2025-01-06T05:30:00Z", 5_001),
                    export("globex", "shanghai-winter-0730", "2025-01-06T23:30:00Z", 5_001),
                    export("globex", "shanghai-winter-0830", "2025-01-07T00:30:00Z", 5_001),
                    export("acme", "berlin-summer-0730", "2025-07-07T05:30:00Z", 5_001),
                    export("globex", "shanghai-summer-0730", "2025-07-07T23:30:00Z", 5_001),
                    export("globex", "shanghai-summer-0830", "2025-07-08T00:30:00Z", 5_001));

            var incidents = h.incidents();
            assertThat(users(incidents)).containsExactly("berlin-winter-0630", "shanghai-winter-0730", "shanghai-summer-0730");
            assertThat(incidents.get(0).getAttributes()).containsEntry("time_zone", "Europe/Berlin");
            assertThat(incidents.get(0).getSummary()).contains("(Europe/Berlin, MON-FRI 07:00-19:00,", "local time Mon 2025-01-06 06:30 to 06:30.");
        }
    }

    @Test
    void holidaysAreOffAllDayAndATenantWithItsOwnListSkipsTheCommonOne() {
        var wednesdayOct1At10Local = "2025-10-01T02:00:00Z";
        try (var h = start(Map.of())) {
            h.send(export("u-1", wednesdayOct1At10Local, 5_001));
            assertThat(h.incidents()).as("no holidays configured").isEmpty();
        }
        try (var h = start(Map.of("detect.off-hours-export.holidays", "2025-10-01, 2025-10-02, globex:2025-12-25"))) {
            h.send(export("acme", "acme-oct-1", wednesdayOct1At10Local, 5_001),
                    export("globex", "globex-oct-1", wednesdayOct1At10Local, 5_001),
                    export("globex", "globex-dec-25", "2025-12-25T02:00:00Z", 5_001));

            assertThat(users(h.incidents())).containsExactly("acme-oct-1", "globex-dec-25");
        }
    }

    @Test
    void lateExportIsJudgedByItsOwnLocalTimeAndCountsWithinGrace() {
        try (var h = start(Map.of("detect.off-hours-export.tenant-hours", "globex:Europe/Berlin:MON-FRI:07:00-19:00"))) {
            h.send(export("globex", "g-1", "2025-03-03T00:30:00Z", 1), // 01:30 in Berlin: advances stream time
                    export("acme", "u-1", "2025-03-02T23:55:00Z", 5_001)); // 07:55 in Shanghai, 35 min late

            assertThat(users(h.incidents())).containsExactly("u-1");
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", OffHoursExportDetector.RULE)).isZero();
        }
        try (var h = start(Map.of("detect.off-hours-export.tenant-hours", "globex:Europe/Berlin:MON-FRI:07:00-19:00"))) {
            h.send(export("globex", "g-1", "2025-03-03T02:00:00Z", 1),
                    export("acme", "u-1", "2025-03-02T23:55:00Z", 5_001)); // every window holding it has closed

            assertThat(h.incidents()).isEmpty();
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", OffHoursExportDetector.RULE)).isEqualTo(1);
        }
    }

    @Test
    void oneIncidentForANightOfExports() {
        try (var h = start(Map.of())) {
            for (int i = 0; i < 18; i++) {
                h.send(export("u-1", Instant.parse("2025-03-03T13:00:00Z").plusSeconds(600L * i).toString(), 1_000));
            }
            var incidents = h.incidents();

            assertThat(incidents).isNotEmpty().extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
            assertThat(h.caseStore().get(Finding.caseKey(OffHoursExportDetector.RULE, "acme/u-1")).getLastSeen())
                    .isEqualTo(Instant.parse("2025-03-03T15:50:00Z"));
        }
    }

    @Test
    void workingHoursParseOffsetsWrappingDaysAndMidnight() {
        var gulf = OffHoursExportDetector.WorkingHours.parse("UTC+04:00:SUN-THU:09:00-24:00");
        assertThat(gulf.zone()).isEqualTo(ZoneId.of("UTC+04:00"));
        assertThat(gulf.days()).containsExactlyInAnyOrder(DayOfWeek.SUNDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
        assertThat(gulf.endMinute()).isEqualTo(24 * 60);

        var split = OffHoursExportDetector.WorkingHours.parse("Asia/Shanghai:mon|wed-thu|sat:8:30-17:00");
        assertThat(split.days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.SATURDAY);
        assertThat(split.startMinute()).isEqualTo(8 * 60 + 30);
        assertThat(split.text()).isEqualTo("MON|WED-THU|SAT 8:30-17:00");
    }

    @Test
    void badWorkingHoursOrHolidaysFailNamingTheKey() {
        var bad = Map.of(
                "detect.off-hours-export.working-hours", List.of("Asia/Shanghai:MON-FRI:20:00-08:00", "Mars/Olympus:MON-FRI:08:00-20:00",
                        "Asia/Shanghai:MON-FRX:08:00-20:00", "Asia/Shanghai:MON-FRI:08:00-25:00", "Asia/Shanghai"),
                "detect.off-hours-export.tenant-hours", List.of("Europe/Berlin:MON-FRI:07:00-19:00", BERLIN_ACME + "," + BERLIN_ACME),
                "detect.off-hours-export.holidays", List.of("2026-13-01", "acme:tomorrow"));
        bad.forEach((key, values) -> values.forEach(value ->
                assertThatThrownBy(() -> OffHoursExportDetector.from(Settings.of(Map.of(key, value))))
                        .as(value)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageStartingWith(key + ": invalid value '" + value + "'; allowed: ")));
    }
}
