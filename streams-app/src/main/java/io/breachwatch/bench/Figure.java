package io.breachwatch.bench;

/**
 * One row of the results table.
 *
 * @param name    what was measured, with its size (e.g. "throughput, Breachwatch (b)")
 * @param value   the figure as shown, with its unit
 * @param goal    the goal it is held against, or "" when there is none
 * @param verdict met / missed / "" (no goal), or "did not finish"
 * @param notes   sizes, load average at the time, what limits it
 */
public record Figure(String name, String value, String goal, String verdict, String notes) {
    public static final String MET = "met";
    public static final String MISSED = "missed";
    public static final String DID_NOT_FINISH = "did not finish";

    /** A figure held against a goal: met when {@code ok}. */
    public static Figure against(String name, String value, String goal, boolean ok, String notes) {
        return new Figure(name, value, goal, ok ? MET : MISSED, notes);
    }

    /** A figure without a goal. */
    public static Figure info(String name, String value, String notes) {
        return new Figure(name, value, "", "", notes);
    }
}
