package io.breachwatch.sim;

import java.util.Locale;

/** CRM roles of simulated users, with how busy each is in a working hour. */
public enum Role {
    SALES(14), SUPPORT(22), MARKETING(7), ADMIN(6), INTEGRATION(0);

    /** Mean actions per working hour. */
    final double actionsPerHour;

    Role(double actionsPerHour) {
        this.actionsPerHour = actionsPerHour;
    }

    /** The value of AccessEvent.user_role. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
