package io.breachwatch.notice;

import io.breachwatch.incident.Obligations;
import io.breachwatch.incident.PiCategory;
import io.breachwatch.metrics.MetricNames;
import io.breachwatch.schema.BreachNotice;
import io.breachwatch.schema.IncidentStatus;
import io.breachwatch.schema.NoticeRecipient;
import io.breachwatch.topology.TopologyHarness;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.breachwatch.topology.TopologyHarness.event;
import static io.breachwatch.topology.TopologyHarness.export;
import static io.breachwatch.topology.TopologyHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class NoticeStageTest {
    /** bulk-export over 10-minute windows from 100 records; small changes emitted as a revision every minute. */
    static final Map<String, String> SMALL = TopologyHarness.only(Map.of(
            "detect.bulk-export.window", "10m", "detect.bulk-export.advance", "1m", "detect.bulk-export.grace", "1m",
            "detect.bulk-export.threshold", "100", "incident.update-interval", "1m", "incident.retention", "2d"), "bulk-export");

    @Test
    void oneNoticePerApplicableObligationEvenWhenTheIncidentIsRevisedTenTimes() {
        try (var h = TopologyHarness.start(SMALL)) {
            h.send(export("u-1", minutes(1), 101));
            for (int k = 1; k <= 12; k++) { // one more record at a time: a revision per update tick, never 50 % more
                h.send(export("u-1", minutes(1 + 0.8 * k), 1));
            }
            var incidents = h.incidentRecords();
            var notices = h.notices();

            assertThat(incidents).hasSizeGreaterThanOrEqualTo(10);
            assertThat(incidents).extracting(r -> r.value().getRevision()).doesNotHaveDuplicates();
            assertThat(notices).extracting(r -> r.value().getObligation())
                    .containsExactlyInAnyOrder(Obligations.PIPL_57_AUTHORITY, Obligations.PIPL_57_INDIVIDUALS);
            var id = incidents.get(0).key();
            assertThat(notices).extracting(TestRecord::key).containsOnly(id);
            assertThat(notices).extracting(r -> r.value().getNoticeId())
                    .containsExactlyInAnyOrder(id + "/PIPL_57_AUTHORITY/1", id + "/PIPL_57_INDIVIDUALS/1");
            assertThat(h.counter(MetricNames.NOTICES_EMITTED, "obligation", Obligations.PIPL_57_AUTHORITY)).isEqualTo(1);
            assertThat(h.counter(MetricNames.NOTICES_EMITTED, "obligation", Obligations.CAC_INCIDENT_REPORT)).isZero();
        }
    }

    @Test
    void noticeCarriesTheObligationItsDeadlineAndAPointerToTheIndividuals() {
        try (var h = TopologyHarness.start(SMALL)) {
            h.send(export("u-1", minutes(1), 101));
            var incident = h.incidents().get(0);
            var notices = byObligation(h.notices());

            var authority = notices.get(Obligations.PIPL_57_AUTHORITY);
            var obligation = incident.getObligations().stream().filter(o -> o.getCode().equals(Obligations.PIPL_57_AUTHORITY)).findFirst().orElseThrow();
            assertThat(authority.getRecipient()).isEqualTo(NoticeRecipient.AUTHORITY);
            assertThat(authority.getApplies()).isEqualTo(Obligations.YES);
            assertThat(authority.getDueAt()).isEqualTo(obligation.getDueAt());
            assertThat(authority.getIncidentRevision()).isEqualTo(1);
            assertThat(authority.getIncidentStatus()).isEqualTo("NEW");
            assertThat(authority.getTenantId()).isEqualTo("acme");
            assertThat(authority.getSeverity()).isEqualTo(incident.getSeverity().name());
            assertThat(authority.getRuleId()).isEqualTo("bulk-export");
            assertThat(authority.getChanges()).isEmpty();
            var affected = authority.getAffected();
            assertThat(affected.getCount()).isEqualTo(101);
            assertThat(affected.getBasis()).isEqualTo("records");
            assertThat(affected.getUserId()).isEqualTo("u-1");
            assertThat(affected.getFrom()).isEqualTo(minutes(1));
            assertThat(affected.getTo()).isEqualTo(minutes(1));
            assertThat(affected.getEvidenceEventIds()).isEqualTo(incident.getEvidenceEventIds()).isNotEmpty();
            assertThat(authority.getPiCategories()).containsExactly("basic_identity", "contact");
            assertThat(notices.get(Obligations.PIPL_57_INDIVIDUALS).getRecipient()).isEqualTo(NoticeRecipient.INDIVIDUALS);
            assertThat(notices.get(Obligations.PIPL_57_INDIVIDUALS).getApplies()).isEqualTo(Obligations.ASSESS);
        }
    }

    @Test
    void materialChangeIssuesTheNoticeAgainSayingWhatChanged() {
        try (var h = TopologyHarness.start(SMALL)) {
            h.send(export("u-1", minutes(1), 101));
            h.notices();

            h.send(event("u-1", minutes(2)).setAction(io.breachwatch.schema.Action.EXPORT).setRecordCount(100)
                    .setFields(List.of("name", "id_card_number")).build());
            var again = byObligation(h.notices());

            var authority = again.get(Obligations.PIPL_57_AUTHORITY);
            assertThat(authority.getNoticeRevision()).isEqualTo(2);
            assertThat(authority.getNoticeId()).endsWith("/PIPL_57_AUTHORITY/2");
            assertThat(authority.getChanges()).contains("affected_individuals", "pi_categories");
            assertThat(authority.getAffected().getCount()).isEqualTo(201);
            assertThat(authority.getSensitivePi()).isTrue();
            assertThat(again).containsKey(Obligations.PIPL_57_INDIVIDUALS);
        }
    }

    @Test
    void smallGrowthGivesNoNewNoticeButItAddsUpToOne() {
        try (var h = TopologyHarness.start(SMALL)) {
            h.send(export("u-1", minutes(1), 101));
            h.notices();

            h.send(export("u-1", minutes(2), 30)); // 131: +30 %, an incident revision, not a new notice
            assertThat(h.incidents()).isNotEmpty();
            assertThat(h.notices()).isEmpty();

            h.send(export("u-1", minutes(3), 30)); // 161: +59 % since the notice
            assertThat(h.notices()).extracting(r -> r.value().getChanges()).containsOnly(List.of("affected_individuals"));
        }
    }

    @Test
    void resolvedIncidentGivesNoNewNoticeAndIsForgotten() {
        var settings = new HashMap<>(SMALL);
        settings.put("incident.resolve-after", "1h");
        try (var h = TopologyHarness.start(settings)) {
            var id = h.send(export("u-1", minutes(1), 101)).incidents().get(0).getIncidentId();
            h.notices();

            h.send(export("u-2", minutes(90), 1));

            assertThat(h.incidents()).extracting(i -> i.getStatus()).containsExactly(IncidentStatus.RESOLVED);
            assertThat(h.notices()).isEmpty();
            org.apache.kafka.streams.state.KeyValueStore<String, String> store = h.driver.getKeyValueStore(NoticeStage.STORE);
            assertThat(store.get(NoticeProcessor.key(id, Obligations.PIPL_57_AUTHORITY))).isNull();
        }
    }

    @Test
    void suppressedIncidentGivesNoNotice() {
        var settings = new HashMap<>(SMALL);
        settings.put("allowlist.entries", "acme:u-1:*:*");
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));

            assertThat(h.incidents()).isNotEmpty();
            assertThat(h.notices()).isEmpty();
        }
    }

    @Test
    void appliesSettingLeavesOutObligationsToAssess() {
        var settings = new HashMap<>(SMALL);
        settings.put("notices.applies", "yes");
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));

            assertThat(h.notices()).extracting(r -> r.value().getObligation()).containsExactly(Obligations.PIPL_57_AUTHORITY);
        }
    }

    @Test
    void textsInBothLanguagesStateEveryArticle57Item(@TempDir Path dir) throws IOException {
        var tenants = Files.writeString(dir.resolve("tenants.properties"), "acme.contact=王敏, 个人信息保护负责人, dpo@acme.example, 400-800-1234\n");
        var settings = new HashMap<>(SMALL);
        settings.put("notices.tenants-file", tenants.toString());
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));
            var notice = byObligation(h.notices()).get(Obligations.PIPL_57_INDIVIDUALS);

            assertThat(notice.getProcessorContact()).isEqualTo("王敏, 个人信息保护负责人, dpo@acme.example, 400-800-1234");
            assertThat(notice.getTextZhCn()).contains(PiCategory.BASIC_IDENTITY.chinese(), PiCategory.CONTACT.chinese(),
                    notice.getCause().getZhCn(), notice.getPossibleHarm().getZhCn(), notice.getRemedialMeasures().getZhCn(),
                    notice.getWhatIndividualsCanDo().getZhCn(), notice.getProcessorContact(), "通知受影响的个人", "需评估");
            assertThat(notice.getTextEn()).contains(PiCategory.BASIC_IDENTITY.english(), PiCategory.CONTACT.english(),
                    notice.getCause().getEn(), notice.getPossibleHarm().getEn(), notice.getRemedialMeasures().getEn(),
                    notice.getWhatIndividualsCanDo().getEn(), notice.getProcessorContact(), "notice to the affected individuals");
            assertThat(notice.getCause().getEn()).contains("u-1", "acme", "101 records");
            assertThat(notice.getCause().getZhCn()).contains("u-1", "acme", "101 条");
            for (var text : List.of(notice.getTextZhCn(), notice.getTextEn(), notice.getCause().getZhCn(), notice.getCause().getEn())) {
                assertThat(text).doesNotContain("${").doesNotContain("null");
            }
            assertThat(notice.getTextEn()).contains("2025-03-03 18:01 UTC+08:00"); // first seen 10:01 UTC, written in notices.time-zone
        }
    }

    @Test
    void tenantWithoutItsOwnContactGetsTheDefault() {
        var settings = new HashMap<>(SMALL);
        settings.put("notices.contact", "DPO, privacy@crm.example");
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));

            assertThat(h.notices()).extracting(r -> r.value().getProcessorContact()).containsOnly("DPO, privacy@crm.example");
        }
    }

    @Test
    void operatorTextsReplaceTheBuiltInOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("rules.en.properties"), "bulk-export.remedial_measures=We revoked ${actor}'s export rights.\n");
        var settings = new HashMap<>(SMALL);
        settings.put("notices.templates-dir", dir.toString());
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));
            var notice = h.notices().get(0).value();

            assertThat(notice.getRemedialMeasures().getEn()).isEqualTo("We revoked u-1's export rights.");
            assertThat(notice.getTextEn()).contains("We revoked u-1's export rights.");
            assertThat(notice.getRemedialMeasures().getZhCn()).as("the built-in zh-CN text stays").contains("暂停");
        }
    }

    @Test
    void disabledNoticesWriteNothing() {
        var settings = new HashMap<>(SMALL);
        settings.put("notices.enabled", "false");
        try (var h = TopologyHarness.start(settings)) {
            h.send(export("u-1", minutes(1), 101));

            assertThat(h.incidents()).isNotEmpty();
            assertThat(h.notices()).isEmpty();
            assertThat(h.driver.producedTopicNames()).doesNotContain("crm.breach-notices");
        }
    }

    private static Map<String, BreachNotice> byObligation(List<TestRecord<String, BreachNotice>> notices) {
        var out = new HashMap<String, BreachNotice>();
        notices.forEach(r -> out.put(r.value().getObligation(), r.value()));
        assertThat(out).as("one notice per obligation").hasSize(notices.size());
        return out;
    }
}
