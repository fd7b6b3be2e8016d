package io.breachwatch.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** The simulated tenants, their accounts and their customers. */
final class Population {
    private static final String[] BROWSERS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 DingTalk/7.5",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"};
    static final String INTEGRATION_AGENT = "crm-sync/3.2 (Java 17)";

    final List<SimUser> users;
    final int tenants;
    final int customersPerTenant;

    Population(SimConfig config) {
        this.tenants = config.tenants();
        var all = new ArrayList<SimUser>();
        int perTenant = config.users() / config.tenants();
        this.customersPerTenant = Math.max(5_000, perTenant * 40);
        for (int t = 0; t < config.tenants(); t++) {
            int count = perTenant + (t < config.users() % config.tenants() ? 1 : 0);
            addTenant(all, config.seed(), t, count);
        }
        this.users = List.copyOf(all);
    }

    private static void addTenant(List<SimUser> out, long seed, int t, int count) {
        var rng = Rng.of(seed, 1, t);
        var tenantId = tenantId(t);
        var hq = City.OFFICES[t % City.OFFICES.length];
        boolean bigTerritoryGiven = false;
        boolean campaignGiven = false;
        for (int i = 0; i < count; i++) {
            Role role = i == 0 ? Role.INTEGRATION : i == 1 ? Role.ADMIN : randomRole(rng);
            Profile profile = Profile.NORMAL;
            if (role == Role.INTEGRATION) {
                profile = Profile.NIGHTLY_INTEGRATION;
            } else if (role == Role.SALES && !bigTerritoryGiven) {
                profile = Profile.BIG_TERRITORY;
                bigTerritoryGiven = true;
            } else if (role == Role.MARKETING && !campaignGiven) {
                profile = Profile.CAMPAIGN_EXPORTER;
                campaignGiven = true;
            }
            var city = rng.nextDouble() < 0.7 ? hq : Rng.pick(rng, City.OFFICES);
            int cityIndex = List.of(City.OFFICES).indexOf(city);
            String userId = role == Role.INTEGRATION
                    ? String.format(Locale.ROOT, "t%02d.svc-sync", t + 1)
                    : String.format(Locale.ROOT, "t%02d.u%04d", t + 1, i);
            // office NAT: 8 addresses per office, so a morning of typos never looks like stuffing from one IP
            String officeIp = role == Role.INTEGRATION
                    ? String.format(Locale.ROOT, "47.100.%d.%d", 10 + t, 20)
                    : String.format(Locale.ROOT, "116.228.%d.%d", 10 + t, cityIndex * 10 + i % 8 + 1);
            String homeIp = String.format(Locale.ROOT, "183.%d.%d.%d", 192 + rng.nextInt(32), rng.nextInt(256), 1 + rng.nextInt(254));
            String agent = role == Role.INTEGRATION ? INTEGRATION_AGENT : Rng.pick(rng, BROWSERS);
            out.add(new SimUser(out.size(), tenantId, userId, role, profile, city, officeIp, homeIp, agent));
        }
    }

    private static Role randomRole(SplittableRandom rng) {
        double r = rng.nextDouble();
        return r < 0.45 ? Role.SALES : r < 0.75 ? Role.SUPPORT : r < 0.90 ? Role.MARKETING : Role.ADMIN;
    }

    static String tenantId(int t) {
        return String.format(Locale.ROOT, "tenant-%02d", t + 1);
    }

    static String customerId(int tenant, int customer) {
        return String.format(Locale.ROOT, "t%02d-c%06d", tenant + 1, customer);
    }

    int tenantIndex(SimUser user) {
        return Integer.parseInt(user.tenantId().substring("tenant-".length())) - 1;
    }

    List<SimUser> ofTenant(int t) {
        var id = tenantId(t);
        return users.stream().filter(u -> u.tenantId().equals(id)).toList();
    }
}
