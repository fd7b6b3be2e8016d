package io.breachwatch.app;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on stderr, shown only when there is a terminal (never in pipes, logs or CI). */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final boolean enabled;
    private int lastPercent = -1;

    ProgressBar(String label) {
        this(label, System.err, System.console() != null);
    }

    ProgressBar(String label, PrintStream out, boolean enabled) {
        this.label = label;
        this.out = out;
        this.enabled = enabled;
    }

    /** {@code fraction} in [0, 1]; redraws only when the whole percent changes. */
    void update(double fraction, long count) {
        int percent = (int) Math.max(0, Math.min(100, fraction * 100));
        if (!enabled || percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        out.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %,d", label, "#".repeat(filled), " ".repeat(WIDTH - filled), percent, count);
        out.flush();
    }

    @Override
    public void close() {
        if (enabled && lastPercent >= 0) {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 24) + "\r");
            out.flush();
        }
    }
}
