package io.breachwatch.ocsf;

import io.breachwatch.config.AppConfig;
import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The optional SIEM output: each incident revision also written as an OCSF Detection Finding (JSON) with
 * CloudEvents binary-mode headers.
 *
 * @param enabled       whether the topology writes the OCSF topic at all
 * @param topic         the OCSF topic (key incident_id)
 * @param source        CloudEvents {@code ce_source}
 * @param vendorName    OCSF {@code metadata.product.vendor_name}
 * @param productVersion OCSF {@code metadata.product.version}: the build's version, or "development"
 */
public record OcsfConfig(boolean enabled, String topic, String source, String vendorName, String productVersion) {
    public static final Field<Boolean> ENABLED = Field.bool("ocsf.enabled", false,
            "Also write every incident revision as an OCSF Detection Finding (JSON, CloudEvents headers) to topics.ocsf, for SIEMs");
    public static final Field<String> TOPIC = Field.string("topics.ocsf", "crm.incidents.ocsf",
            "Topic of the OCSF Detection Findings when ocsf.enabled (key incident_id, value JSON)");
    public static final Field<String> SOURCE = Field.optionalString("ocsf.cloudevents-source",
            "CloudEvents ce_source of the OCSF records, a URI reference; unset: urn:breachwatch:<application.id>");
    public static final Field<String> VENDOR_NAME = Field.string("ocsf.vendor-name", "Breachwatch",
            "OCSF metadata.product.vendor_name of the findings: who operates this deployment");

    public static List<Field<?>> fields() {
        return List.of(ENABLED, TOPIC, SOURCE, VENDOR_NAME);
    }

    public static OcsfConfig from(Settings settings) {
        var source = settings.get(SOURCE);
        if (source == null) {
            source = "urn:breachwatch:" + settings.get(AppConfig.APPLICATION_ID);
        } else {
            requireUriReference(source);
        }
        var version = OcsfConfig.class.getPackage().getImplementationVersion();
        return new OcsfConfig(settings.get(ENABLED), settings.get(TOPIC), source, settings.get(VENDOR_NAME),
                version == null ? "development" : version);
    }

    /** Output off: the topology writes no OCSF topic. */
    public static OcsfConfig disabled() {
        return from(Settings.empty());
    }

    private static void requireUriReference(String value) {
        try {
            if (value.isBlank()) {
                throw new URISyntaxException(value, "empty");
            }
            new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(SOURCE.key(), "invalid value '" + value + "'; allowed: a URI reference such as "
                    + "urn:breachwatch:prod or https://breachwatch.example.com/eu-1 (CloudEvents source)");
        }
    }
}
