package io.breachwatch.detect;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.incident.PiCategory;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import io.breachwatch.topology.TopologyHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sensitive-data-access with its defaults: 1 h windows, more than 20 records, admin all, support ID, finance accounts. */
class SensitiveDataAccessDetectorTest {

    private static TopologyHarness start(Map<String, String> settings) {
        return TopologyHarness.start(TopologyHarness.only(settings, SensitiveDataAccessDetector.RULE));
    }

    /** {@code n} single-record views by {@code user} (role {@code role}) of customers c-0.., one a minute from {@code start}. */
    private static List<AccessEvent> views(String user, String role, int n, double start, String... fields) {
        return IntStream.range(0, n).mapToObj(i -> event(user, minutes(start + i)).setUserRole(role).setCustomerId("c-" + i)
                .setFields(List.of(fields)).build()).toList();
    }

    @Test
    void firesWhenARoleReadsCategoriesItMayNotAndNamesThemAndTheRole() {
        try (var h = start(Map.of())) {
            var incidents = h.send(views("u-7", "sales", 21, 0, "name", "mobile", "id_card_number", "bank_account")).incidents();

            assertThat(incidents).hasSize(1);
            var incident = incidents.get(0);
            assertThat(incident.getRuleId()).isEqualTo("sensitive-data-access");
            assertThat(incident.getType()).isEqualTo("sensitive_data_access");
            assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(incident.getObserved()).isEqualTo(21.0);
            assertThat(incident.getThreshold()).isEqualTo(20.0);
            assertThat(incident.getDistinctCustomers()).isEqualTo(21);
            assertThat(incident.getAffectedIndividuals()).isEqualTo(21);
            assertThat(incident.getPiCategories()).as("only the disallowed fields count, not name or mobile")
                    .containsExactly("specific_identity", "financial_account");
            assertThat(incident.getSensitivePi()).isTrue();
            assertThat(incident.getCrossBorder()).isFalse();
            assertThat(incident.getAttributes()).containsEntry("role", "sales");
            assertThat(incident.getSummary()).isEqualTo("User u-7 of tenant acme (role sales) read or exported 21 records with"
                    + " sensitive personal information the role may not access (specific_identity, financial_account) in 1 h"
                    + " (threshold 20) between 10:00 and 10:20 UTC.");
        }
    }

    @Test
    void windowStoreHoldsOnlyTheDisallowedFieldsAndTheRole() {
        try (var h = start(Map.of())) {
            h.send(views("u-7", "support", 3, 0, "name", "id_card_number", "bank_account"));

            var window = h.window(SensitiveDataAccessDetector.RULE, "acme/u-7", minutes(0));
            assertThat(window.fields()).containsExactly("bank_account");
            assertThat(window.userRole()).isEqualTo("support");
            assertThat(window.recordCount()).isEqualTo(3);
        }
    }

    @Test
    void silentAtTheThresholdAndFiresOneRecordAbove() {
        try (var h = start(Map.of())) {
            h.send(views("u-1", "sales", 20, 0, "passport"));
            assertThat(h.incidents()).isEmpty();

            h.send(views("u-1", "sales", 1, 30, "passport"));
            assertThat(h.incidents()).hasSize(1);
        }
    }

    @Test
    void silentWhenTheRoleMayReadWhatItReads() {
        try (var h = start(Map.of())) {
            h.send(views("u-admin", "admin", 100, 0, "id_card_number", "bank_account", "diagnosis", "religion", "fingerprint",
                    "gps_location", "guardian"));
            h.send(views("u-support", "Support", 100, 0, "name", "id_card_number"));
            h.send(views("u-finance", "finance", 100, 0, "bank_account", "credit_card"));
            h.send(views("u-sales", "sales", 100, 0, "name", "mobile", "email", "address"));

            assertThat(h.incidents()).isEmpty();
        }
    }

    @Test
    void countsRowsOfListViewsSearchesReportsAndExportsButNotDeniedOrWrites() {
        try (var h = start(Map.of())) {
            var sensitive = List.of("name", "health_status");
            h.send(event("u-1", minutes(1)).setAction(Action.VIEW).setOutcome(Outcome.DENIED).setRecordCount(500).setFields(sensitive).build(),
                    event("u-1", minutes(2)).setAction(Action.UPDATE).setRecordCount(500).setFields(sensitive).build(),
                    event("u-1", minutes(3)).setAction(Action.LOGIN).setRecordCount(500).setFields(sensitive).build());
            assertThat(h.incidents()).isEmpty();

            h.send(event("u-1", minutes(4)).setAction(Action.LIST_VIEW).setRecordCount(5).setFields(sensitive).build(),
                    event("u-1", minutes(5)).setAction(Action.SEARCH).setRecordCount(5).setFields(sensitive).build(),
                    event("u-1", minutes(6)).setAction(Action.REPORT_RUN).setRecordCount(5).setFields(sensitive).build(),
                    event("u-1", minutes(7)).setAction(Action.BULK_API).setRecordCount(5).setFields(sensitive).build(),
                    event("u-1", minutes(8)).setAction(Action.EXPORT).setRecordCount(5).setFields(sensitive).build());
            var incidents = h.incidents();
            assertThat(incidents).hasSize(1);
            assertThat(incidents.get(0).getRecordCount()).isEqualTo(25);
            assertThat(incidents.get(0).getEventCount()).isEqualTo(5);
            assertThat(incidents.get(0).getPiCategories()).containsExactly("medical_health");
        }
    }

    @Test
    void unlistedAndMissingRolesMayReadNoneUnlessAStarRoleIsListed() {
        try (var h = start(Map.of())) {
            h.send(views("u-1", "intern", 21, 0, "religion"));
            h.send(views("u-2", null, 21, 0, "religion"));

            assertThat(h.incidents()).extracting(i -> i.getAttributes().get("role")).containsExactlyInAnyOrder("intern", "unknown");
        }
        try (var h = start(Map.of("detect.sensitive-data-access.policy", "admin:*,*:religious_belief,sales:none"))) {
            h.send(views("u-1", "intern", 21, 0, "religion"));
            h.send(views("u-2", null, 21, 0, "religion"));
            assertThat(h.incidents()).isEmpty();

            h.send(views("u-3", "sales", 21, 0, "religion"));
            assertThat(h.incidents()).extracting(Incident::getUserId).containsExactly("u-3");
        }
    }

    @Test
    void fieldCategoryOverridesOfThePiCatalogApply() {
        try (var h = start(Map.of("pi.field-categories", "huji:specific_identity"))) {
            h.send(views("u-1", "sales", 21, 0, "huji"));

            assertThat(h.incidents()).singleElement()
                    .satisfies(i -> assertThat(i.getPiCategories()).containsExactly("specific_identity"));
        }
    }

    @Test
    void lateReadWithinGraceStillCountsAndOneIncidentCoversTheOngoingCase() {
        try (var h = start(Map.of())) {
            var events = new ArrayList<>(views("u-1", "sales", 20, 0, "bank_account"));
            events.addAll(views("u-2", "sales", 1, 64, "bank_account"));
            h.send(events);
            h.send(event("u-1", minutes(30)).setUserRole("sales").setFields(List.of("bank_account")).build());
            var first = h.incidents();
            assertThat(first).as("a read 34 min late is within the window [10:00, 11:00) + 5 min grace").hasSize(1);

            h.send(views("u-1", "sales", 60, 65, "bank_account"));
            var later = h.incidents();
            assertThat(later).isNotEmpty().extracting(Incident::getIncidentId).containsOnly(first.get(0).getIncidentId());
            try (var all = h.incidentStore().all()) {
                assertThat(all).toIterable().extracting(kv -> kv.key).containsExactly(first.get(0).getIncidentId());
            }
            assertThat(h.caseStore().get(Finding.caseKey(SensitiveDataAccessDetector.RULE, "acme/u-1")).getLastSeen())
                    .isEqualTo(minutes(124));
        }
    }

    @Test
    void policyIsReadCaseInsensitivelyByRole() {
        var rule = SensitiveDataAccessDetector.from(Settings.of(Map.of("detect.sensitive-data-access.policy", "HR:medical_health|minors")));

        assertThat(rule.allowed("hr")).containsExactlyInAnyOrder(PiCategory.MEDICAL_HEALTH, PiCategory.MINORS);
        assertThat(rule.allowed("admin")).as("the default policy is replaced, not merged").isEmpty();
        assertThat(rule.disallowedFields(event("u", Instant.EPOCH).setUserRole("Hr")
                .setFields(List.of("diagnosis", "guardian", "religion", "name")).build())).containsExactly("religion");
    }

    @Test
    void badPolicyFailsNamingTheKey() {
        for (var bad : List.of("sales:secrets", "sales:contact", "support:specific_identity,support:*", ":*", "admin")) {
            assertThatThrownBy(() -> SensitiveDataAccessDetector.from(Settings.of(Map.of("detect.sensitive-data-access.policy", bad))))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("detect.sensitive-data-access.policy: invalid value '" + bad + "'")
                    .hasMessageContaining("role:category|category")
                    .hasMessageContaining("specific_identity, financial_account, medical_health, biometrics");
        }
    }
}
