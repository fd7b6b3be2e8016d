package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.incident.PiCatalog;
import io.breachwatch.incident.PiCategory;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.apache.kafka.streams.kstream.KStream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * sensitive-data-access: records with PIPL Art. 28 sensitive personal information (specific identity, financial
 * accounts, medical and health, biometrics, religious belief, whereabouts, minors) that one user read or exported
 * (VIEW, SEARCH, LIST_VIEW, REPORT_RUN, EXPORT, BULK_API) although the policy does not let the user's role read
 * those categories, over a window, above a threshold. Field names map to categories through {@link PiCatalog};
 * only the disallowed fields reach the window, so the incident's {@code pi_categories} are the disallowed ones and
 * its {@code role} attribute names the role.
 *
 * @param policy role (lower case) -> the sensitive categories it may read; {@value #OTHER_ROLES} for roles not listed
 */
public record SensitiveDataAccessDetector(WindowRuleConfig config, Map<String, Set<PiCategory>> policy, PiCatalog catalog)
        implements Detector {
    public static final String RULE = "sensitive-data-access";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE,
            "the records with sensitive PI one user reads or exports beyond the role's policy",
            new WindowRuleConfig.Defaults("1h", "5m", "5m", 20, Severity.HIGH));
    /** The policy entry that applies to roles not listed and to events without a role. */
    public static final String OTHER_ROLES = "*";
    private static final String ALL = "*";
    private static final String NONE = "none";
    private static final String UNKNOWN_ROLE = "unknown";
    public static final Field<Map<String, Set<PiCategory>>> POLICY = PolicyLists.keyed("detect." + RULE + ".policy",
            "admin:*,support:specific_identity,finance:financial_account",
            RULE + ": which roles may read which PIPL Art. 28 sensitive PI categories; a role not listed (and an event"
                    + " without a role) may read none, unless a '*' role is listed",
            "a comma-separated list of role:category|category (role:* for every sensitive category, role:none for none;"
                    + " role * for the roles not listed) with categories among " + sensitiveCodes(),
            role -> role.toLowerCase(Locale.ROOT), SensitiveDataAccessDetector::categories);
    private static final Set<Action> READS_AND_EXPORTS = EnumSet.of(Action.VIEW, Action.SEARCH, Action.LIST_VIEW,
            Action.REPORT_RUN, Action.EXPORT, Action.BULK_API);

    public SensitiveDataAccessDetector {
        policy = Map.copyOf(policy);
    }

    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>(KEYS.all());
        out.add(POLICY);
        return List.copyOf(out);
    }

    /** The rule configured from {@code settings}, or null when it is disabled. */
    public static SensitiveDataAccessDetector from(Settings settings) {
        var config = KEYS.read(settings);
        return config.enabled() ? new SensitiveDataAccessDetector(config, settings.get(POLICY), PiCatalog.from(settings)) : null;
    }

    @Override
    public String incidentType() {
        return "sensitive_data_access";
    }


    /** The sensitive categories {@code role} may read. */
    public Set<PiCategory> allowed(String role) {
        var own = role == null ? null : policy.get(role.toLowerCase(Locale.ROOT));
        return own != null ? own : policy.getOrDefault(OTHER_ROLES, Set.of());
    }

    /** The fields of {@code event} whose sensitive category the event's role may not read. */
    public List<String> disallowedFields(AccessEvent event) {
        var allowed = allowed(event.getUserRole());
        var out = new ArrayList<String>();
        for (var field : event.getFields()) {
            var category = catalog.categoryOf(field);
            if (category != null && category.sensitive() && !allowed.contains(category)) {
                out.add(field);
            }
        }
        return out;
    }

    @Override
    public boolean counts(AccessEvent event) {
        return READS_AND_EXPORTS.contains(event.getAction()) && event.getOutcome() == Outcome.SUCCESS
                && !disallowedFields(event).isEmpty();
    }

    /** Single-record reads name the customer: the distinct customers are the individuals whose sensitive PI was read. */
    @Override
    public String distinctValue(AccessEvent event) {
        return event.getCustomerId();
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.recordCount();
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return PolicyLists.findings(eventsByEntity, this, context,
                event -> AccessEvent.newBuilder(event).setFields(disallowedFields(event)).build(),
                finding -> PolicyLists.withDetails(finding, false, Map.of("role", roleOf(finding.window()))));
    }

    private static String roleOf(WindowAggregate window) {
        return window.userRole() == null ? UNKNOWN_ROLE : window.userRole();
    }

    @Override
    public long affectedIndividuals(Incident incident) {
        return PolicyLists.rowsOrCustomers(incident);
    }

    @Override
    public String summary(Incident incident) {
        return Summaries.user(incident) + " (role " + incident.getAttributes().getOrDefault("role", UNKNOWN_ROLE) + ") read or exported "
                + Summaries.count(incident.getObserved()) + " records with sensitive personal information the role may not access ("
                + String.join(", ", incident.getPiCategories()) + ")" + Summaries.windowAndSpan(incident, config.window());
    }

    private static Set<PiCategory> categories(String text) {
        if (text.equals(ALL)) {
            return sensitive();
        }
        if (text.isEmpty() || text.equalsIgnoreCase(NONE)) {
            return Set.of();
        }
        var out = EnumSet.noneOf(PiCategory.class);
        for (var code : text.split("\\|")) {
            var category = PiCategory.fromCode(code);
            if (!category.sensitive()) {
                throw new IllegalArgumentException(code + " is not a sensitive category");
            }
            out.add(category);
        }
        return Collections.unmodifiableSet(out);
    }

    private static Set<PiCategory> sensitive() {
        return Collections.unmodifiableSet(Arrays.stream(PiCategory.values()).filter(PiCategory::sensitive)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PiCategory.class))));
    }

    private static String sensitiveCodes() {
        return sensitive().stream().map(PiCategory::code).collect(Collectors.joining(", "));
    }

}
