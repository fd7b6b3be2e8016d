package io.breachwatch.sim;

import io.breachwatch.schema.AccessEvent;
import io.breachwatch.schema.Action;
import io.breachwatch.schema.Outcome;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Builds simulated events: the account's context (tenant, role, IP, geo, agent) plus what it did. */
final class Events {
    static final List<String> CONTACT_FIELDS = List.of("name", "mobile", "email", "address");
    static final List<String> SENSITIVE_CONTACT_FIELDS = List.of("name", "mobile", "email", "address", "id_card_number");
    static final List<String> ACCOUNT_FIELDS = List.of("name", "industry", "owner", "annual_revenue");
    static final List<String> CASE_FIELDS = List.of("subject", "status", "description");
    static final List<String> BANK_FIELDS = List.of("name", "bank_account");

    private Events() {
    }

    static AccessEvent.Builder from(SimUser user, Instant time, Action action, String ip, City city) {
        return AccessEvent.newBuilder()
                .setEventId("")
                .setTimestamp(time)
                .setTenantId(user.tenantId())
                .setUserId(user.userId())
                .setUserRole(user.role().label())
                .setSessionId(session(user, time, ip))
                .setSourceIp(ip)
                .setCountry(city.country())
                .setLatitude(city.latitude())
                .setLongitude(city.longitude())
                .setUserAgent(user.userAgent())
                .setAction(action)
                .setOutcome(Outcome.SUCCESS);
    }

    /**
     * One session per account, local day and network: a benign user who moves from the office to home logs in
     * again, so no benign session is ever seen from two networks (what session-hijack looks for).
     */
    private static String session(SimUser user, Instant time, String ip) {
        long day = time.atZone(SimConfig.ZONE).toLocalDate().toEpochDay();
        long network = ip == null ? 0 : ip.hashCode();
        return String.format(Locale.ROOT, "s-%08x", ((user.userId().hashCode() * 31L + day) * 31L + network) & 0xffffffffL);
    }

    static void withRecord(AccessEvent.Builder b, String objectType, String recordId, String customerId, long count, List<String> fields) {
        b.setObjectType(objectType).setRecordId(recordId).setCustomerId(customerId).setRecordCount(count).setFields(fields);
    }
}
