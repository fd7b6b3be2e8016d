package io.breachwatch.sim;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plans the injected breaches and makes their events. Each one clearly exceeds its rule's default threshold
 * (about 4x) even when a window boundary cuts it in two, and uses an actor no other scenario uses while
 * accounts last.
 */
final class Scenarios {
    private static final String SCRIPT_AGENT = "python-requests/2.31.0";

    final List<ScenarioLabel> labels = new ArrayList<>();
    /** All scenario events in timestamp order. */
    final List<AccessEvent> events = new ArrayList<>();

    private final SimConfig config;
    private final Population population;
    private final Map<String, Integer> nextActor = new HashMap<>();

    Scenarios(SimConfig config, Population population) {
        this.config = config;
        this.population = population;
        var kinds = config.scenarios().stream().sorted().toList();
        if (!kinds.isEmpty()) {
            if (config.scenarioEvery() == null) {
                spreadOverDays(kinds);
            } else {
                everyInterval(kinds);
            }
        }
        events.sort(Comparator.comparing(AccessEvent::getTimestamp));
    }

    private void spreadOverDays(List<ScenarioKind> kinds) {
        int perKind = Math.max(1, config.days() / 4);
        var midnight = config.start().atZone(SimConfig.ZONE).toLocalDate().atStartOfDay(SimConfig.ZONE);
        for (int t = 0; t < config.tenants(); t++) {
            for (var kind : kinds) {
                for (int i = 0; i < perKind; i++) {
                    int first = firstDay(kind);
                    int day = first + (i * 4 + kind.ordinal() + t) % (config.days() - first);
                    var start = midnight.plusDays(day).plus(localStart(kind)).plusMinutes(7L * t).toInstant();
                    if (!start.isBefore(config.start()) && start.plus(Duration.ofHours(1)).isBefore(config.end())) {
                        inject(kind, t, start);
                    }
                }
            }
        }
    }

    /** An export spike needs a day of history (the user's or their peers') to stand out from: not on the first day. */
    private int firstDay(ScenarioKind kind) {
        return kind == ScenarioKind.EXPORT_SPIKE && config.days() > 1 ? 1 : 0;
    }

    private static Duration localStart(ScenarioKind kind) {
        return switch (kind) {
            case DEPARTING_EMPLOYEE_EXPORT -> Duration.ofHours(19).plusMinutes(30);
            case RECORD_ENUMERATION -> Duration.ofHours(14);
            case ACCESS_DENIED_BURST -> Duration.ofHours(10).plusMinutes(30);
            case CREDENTIAL_STUFFING -> Duration.ofHours(3);
            case IMPOSSIBLE_TRAVEL -> Duration.ofHours(11);
            case DORMANT_ACCOUNT -> Duration.ofHours(21);
            case SESSION_HIJACK -> Duration.ofHours(15);
            case SENSITIVE_DATA_ACCESS -> Duration.ofHours(15);
            case OFF_HOURS_EXPORT -> Duration.ofHours(22);
            case CROSS_BORDER_TRANSFER -> Duration.ofHours(11);
            case EXPORT_SPIKE -> Duration.ofHours(9).plusMinutes(30);
        };
    }

    private void everyInterval(List<ScenarioKind> kinds) {
        var time = config.start().plus(config.firstScenarioAfter());
        for (int n = 0; time.plus(Duration.ofHours(1)).isBefore(config.end()); n++) {
            inject(kinds.get(n % kinds.size()), n % config.tenants(), time);
            time = time.plus(config.scenarioEvery());
        }
    }

    private void inject(ScenarioKind kind, int tenant, Instant start) {
        var rng = Rng.of(config.seed(), 4, labels.size());
        var id = String.format(Locale.ROOT, "sc-%03d-%s", labels.size() + 1, kind.id());
        var made = switch (kind) {
            case DEPARTING_EMPLOYEE_EXPORT -> departingExport(actor(tenant, Role.SALES), start);
            case RECORD_ENUMERATION -> enumeration(actor(tenant, Role.SUPPORT), tenant, start, rng);
            case ACCESS_DENIED_BURST -> deniedBurst(actor(tenant, Role.MARKETING), tenant, start, rng);
            case CREDENTIAL_STUFFING -> credentialStuffing(tenant, start, labels.size());
            case IMPOSSIBLE_TRAVEL -> impossibleTravel(actor(tenant, Role.SALES), tenant, start, labels.size(), rng);
            case DORMANT_ACCOUNT -> dormantAccount(tenant, start, labels.size(), rng);
            case SESSION_HIJACK -> sessionHijack(actor(tenant, Role.SUPPORT), tenant, start, labels.size(), rng);
            case SENSITIVE_DATA_ACCESS -> sensitiveLists(actor(tenant, Role.MARKETING), start);
            case OFF_HOURS_EXPORT -> lateNightExport(actor(tenant, Role.SALES), start);
            case CROSS_BORDER_TRANSFER -> mailedAbroad(actor(tenant, Role.SALES), start);
            case EXPORT_SPIKE -> exportSpike(actor(tenant, Role.SALES), start);
        };
        // history before the scenario (a dormant account's last use) is not part of what the label spans
        var first = made.stream().filter(e -> !e.getTimestamp().isBefore(start)).findFirst().orElseThrow();
        var last = made.get(made.size() - 1);
        var actor = kind.actorIsIp() ? first.getSourceIp() : first.getUserId();
        labels.add(new ScenarioLabel(id, kind, kind.expectedRule(), Population.tenantId(tenant), actor, kind.actorIsIp(),
                first.getTimestamp(), last.getTimestamp()));
        events.addAll(made);
    }

    /** An ordinary account of that role, a different one each time while they last. */
    private SimUser actor(int tenant, Role role) {
        var users = population.ofTenant(tenant);
        var candidates = users.stream().filter(u -> u.role() == role && u.profile() == Profile.NORMAL).toList();
        if (candidates.isEmpty()) {
            candidates = users.stream().filter(u -> u.profile() == Profile.NORMAL).toList();
        }
        int n = nextActor.merge(tenant + "/" + role, 1, Integer::sum) - 1;
        return candidates.get(n % candidates.size());
    }

    /** After hours from home: 8 x 5,000 contact rows with ID numbers in 35 minutes, the last half mailed abroad. */
    private static List<AccessEvent> departingExport(SimUser user, Instant start) {
        var out = new ArrayList<AccessEvent>();
        out.add(Events.from(user, start, Action.LOGIN, user.homeIp(), user.city()).build());
        for (int i = 0; i < 8; i++) {
            var b = Events.from(user, start.plus(Duration.ofMinutes(2 + 5L * i)), Action.EXPORT, user.homeIp(), user.city());
            Events.withRecord(b, i % 2 == 0 ? "Contact" : "Account", "rpt-all-" + i, null, 5_000, Events.SENSITIVE_CONTACT_FIELDS);
            if (i < 4) {
                b.setDestination("download").setDestinationCountry("CN");
            } else {
                b.setDestination("email:gmail.com").setDestinationCountry("US");
            }
            out.add(b.setBytes(5_000L * 240).build());
        }
        return out;
    }

    /** In office hours from the office: 20 x 1,000 account rows, one every 12 minutes (20,000 rows in 4 h). */
    private static List<AccessEvent> exportSpike(SimUser user, Instant start) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < 20; i++) {
            var b = Events.from(user, start.plus(Duration.ofMinutes(12L * i)), Action.EXPORT, user.officeIp(), user.city());
            Events.withRecord(b, "Account", "rpt-accounts-" + i, null, 1_000, Events.ACCOUNT_FIELDS);
            out.add(b.setDestination("download").setDestinationCountry("CN").setBytes(1_000L * 160).build());
        }
        return out;
    }

    /** A script on a support account opens 900 distinct customer records, one every 3 s. */
    private List<AccessEvent> enumeration(SimUser user, int tenant, Instant start, SplittableRandom rng) {
        var out = new ArrayList<AccessEvent>();
        int book = population.customersPerTenant;
        int first = rng.nextInt(book);
        for (int i = 0; i < 900; i++) {
            var customer = Population.customerId(tenant, (first + i) % book);
            var b = Events.from(user, start.plusSeconds(3L * i), Action.VIEW, user.officeIp(), user.city());
            Events.withRecord(b, "Contact", "rec-" + customer, customer, 1, Events.SENSITIVE_CONTACT_FIELDS);
            out.add(b.setUserAgent(SCRIPT_AGENT).build());
        }
        return out;
    }

    /** A marketer probes records outside their permissions: 80 denied reads and exports in 6 minutes. */
    private List<AccessEvent> deniedBurst(SimUser user, int tenant, Instant start, SplittableRandom rng) {
        var out = new ArrayList<AccessEvent>();
        var actions = new Action[]{Action.VIEW, Action.EXPORT, Action.REPORT_RUN, Action.VIEW};
        for (int i = 0; i < 80; i++) {
            var action = actions[i % actions.length];
            var b = Events.from(user, start.plusMillis(4_500L * i), action, user.officeIp(), user.city());
            if (action == Action.VIEW) {
                var customer = Population.customerId(tenant, rng.nextInt(population.customersPerTenant));
                Events.withRecord(b, "Account", "rec-" + customer, customer, 0, Events.BANK_FIELDS);
            } else {
                Events.withRecord(b, "Report", "rpt-finance-" + (i % 5), null, 0, Events.BANK_FIELDS);
            }
            out.add(b.setOutcome(Outcome.DENIED).build());
        }
        return out;
    }

    /** A marketer opens 12 account lists of 10 rows showing bank accounts and ID numbers, one every 3-4 minutes. */
    private static List<AccessEvent> sensitiveLists(SimUser user, Instant start) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < 12; i++) {
            var b = Events.from(user, start.plusSeconds(200L * i), Action.LIST_VIEW, user.officeIp(), user.city());
            Events.withRecord(b, "Account", null, null, 10, List.of("name", "bank_account", "id_card_number"));
            out.add(b.build());
        }
        return out;
    }

    /** From home at night: 8 exports of 1,000 contact rows in 35 minutes, downloaded in China. */
    private static List<AccessEvent> lateNightExport(SimUser user, Instant start) {
        var out = new ArrayList<AccessEvent>();
        out.add(Events.from(user, start, Action.LOGIN, user.homeIp(), user.city()).build());
        for (int i = 0; i < 8; i++) {
            var b = Events.from(user, start.plus(Duration.ofMinutes(2 + 5L * i)), Action.EXPORT, user.homeIp(), user.city());
            Events.withRecord(b, "Contact", "rpt-territory-" + i, null, 1_000, Events.CONTACT_FIELDS);
            out.add(b.setDestination("download").setDestinationCountry("CN").setBytes(1_000L * 180).build());
        }
        return out;
    }

    /** During office hours: 3 exports of 200 contact rows mailed to a partner in Singapore. */
    private static List<AccessEvent> mailedAbroad(SimUser user, Instant start) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < 3; i++) {
            var b = Events.from(user, start.plus(Duration.ofMinutes(4L * i)), Action.EXPORT, user.officeIp(), user.city());
            Events.withRecord(b, "Contact", "rpt-partner-" + i, null, 200, Events.CONTACT_FIELDS);
            out.add(b.setDestination("email:partner.example.sg").setDestinationCountry("SG").setBytes(200L * 180).build());
        }
        return out;
    }

    /** One foreign IP fails logins for 45 distinct user ids (30 real, 15 guessed) in under 4 minutes. */
    private List<AccessEvent> credentialStuffing(int tenant, Instant start, int sequence) {
        var users = population.ofTenant(tenant);
        var ip = String.format(Locale.ROOT, "45.146.%d.%d", 160 + sequence / 250, 1 + sequence % 250);
        var attacker = new SimUser(-1, Population.tenantId(tenant), "", Role.SALES, Profile.NORMAL, City.AMSTERDAM, ip, ip, SCRIPT_AGENT);
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < 45; i++) {
            var target = i < Math.min(30, users.size()) ? users.get((sequence + i) % users.size()).userId()
                    : String.format(Locale.ROOT, "%s.guess%02d", Population.tenantId(tenant), i);
            var b = Events.from(attacker, start.plusSeconds(5L * i), Action.LOGIN_FAILED, ip, City.AMSTERDAM);
            out.add(b.setUserId(target).setUserRole(null).setSessionId(null).setOutcome(Outcome.FAILED).build());
        }
        return out;
    }

    /** An attacker's address in Amsterdam, one per scenario. */
    private static String foreignIp(int sequence) {
        return String.format(Locale.ROOT, "185.220.%d.%d", 100 + sequence / 250, 1 + sequence % 250);
    }

    /** {@code n} reads of contacts by {@code user} from {@code ip} in {@code city}, one every {@code every}, from {@code start}. */
    private List<AccessEvent> reads(SimUser user, int tenant, Instant start, Duration every, int n, String ip, City city,
                                    SplittableRandom rng) {
        var out = new ArrayList<AccessEvent>();
        for (int i = 0; i < n; i++) {
            var customer = Population.customerId(tenant, rng.nextInt(population.customersPerTenant));
            var b = Events.from(user, start.plus(every.multipliedBy(i)), Action.VIEW, ip, city);
            Events.withRecord(b, "Contact", "rec-" + customer, customer, 1, Events.CONTACT_FIELDS);
            out.add(b.build());
        }
        return out;
    }

    /**
     * Logs in at the office, then 90 minutes later the same account logs in from Amsterdam (about 8,000 km: some
     * 5,000 km/h) in a session of its own and reads a few contacts.
     */
    private List<AccessEvent> impossibleTravel(SimUser user, int tenant, Instant start, int sequence, SplittableRandom rng) {
        var out = new ArrayList<AccessEvent>();
        out.add(Events.from(user, start, Action.LOGIN, user.officeIp(), user.city()).build());
        var abroad = start.plus(Duration.ofMinutes(90));
        var ip = foreignIp(sequence);
        var session = String.format(Locale.ROOT, "s-travel-%04d", sequence);
        out.add(Events.from(user, abroad, Action.LOGIN, ip, City.AMSTERDAM).setSessionId(session).build());
        for (var read : reads(user, tenant, abroad.plusSeconds(40), Duration.ofSeconds(50), 12, ip, City.AMSTERDAM, rng)) {
            out.add(AccessEvent.newBuilder(read).setSessionId(session).build());
        }
        return out;
    }

    /**
     * An account no one has used for 120 days (a former employee's, never deprovisioned) logs in from a home
     * connection at night, reads 15 contacts and exports 800 rows: small enough for every volume rule.
     */
    private List<AccessEvent> dormantAccount(int tenant, Instant start, int sequence, SplittableRandom rng) {
        var tenantId = Population.tenantId(tenant);
        var city = City.OFFICES[tenant % City.OFFICES.length];
        var userId = String.format(Locale.ROOT, "t%02d.u9%03d", tenant + 1, sequence);
        var homeIp = String.format(Locale.ROOT, "183.230.%d.%d", rng.nextInt(256), 1 + rng.nextInt(254));
        var officeIp = String.format(Locale.ROOT, "116.228.%d.%d", 10 + tenant, 200 + sequence % 50);
        var account = new SimUser(-1, tenantId, userId, Role.SALES, Profile.NORMAL, city, officeIp, homeIp, SCRIPT_AGENT);
        var out = new ArrayList<AccessEvent>();
        var lastUse = start.minus(Duration.ofDays(120));
        out.add(Events.from(account, lastUse, Action.LOGIN, officeIp, city).build());
        out.addAll(reads(account, tenant, lastUse.plusSeconds(60), Duration.ofMinutes(3), 3, officeIp, city, rng));
        out.add(Events.from(account, start, Action.LOGIN, homeIp, city).build());
        out.addAll(reads(account, tenant, start.plusSeconds(30), Duration.ofSeconds(40), 15, homeIp, city, rng));
        var export = Events.from(account, start.plus(Duration.ofMinutes(12)), Action.EXPORT, homeIp, city);
        Events.withRecord(export, "Contact", "rpt-my-contacts", null, 800, Events.CONTACT_FIELDS);
        out.add(export.setDestination("download").setDestinationCountry("CN").setBytes(800L * 180).build());
        return out;
    }

    /**
     * The rep reads contacts in the office while the stolen session cookie is replayed from Amsterdam: the same
     * session_id from two countries and two networks within minutes.
     */
    private List<AccessEvent> sessionHijack(SimUser user, int tenant, Instant start, int sequence, SplittableRandom rng) {
        var out = new ArrayList<AccessEvent>(reads(user, tenant, start, Duration.ofMinutes(2), 10, user.officeIp(), user.city(), rng));
        var stolenSession = out.get(0).getSessionId();
        for (var read : reads(user, tenant, start.plus(Duration.ofMinutes(5)), Duration.ofSeconds(45), 15, foreignIp(sequence), City.AMSTERDAM, rng)) {
            out.add(AccessEvent.newBuilder(read).setSessionId(stolenSession).build());
        }
        out.sort(java.util.Comparator.comparing(AccessEvent::getTimestamp));
        return out;
    }
}
