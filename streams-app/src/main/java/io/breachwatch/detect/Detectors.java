package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The registry of windowed rules: adding a rule is its own class plus one line in {@link #REGISTERED}. */
public final class Detectors {

    private record Registration(WindowRuleConfig.Keys keys, Function<WindowRuleConfig, Detector> create) {
    }

    private static final List<Registration> REGISTERED = List.of(
            new Registration(BulkExportDetector.KEYS, BulkExportDetector::new),
            new Registration(RecordEnumerationDetector.KEYS, RecordEnumerationDetector::new),
            new Registration(AccessDeniedBurstDetector.KEYS, AccessDeniedBurstDetector::new),
            new Registration(CredentialStuffingDetector.KEYS, CredentialStuffingDetector::new));

    private Detectors() {
    }

    /** Every key of every registered rule. */
    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>();
        REGISTERED.forEach(r -> out.addAll(r.keys().all()));
        return List.copyOf(out);
    }

    /** The enabled rules, configured from {@code settings}; fails naming the key on a bad value. */
    public static List<Detector> enabled(Settings settings) {
        var out = new ArrayList<Detector>();
        for (var r : REGISTERED) {
            var config = r.keys().read(settings);
            if (config.enabled()) {
                out.add(r.create().apply(config));
            }
        }
        return List.copyOf(out);
    }
}
