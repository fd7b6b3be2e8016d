package io.breachwatch.sim;

/** One simulated CRM account. Ids only: the simulator never makes up names or phone numbers. */
public record SimUser(int index, String tenantId, String userId, Role role, Profile profile, City city,
                      String officeIp, String homeIp, String userAgent) {
}
