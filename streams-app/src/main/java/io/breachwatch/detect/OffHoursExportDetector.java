package io.breachwatch.detect;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Incident;
import io.breachwatch.schema.Outcome;
import io.breachwatch.schema.Severity;
import org.apache.kafka.streams.kstream.KStream;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * off-hours-export: the records one user exports (EXPORT, BULK_API, REPORT_RUN) outside the tenant's working hours,
 * over a window, above a floor. Working hours are local to each tenant (time zone, working days, from-to; default
 * Asia/Shanghai, Mon-Fri 08:00-20:00) and public holidays count as off-hours all day. Whether an event is off-hours
 * is decided from its own timestamp, so late and out-of-order events are judged by when they happened. Roles that
 * export on a schedule at any hour (default: integration) are exempt; their volume is bulk-export's and
 * export-baseline's to judge.
 *
 * @param tenantHours    tenant -> its working hours, for tenants that differ from {@code defaultHours}
 * @param holidays       dates that are off all day for every tenant without its own list
 * @param tenantHolidays tenant -> its own holidays (then {@code holidays} do not apply to it)
 * @param exemptRoles    roles (lower case) whose exports are not judged
 */
public record OffHoursExportDetector(WindowRuleConfig config, WorkingHours defaultHours, Map<String, WorkingHours> tenantHours,
                                     Set<LocalDate> holidays, Map<String, Set<LocalDate>> tenantHolidays, Set<String> exemptRoles)
        implements Detector {
    public static final String RULE = "off-hours-export";
    public static final WindowRuleConfig.Keys KEYS = WindowRuleConfig.Keys.of(RULE,
            "the records one user exports outside the tenant's working hours",
            new WindowRuleConfig.Defaults("1h", "5m", "5m", 5_000, Severity.MEDIUM));
    private static final String HOURS_FORMAT = "zone:days:HH:MM-HH:MM, zone an IANA time zone (Asia/Shanghai), days"
            + " MON-FRI or MON|WED|SAT or SUN-THU, hours from (inclusive) to (exclusive, up to 24:00)";
    public static final Field<WorkingHours> WORKING_HOURS = new Field<>("detect." + RULE + ".working-hours",
            "Asia/Shanghai:MON-FRI:08:00-20:00", RULE + ": working hours of every tenant not listed in detect." + RULE + ".tenant-hours",
            HOURS_FORMAT, WorkingHours::parse, h -> true);
    public static final Field<Map<String, WorkingHours>> TENANT_HOURS = PolicyLists.keyed("detect." + RULE + ".tenant-hours", "",
            RULE + ": working hours of tenants that differ from the default, e.g. acme:Europe/Berlin:MON-FRI:07:00-19:00",
            "a comma-separated list of tenant:" + HOURS_FORMAT, UnaryOperator.identity(), WorkingHours::parse);
    public static final Field<List<PolicyLists.Entry>> HOLIDAYS = new Field<>("detect." + RULE + ".holidays", "",
            RULE + ": public holidays, off-hours all day; a bare date applies to every tenant that lists no dates of its own",
            "a comma-separated list of YYYY-MM-DD or tenant:YYYY-MM-DD", OffHoursExportDetector::holidayEntries, e -> true);

    public static final Field<Set<String>> EXEMPT_ROLES = Field.list("detect." + RULE + ".exempt-roles", "integration",
            RULE + ": roles whose exports run on a schedule at any hour (service accounts, nightly syncs) and are not judged");

    public OffHoursExportDetector {
        tenantHours = Map.copyOf(tenantHours);
        holidays = Set.copyOf(holidays);
        tenantHolidays = Map.copyOf(tenantHolidays);
        exemptRoles = exemptRoles.stream().map(r -> r.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static List<Field<?>> fields() {
        var out = new ArrayList<Field<?>>(KEYS.all());
        out.addAll(List.of(WORKING_HOURS, TENANT_HOURS, HOLIDAYS, EXEMPT_ROLES));
        return List.copyOf(out);
    }

    /** The rule configured from {@code settings}, or null when it is disabled. */
    public static OffHoursExportDetector from(Settings settings) {
        var config = KEYS.read(settings);
        if (!config.enabled()) {
            return null;
        }
        var common = new HashSet<LocalDate>();
        var byTenant = new HashMap<String, Set<LocalDate>>();
        for (var entry : settings.get(HOLIDAYS)) {
            var date = LocalDate.parse(entry.value());
            (entry.name() == null ? common : byTenant.computeIfAbsent(entry.name(), t -> new HashSet<>())).add(date);
        }
        return new OffHoursExportDetector(config, settings.get(WORKING_HOURS), settings.get(TENANT_HOURS), common, byTenant,
                settings.get(EXEMPT_ROLES));
    }

    @Override
    public String incidentType() {
        return "off_hours_export";
    }


    public WorkingHours hoursOf(String tenant) {
        return tenantHours.getOrDefault(tenant, defaultHours);
    }

    /** Whether {@code ts} falls within the working hours of {@code tenant} (never on one of its holidays). */
    public boolean isWorkingTime(String tenant, Instant ts) {
        var local = ts.atZone(hoursOf(tenant).zone());
        return !tenantHolidays.getOrDefault(tenant, holidays).contains(local.toLocalDate()) && hoursOf(tenant).covers(local.getDayOfWeek(),
                local.getHour() * 60 + local.getMinute());
    }

    @Override
    public boolean counts(AccessEvent event) {
        return BulkExportDetector.EXPORTS.contains(event.getAction()) && event.getOutcome() == Outcome.SUCCESS
                && (event.getUserRole() == null || !exemptRoles.contains(event.getUserRole().toLowerCase(Locale.ROOT)))
                && !isWorkingTime(event.getTenantId(), event.getTimestamp());
    }

    @Override
    public double observed(WindowAggregate window) {
        return window.recordCount();
    }

    @Override
    public KStream<String, Finding> findings(KStream<String, AccessEvent> eventsByEntity, RuleContext context) {
        return PolicyLists.findings(eventsByEntity, this, context, UnaryOperator.identity(), finding -> {
            var hours = hoursOf(finding.window().tenantId());
            return PolicyLists.withDetails(finding, false, Map.of("time_zone", hours.zone().getId(), "working_hours", hours.text()));
        });
    }

    @Override
    public long affectedIndividuals(Incident incident) {
        return PolicyLists.rowsOrCustomers(incident);
    }

    @Override
    public String summary(Incident incident) {
        var hours = hoursOf(incident.getTenantId());
        return Summaries.user(incident) + " exported " + Summaries.count(incident.getObserved())
                + " records outside working hours (" + hours.zone().getId() + ", " + hours.text() + ", public holidays off)"
                + Summaries.windowAndSpan(incident, config.window()).replaceFirst("\\.$", "")
                + ", local time " + localSpan(incident.getFirstSeen(), incident.getLastSeen(), hours.zone()) + ".";
    }

    private static final DateTimeFormatter LOCAL_DAY = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    /** "Sat 2025-03-08 22:05 to 22:40", with the second date when the span crosses local midnight. */
    static String localSpan(Instant from, Instant to, ZoneId zone) {
        var a = from.atZone(zone);
        var b = to.atZone(zone);
        return LOCAL_DAY.format(a) + " to " + (a.toLocalDate().equals(b.toLocalDate()) ? LOCAL_TIME : LOCAL_DAY).format(b);
    }

    private static List<PolicyLists.Entry> holidayEntries(String raw) {
        var entries = PolicyLists.entries(raw);
        entries.forEach(e -> LocalDate.parse(e.value()));
        return List.copyOf(entries);
    }

    /**
     * When a tenant works, in its own time zone.
     *
     * @param startMinute first working minute of the day (inclusive), 0-1439
     * @param endMinute   end of the working day (exclusive), up to 1440 (24:00)
     * @param text        how the configuration wrote days and hours: {@code MON-FRI 08:00-20:00}
     */
    public record WorkingHours(ZoneId zone, Set<DayOfWeek> days, int startMinute, int endMinute, String text) {
        private static final Pattern FORMAT = Pattern.compile(
                "(.+):([A-Za-z]{3}(?:-[A-Za-z]{3})?(?:\\|[A-Za-z]{3}(?:-[A-Za-z]{3})?)*):(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})");

        public WorkingHours {
            days = Collections.unmodifiableSet(EnumSet.copyOf(days));
            if (startMinute < 0 || endMinute > 24 * 60 || startMinute >= endMinute) {
                throw new IllegalArgumentException("working hours must start before they end, within 00:00-24:00");
            }
        }

        /** {@code Asia/Shanghai:MON-FRI:08:00-20:00}. */
        public static WorkingHours parse(String text) {
            var m = FORMAT.matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("expected zone:days:HH:MM-HH:MM, got " + text);
            }
            var days = EnumSet.noneOf(DayOfWeek.class);
            for (var part : m.group(2).split("\\|")) {
                var range = part.split("-");
                var from = day(range[0]);
                var to = range.length == 1 ? from : day(range[1]);
                for (var d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            }
            return new WorkingHours(ZoneId.of(m.group(1)), days, minute(m.group(3)), minute(m.group(4)),
                    m.group(2).toUpperCase(Locale.ROOT) + " " + m.group(3) + "-" + m.group(4));
        }

        boolean covers(DayOfWeek day, int minuteOfDay) {
            return days.contains(day) && minuteOfDay >= startMinute && minuteOfDay < endMinute;
        }

        private static DayOfWeek day(String abbreviation) {
            for (var d : DayOfWeek.values()) {
                if (d.name().startsWith(abbreviation.toUpperCase(Locale.ROOT))) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown day " + abbreviation);
        }

        private static int minute(String hhmm) {
            var parts = hhmm.split(":");
            var h = Integer.parseInt(parts[0]);
            var m = Integer.parseInt(parts[1]);
            if (h > 24 || m > 59 || (h == 24 && m != 0)) {
                throw new IllegalArgumentException("not a time of day: " + hhmm);
            }
            return h * 60 + m;
        }
    }
}
