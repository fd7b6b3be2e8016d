package io.breachwatch.sim;

/** How a simulated user behaves; the heavy ones are legitimate but busy and must not raise incidents. */
public enum Profile {
    NORMAL,
    /** A sales rep with a big territory: views ~100 distinct customers an hour (record-enumeration fires above 200). */
    BIG_TERRITORY,
    /** A marketer who exports a 6,000-row campaign list every Tuesday (bulk-export fires above 10,000 an hour). */
    CAMPAIGN_EXPORTER,
    /** An integration service account: nightly sync of 8,000 rows an hour 01:00-04:00, small API calls by day. */
    NIGHTLY_INTEGRATION
}
