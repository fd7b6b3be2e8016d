package io.breachwatch.incident;

import io.breachwatch.config.Settings;
import io.breachwatch.schema.Obligation;
import io.breachwatch.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ObligationsTest {
    private static final Instant DETECTED = Instant.parse("2026-03-02T02:00:00Z");

    private static Obligations.Facts leak(String tenant, long affected, Set<PiCategory> categories) {
        return new Obligations.Facts(tenant, true, categories, affected, false, DETECTED, Severity.MEDIUM);
    }

    private static Obligation find(Obligations.Assessment a, String code) {
        return a.obligations().stream().filter(o -> o.getCode().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void leakOfPiRequiresAuthorityNoticeWithinTheTenantsCacWindow() {
        var a = new Obligations(ObligationPolicy.defaults()).assess(leak("acme", 12_000, EnumSet.of(PiCategory.CONTACT)));

        var authority = find(a, Obligations.PIPL_57_AUTHORITY);
        assertThat(authority.getApplies()).isEqualTo(Obligations.YES);
        assertThat(authority.getDueAt()).isEqualTo(DETECTED.plus(Duration.ofHours(4)).toEpochMilli());
        assertThat(find(a, Obligations.PIPL_57_INDIVIDUALS).getApplies()).isEqualTo(Obligations.ASSESS);
        assertThat(find(a, Obligations.PIPL_57_INDIVIDUALS).getReason()).contains("avoid harm");
    }

    @Test
    void cacReportAppliesFromTheRelativelyMajorGradeWithOperatorDeadlines() {
        var settings = Settings.of(Map.of("obligations.ciio-tenants", "grid", "obligations.state-organ-tenants", "bureau"));
        var obligations = new Obligations(ObligationPolicy.from(settings));

        var ciio = obligations.assess(leak("grid", 1_000_000, EnumSet.of(PiCategory.CONTACT)));
        var organ = obligations.assess(leak("bureau", 2_000_000, EnumSet.of(PiCategory.CONTACT)));
        var other = obligations.assess(leak("shop", 1_500_000, EnumSet.of(PiCategory.CONTACT)));

        assertThat(find(ciio, Obligations.CAC_INCIDENT_REPORT).getDueAt()).isEqualTo(DETECTED.plus(Duration.ofHours(1)).toEpochMilli());
        assertThat(find(organ, Obligations.CAC_INCIDENT_REPORT).getDueAt()).isEqualTo(DETECTED.plus(Duration.ofHours(2)).toEpochMilli());
        assertThat(find(other, Obligations.CAC_INCIDENT_REPORT).getDueAt()).isEqualTo(DETECTED.plus(Duration.ofHours(4)).toEpochMilli());
        assertThat(ciio.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void cacReportDoesNotApplyBelowTheThreshold() {
        var a = new Obligations(ObligationPolicy.defaults()).assess(leak("shop", 999_999, EnumSet.of(PiCategory.CONTACT)));

        var cac = find(a, Obligations.CAC_INCIDENT_REPORT);
        assertThat(cac.getApplies()).isEqualTo(Obligations.NO);
        assertThat(cac.getDueAt()).isNull();
        assertThat(cac.getReason()).contains("999999").contains("1000000");
    }

    @Test
    void sensitivePiOrCrossBorderRaisesSeverityToHigh() {
        var obligations = new Obligations(ObligationPolicy.defaults());

        var sensitive = obligations.assess(leak("shop", 50, EnumSet.of(PiCategory.FINANCIAL_ACCOUNT)));
        var plain = obligations.assess(leak("shop", 50, EnumSet.of(PiCategory.CONTACT)));
        var crossBorder = obligations.assess(new Obligations.Facts("shop", true, EnumSet.of(PiCategory.CONTACT), 50, true, DETECTED, Severity.LOW));

        assertThat(sensitive.severity()).isEqualTo(Severity.HIGH);
        assertThat(plain.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(crossBorder.severity()).isEqualTo(Severity.HIGH);
        assertThat(find(crossBorder, Obligations.PIPL_38_CROSS_BORDER).getApplies()).isEqualTo(Obligations.ASSESS);
    }

    @Test
    void accessWithoutSeenDataLeavingIsToBeAssessed() {
        var a = new Obligations(ObligationPolicy.defaults()).assess(
                new Obligations.Facts("shop", false, EnumSet.of(PiCategory.CONTACT), 30, false, DETECTED, Severity.MEDIUM));

        assertThat(find(a, Obligations.PIPL_57_AUTHORITY).getApplies()).isEqualTo(Obligations.ASSESS);
        assertThat(a.obligations()).noneMatch(o -> o.getCode().equals(Obligations.GDPR_33));
    }

    @Test
    void gdprAppliesOnlyToTenantsProcessingEuResidentsData() {
        var obligations = new Obligations(ObligationPolicy.from(Settings.of(Map.of("obligations.gdpr-tenants", "eu-shop"))));

        var eu = obligations.assess(leak("eu-shop", 10, EnumSet.of(PiCategory.CONTACT)));
        var cn = obligations.assess(leak("cn-shop", 10, EnumSet.of(PiCategory.CONTACT)));

        assertThat(find(eu, Obligations.GDPR_33).getDueAt()).isEqualTo(DETECTED.plus(Duration.ofHours(72)).toEpochMilli());
        assertThat(cn.obligations()).extracting(Obligation::getCode).doesNotContain(Obligations.GDPR_33);
    }
}
