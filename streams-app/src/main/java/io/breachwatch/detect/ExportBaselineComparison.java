package io.breachwatch.detect;

import io.breachwatch.schema.Baseline;

/**
 * What one user's day is compared with, and the volume from which it fires ({@code threshold}, in records).
 * With a baseline the day fires when its volume is at least {@code mean + z * stddev} AND {@code ratio * mean}
 * AND the floor; the standard deviation is at least {@code sqrt(mean)} (counting noise), so a perfectly regular
 * history does not make z infinite. Without any baseline the day fires from the new-user floor.
 *
 * @param source    {@value #OWN}, {@value #PEER} or {@value #NEW_USER}
 * @param days      days of history the baseline rests on (for a peer baseline: the peers' days, summed)
 * @param ownDays   the user's own days with exports
 * @param peerUsers users in the peer group (peer baselines only, else 0)
 * @param tooLittleHistory neither enough own history nor peers: the threshold includes the new-user floor
 */
record ExportBaselineComparison(String source, double mean, double stddev, long days, int ownDays, int peerUsers,
                                double threshold, boolean tooLittleHistory) {
    static final String OWN = "own";
    static final String PEER = "peer";
    static final String NEW_USER = "new-user";

    /**
     * The user's own history once it has {@code min-days} days; before that the peer group when it has
     * {@code min-peers} users; without peers the short own history, which is too thin to trust on its own (one
     * day's variance says nothing), so the day must also reach the new-user floor; with no history at all, the
     * new-user floor.
     */
    static ExportBaselineComparison choose(ExportBaselineState user, ExportBaselineConfig config) {
        var ownDays = user.days();
        var peers = user.peers();
        if (ownDays < config.minDays() && peers != null && peers.users() >= config.minPeers()) {
            return withBaseline(PEER, peers.median(), peers.spread(), peers.userDays(), ownDays, peers.users(), config);
        }
        if (ownDays > 0) {
            var own = withBaseline(OWN, user.mean(), user.stddev(), ownDays, ownDays, 0, config);
            return ownDays >= config.minDays() ? own : own.atLeast(config.newUserFloor());
        }
        return new ExportBaselineComparison(NEW_USER, 0, 0, 0, 0, 0, config.newUserFloor(), true);
    }

    private static ExportBaselineComparison withBaseline(String source, double mean, double stddev, long days, int ownDays,
                                                         int peerUsers, ExportBaselineConfig config) {
        var sd = Math.max(stddev, Math.max(Math.sqrt(mean), 1));
        var threshold = Math.ceil(Math.max(Math.max(mean + config.zThreshold() * sd, config.ratio() * mean), config.floor()));
        return new ExportBaselineComparison(source, mean, sd, days, ownDays, peerUsers, threshold, false);
    }

    /** The same comparison firing no lower than the new-user floor. */
    private ExportBaselineComparison atLeast(long newUserFloor) {
        return new ExportBaselineComparison(source, mean, stddev, days, ownDays, peerUsers, Math.max(threshold, newUserFloor), true);
    }

    boolean isNewUser() {
        return NEW_USER.equals(source);
    }

    boolean fires(long volume) {
        return volume >= threshold;
    }

    double z(long volume) {
        return stddev == 0 ? 0 : (volume - mean) / stddev;
    }

    /** Volume over mean; 0 without a baseline. */
    double ratio(long volume) {
        return mean == 0 ? 0 : volume / mean;
    }

    /** The baseline for the incident, null for the new-user floor. */
    Baseline baseline() {
        return isNewUser() ? null
                : Baseline.newBuilder().setMean(mean).setStddev(stddev).setDays((int) Math.min(Integer.MAX_VALUE, days)).setSource(source).build();
    }
}
