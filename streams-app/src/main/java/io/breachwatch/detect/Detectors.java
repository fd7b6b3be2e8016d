package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The registry of rules: adding a rule is its own class plus one line in {@link #REGISTERED}. */
public final class Detectors {

    /** One rule's keys, and how to make it from settings (null when it is disabled). */
    public record Registration(List<Field<?>> keys, Function<Settings, Rule> create) {

        /** A windowed threshold rule: its {@code detect.<rule>.*} keys and its constructor. */
        public static Registration windowed(WindowRuleConfig.Keys keys, Function<WindowRuleConfig, ? extends Detector> make) {
            return new Registration(keys.all(), settings -> {
                var config = keys.read(settings);
                return config.enabled() ? make.apply(config) : null;
            });
        }
    }

    private static final List<Registration> REGISTERED = List.of(
            Registration.windowed(BulkExportDetector.KEYS, BulkExportDetector::new),
            Registration.windowed(RecordEnumerationDetector.KEYS, RecordEnumerationDetector::new),
            Registration.windowed(AccessDeniedBurstDetector.KEYS, AccessDeniedBurstDetector::new),
            Registration.windowed(CredentialStuffingDetector.KEYS, CredentialStuffingDetector::new),
            new Registration(ImpossibleTravelRule.KEYS, ImpossibleTravelRule::create),
            new Registration(DormantAccountRule.KEYS, DormantAccountRule::create),
            new Registration(SessionHijackRule.KEYS, SessionHijackRule::create),
            new Registration(SensitiveDataAccessDetector.fields(), SensitiveDataAccessDetector::from),
            new Registration(OffHoursExportDetector.fields(), OffHoursExportDetector::from),
            new Registration(CrossBorderTransferDetector.fields(), CrossBorderTransferDetector::from),
            new Registration(ExportBaselineRule.KEYS, ExportBaselineRule::create));

    private Detectors() {
    }

    /** Every key of every registered rule. */
    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>();
        REGISTERED.forEach(r -> out.addAll(r.keys()));
        return List.copyOf(out);
    }

    /** The enabled rules, configured from {@code settings}; fails naming the key on a bad value. */
    public static List<Rule> enabled(Settings settings) {
        var out = new ArrayList<Rule>();
        for (var r : REGISTERED) {
            var rule = r.create().apply(settings);
            if (rule != null) {
                out.add(rule);
            }
        }
        return List.copyOf(out);
    }
}
