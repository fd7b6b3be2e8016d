package io.breachwatch.bench;

import java.util.List;
import java.util.Locale;

/** Renders the figures as a Markdown table (what bench prints and writes to results.md). */
public final class ResultsTable {
    private ResultsTable() {
    }

    public static String markdown(List<Figure> figures) {
        var out = new StringBuilder("| figure | value | goal | verdict | notes |\n|---|---|---|---|---|\n");
        for (var f : figures) {
            out.append("| ").append(cell(f.name())).append(" | ").append(cell(f.value())).append(" | ")
                    .append(cell(f.goal())).append(" | ").append(cell(f.verdict())).append(" | ")
                    .append(cell(f.notes())).append(" |\n");
        }
        return out.toString();
    }

    /** A rate with thousands separators, e.g. {@code 12,345 events/s}. */
    public static String rate(double eventsPerSecond) {
        return String.format(Locale.ROOT, "%,.0f events/s", eventsPerSecond);
    }

    public static String millis(double ms) {
        return String.format(Locale.ROOT, "%,.0f ms", ms);
    }

    public static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1024.0 / 1024.0);
    }

    /** Pipes and line breaks would break the table. */
    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
