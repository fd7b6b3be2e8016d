package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.apache.kafka.streams.kstream.KStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * cross-border-transfer: records one user sends to a {@code destination_country} outside the tenant's allowed
 * countries (default CN: mainland China), or exports (EXPORT, BULK_API, REPORT_RUN) from a session whose
 * {@code country} is outside them, over a window, above a floor (default 0: any record). PI leaving the country
 * needs a legal basis (PIPL Arts. 38-40: CAC security assessment, certification or standard contract), so the
 * transfer is a compliance event by itself. Incidents are marked {@code cross_border} and name the countries in
 * {@code destination_countries} (for an export from abroad, the session's country: that is where the data went).
 *
 * @param allowed       countries data may go to, for every tenant not in {@code tenantAllowed}
 * @param tenantAllowed tenant -> its own allowed countries
 */
public record CrossBorderTransferDetector(WindowRuleConfig config, Set<String> allowed, Map<String, Set<String>> tenantAllowed)
        implements Detector {
    public static final String RULE = "cross-border-transfer";
    public static final WindowRuleConfig.Keys KEYS = keys();
    public static final Field<Set<String>> ALLOWED = new Field<>("detect." + RULE + ".allowed-countries", "CN",
            RULE + ": countries personal information may go to, for every tenant not listed in detect." + RULE + ".tenant-allowed-countries",
            "a comma-separated, non-empty list of ISO 3166-1 alpha-2 country codes",
            raw -> PolicyLists.countries(raw, ","), s -> true);
    public static final Field<Map<String, Set<String>>> TENANT_ALLOWED = PolicyLists.keyed("detect." + RULE + ".tenant-allowed-countries", "",
            RULE + ": allowed countries of tenants that differ from the default, e.g. acme:CN|HK",
            "a comma-separated list of tenant:CC|CC... with ISO 3166-1 alpha-2 country codes",
            UnaryOperator.identity(), countries -> PolicyLists.countries(countries, "\\|"));

    public CrossBorderTransferDetector {
        allowed = Set.copyOf(allowed);
        tenantAllowed = Map.copyOf(tenantAllowed);
    }

    /** The windowed keys, with a floor that may be 0 (any record fires). */
    private static WindowRuleConfig.Keys keys() {
        var base = WindowRuleConfig.Keys.of(RULE, "the records one user sends outside the tenant's allowed countries",
                new WindowRuleConfig.Defaults("1h", "15m", "5m", 1, Severity.HIGH));
        var floor = new Field<>(base.threshold().key(), "0",
                RULE + ": fires when the records one user sends outside the allowed countries in one window are above this (0: any)",
                "an integer >= 0", Long::valueOf, v -> v >= 0);
        return new WindowRuleConfig.Keys(RULE, base.enabled(), base.window(), base.advance(), base.grace(), floor,
                base.severity(), base.mergeGap());
    }

    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>(KEYS.all());
        out.addAll(List.of(ALLOWED, TENANT_ALLOWED));
        return List.copyOf(out);
    }

    /** The rule configured from {@code settings}, or null when it is disabled. */
    public static CrossBorderTransferDetector from(Settings settings) {
        var config = KEYS.read(settings);
        return config.enabled() ? new CrossBorderTransferDetector(config, settings.get(ALLOWED), settings.get(TENANT_ALLOWED)) : null;
    }

    @Override
    public String incidentType() {
        return "cross_border_transfer";
    }


    public Set<String> allowedFor(String tenant) {
        return tenantAllowed.getOrDefault(tenant, allowed);
    }

    /**
     * Where the data of {@code event} went outside the tenant's allowed countries: its destination country, else
     * (for an export) the country of the session that received it; null when it stayed inside or is unknown.
     */
    public String countryOutside(AccessEvent event) {
        var inside = allowedFor(event.getTenantId());
        var destination = PolicyLists.country(event.getDestinationCountry());
        if (destination != null && !inside.contains(destination)) {
            return destination;
        }
        var session = PolicyLists.country(event.getCountry());
        var exported = BulkExportDetector.EXPORTS.contains(event.getAction());
        return exported && session != null && !inside.contains(session) ? session : null;
    }

    @Override
    public boolean counts(AccessEvent event) {
        return event.getOutcome() == Outcome.SUCCESS && countryOutside(event) != null;
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.recordCount();
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return PolicyLists.findings(eventsByEntity, this, context,
                event -> AccessEvent.newBuilder(event).setDestinationCountry(countryOutside(event)).build(),
                finding -> PolicyLists.withDetails(finding, true,
                        Map.of("allowed_countries", String.join(",", new TreeSet<>(allowedFor(finding.window().tenantId()))))));
    }

    @Override
    public long affectedIndividuals(Incident incident) {
        return PolicyLists.rowsOrCustomers(incident);
    }

    @Override
    public String summary(Incident incident) {
        var floor = incident.getThreshold() > 0 ? " (threshold " + Summaries.count(incident.getThreshold()) + ")" : "";
        return Summaries.user(incident) + " sent " + Summaries.count(incident.getObserved()) + " records to "
                + String.join(", ", incident.getDestinationCountries()) + ", outside the countries allowed for the tenant ("
                + String.join(", ", new TreeSet<>(allowedFor(incident.getTenantId())))
                + "): a cross-border transfer of personal information under PIPL Arts. 38-40, in "
                + Summaries.duration(config.window()) + floor + " between " + Summaries.span(incident.getFirstSeen(), incident.getLastSeen()) + ".";
    }
}
