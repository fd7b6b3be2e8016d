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

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** cross-border-transfer with its defaults: allowed CN, any record fires, 1 h windows. */
class CrossBorderTransferDetectorTest {

    private static TopologyHarness start(Map<String, String> settings) {
        return TopologyHarness.start(TopologyHarness.only(settings, CrossBorderTransferDetector.RULE));
    }

    /** An export by {@code user} of {@code records} rows to {@code destination} from a session in {@code session}. */
    private static AccessEvent transfer(String user, Instant ts, long records, String destination, String session) {
        return event(user, ts).setAction(Action.EXPORT).setRecordCount(records).setDestination("email:partner.example")
                .setDestinationCountry(destination).setCountry(session).build();
    }

    private static List<String> users(List<Incident> incidents) {
        return incidents.stream().map(Incident::getUserId).toList();
    }

    @Test
    void firesOnTheFirstRecordSentAbroadAndNamesTheCountries() {
        try (var h = start(Map.of())) {
            var incidents = h.send(transfer("u-1", minutes(5), 3, "US", "CN")).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getRuleId()).isEqualTo("cross-border-transfer");
            assertThat(incident.getType()).isEqualTo("cross_border_transfer");
            assertThat(incident.getCrossBorder()).isTrue();
            assertThat(incident.getDestinationCountries()).containsExactly("US");
            assertThat(incident.getObserved()).isEqualTo(3.0);
            assertThat(incident.getThreshold()).isZero();
            assertThat(incident.getAffectedIndividuals()).isEqualTo(3);
            assertThat(incident.getAttributes()).containsEntry("allowed_countries", "CN");
            assertThat(incident.getSummary()).isEqualTo("User u-1 of tenant acme sent 3 records to US, outside the countries"
                    + " allowed for the tenant (CN): a cross-border transfer of personal information under PIPL Arts. 38-40,"
                    + " in 1 h between 10:05 and 10:05 UTC.");
        }
    }

    @Test
    void severityIsHighWithTheDefaultZeroFloor() {
        try (var h = start(Map.of())) {
            assertThat(h.send(transfer("u-1", minutes(5), 3, "US", null)).incidents())
                    .singleElement().satisfies(i -> assertThat(i.getSeverity()).isEqualTo(Severity.HIGH));
        }
    }

    @Test
    void severityIsTheConfiguredOneBelowTenTimesAFloor() {
        try (var h = start(Map.of("detect.cross-border-transfer.threshold", "100"))) {
            h.send(transfer("u-1", minutes(1), 100, "SG", null));
            assertThat(h.incidents()).as("at the floor").isEmpty();

            h.send(transfer("u-1", minutes(2), 50, "US", null));
            var incident = h.incidents().get(0);
            assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(incident.getDestinationCountries()).containsExactly("SG", "US");
            assertThat(incident.getSummary()).contains("sent 150 records to SG, US,", "in 1 h (threshold 100) between 10:01 and 10:02 UTC.");
        }
    }

    @Test
    void anExportFromASessionAbroadIsATransferToThatCountry() {
        try (var h = start(Map.of())) {
            h.send(transfer("u-1", minutes(1), 40, null, "jp"));

            var incident = h.incidents().get(0);
            assertThat(incident.getDestinationCountries()).containsExactly("JP");
            assertThat(incident.getCrossBorder()).isTrue();
            var window = h.window(CrossBorderTransferDetector.RULE, "acme/u-1", minutes(0));
            assertThat(window.destinationCountries()).containsExactly("JP");
            assertThat(window.recordCount()).isEqualTo(40);
        }
    }

    @Test
    void silentForTransfersInsideTheAllowedCountriesReadsAbroadAndDeniedOrUnknown() {
        try (var h = start(Map.of())) {
            h.send(transfer("u-1", minutes(1), 5_000, "CN", "CN"),
                    transfer("u-2", minutes(2), 5_000, null, null),
                    transfer("u-3", minutes(3), 5_000, "cn", null),
                    event("u-4", minutes(4)).setAction(Action.VIEW).setCountry("US").build(),
                    event("u-5", minutes(5)).setAction(Action.EXPORT).setOutcome(Outcome.DENIED).setDestinationCountry("US").build());

            assertThat(h.incidents()).isEmpty();
        }
    }

    @Test
    void tenantsMayAllowMoreCountries() {
        try (var h = start(Map.of("detect.cross-border-transfer.tenant-allowed-countries", "acme:CN|HK"))) {
            h.send(transfer("u-1", minutes(1), 10, "HK", null),
                    event("u-2", minutes(2)).setTenantId("globex").setAction(Action.EXPORT).setDestinationCountry("HK").build(),
                    transfer("u-3", minutes(3), 10, "MO", null));

            var incidents = h.incidents();
            assertThat(users(incidents)).containsExactly("u-2", "u-3");
            assertThat(incidents.get(1).getAttributes()).containsEntry("allowed_countries", "CN,HK");
            assertThat(incidents.get(1).getSummary()).contains("allowed for the tenant (CN, HK)");
        }
    }

    @Test
    void oneIncidentPerUserForAnOngoingTransfer() {
        try (var h = start(Map.of())) {
            for (int i = 0; i < 18; i++) {
                h.send(transfer("u-1", minutes(10 * i), 20, "US", null), transfer("u-2", minutes(10 * i + 1), 1, null, "DE"));
            }
            var incidents = h.incidents();

            assertThat(incidents.stream().map(Incident::getIncidentId).distinct()).hasSize(2);
            assertThat(incidents).filteredOn(i -> i.getRevision() == 1).extracting(Incident::getUserId).containsExactly("u-1", "u-2");
            assertThat(h.caseStore().get(Finding.caseKey(CrossBorderTransferDetector.RULE, "acme/u-2")).getLastSeen()).isEqualTo(minutes(171));
        }
    }

    @Test
    void lateTransferCountsWithinGraceAndIsCountedAsLateBeyondIt() {
        try (var h = start(Map.of())) {
            h.send(transfer("u-2", minutes(62), 1, "US", null), transfer("u-1", minutes(10), 7, "US", null));
            assertThat(users(h.incidents())).containsExactly("u-2", "u-1");

            h.send(transfer("u-3", minutes(200), 1, "US", null), transfer("u-4", minutes(10), 7, "US", null));
            assertThat(users(h.incidents())).containsExactly("u-3");
            assertThat(h.counter(MetricNames.EVENTS_LATE, "rule", CrossBorderTransferDetector.RULE)).isEqualTo(1);
        }
    }

    @Test
    void badCountriesOrFloorFailNamingTheKey() {
        var bad = Map.of(
                "detect.cross-border-transfer.allowed-countries", List.of("", "CHN", "CN,1"),
                "detect.cross-border-transfer.tenant-allowed-countries", List.of("acme:", "acme:CN|C1", "CN|HK", "acme:CN,acme:HK"),
                "detect.cross-border-transfer.threshold", List.of("-1", "any"));
        bad.forEach((key, values) -> values.forEach(value ->
                assertThatThrownBy(() -> CrossBorderTransferDetector.from(Settings.of(Map.of(key, value))))
                        .as("'%s'", value)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageStartingWith(key + ": invalid value '" + value + "'; allowed: ")));
    }
}
