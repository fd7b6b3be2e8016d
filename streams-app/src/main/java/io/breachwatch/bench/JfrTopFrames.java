package io.breachwatch.bench;

import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the time of a Java Flight Recorder recording goes: its execution samples ({@code jdk.ExecutionSample}, threads
 * running Java code) counted by top frame (self time) and by every method on the stack (total time), the same view
 * as {@code jfr view hot-methods} (JDK 21+) on JDK 17; and the Kafka Streams threads' native samples
 * ({@code jdk.NativeMethodSample}: in JNI such as RocksDB, or blocked in the OS), which show where a stream thread
 * waits when it is not using the CPU.
 */
public final class JfrTopFrames {
    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+");

    private JfrTopFrames() {
    }

    /** A plain-text report of the top {@code n} methods by self and by total samples. */
    public static String report(Path recording, int n) throws IOException {
        var self = new HashMap<String, Long>();
        var total = new HashMap<String, Long>();
        var streamNative = new HashMap<String, Long>();
        var byThread = new HashMap<String, Long>();
        long samples = 0;
        long nativeSamples = 0;
        for (var event : RecordingFile.readAllEvents(recording)) {
            var type = event.getEventType().getName();
            if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                byThread.merge(threadKind(event), 1L, Long::sum);
                self.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
                var seen = new HashSet<String>();
                for (var frame : frames) {
                    var method = name(frame.getMethod());
                    if (seen.add(method)) {
                        total.merge(method, 1L, Long::sum);
                    }
                }
            } else if (type.equals("jdk.NativeMethodSample") && isStreamThread(event)) {
                nativeSamples++;
                streamNative.merge(firstNonJdkFrame(frames), 1L, Long::sum);
            }
        }
        var out = new StringBuilder(String.format(Locale.ROOT, "%s: %,d execution samples, %,d native samples of stream threads%n",
                recording.getFileName(), samples, nativeSamples));
        out.append(String.format(Locale.ROOT, "%nexecution samples by thread (UUIDs and numbers elided):%n"));
        top(byThread, 8, samples, out);
        out.append(String.format(Locale.ROOT, "%ntop %d methods by self samples:%n", n));
        top(self, n, samples, out);
        out.append(String.format(Locale.ROOT, "%ntop %d methods by total samples (on the stack):%n", n));
        top(total, n, samples, out);
        if (nativeSamples > 0) {
            out.append(String.format(Locale.ROOT, "%nstream threads in native code or blocked, by first application/library frame:%n"));
            top(streamNative, Math.min(n, 10), nativeSamples, out);
        }
        return out.toString();
    }

    /** The thread's name with its process UUID as * and numbers as N, so a pool's threads count together. */
    private static String threadKind(jdk.jfr.consumer.RecordedEvent event) {
        var thread = event.getThread("sampledThread");
        var name = thread == null || thread.getJavaName() == null ? "(unknown)" : thread.getJavaName();
        return name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*").replaceAll("\\d+", "N");
    }

    private static boolean isStreamThread(jdk.jfr.consumer.RecordedEvent event) {
        var thread = event.getThread("sampledThread");
        return thread != null && thread.getJavaName() != null && isStreamThread(thread.getJavaName());
    }

    /** A Kafka Streams processing thread ({@code <client id>-StreamThread-N}), not a client thread named after one. */
    static boolean isStreamThread(String threadName) {
        return STREAM_THREAD.matcher(threadName).matches();
    }

    /** The first frame outside the JDK (java., jdk., sun.): which library call the thread is in. */
    private static String firstNonJdkFrame(List<RecordedFrame> frames) {
        for (var frame : frames) {
            var method = name(frame.getMethod());
            if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")) {
                return method;
            }
        }
        return name(frames.get(0).getMethod());
    }

    private static void top(Map<String, Long> counts, int n, long samples, StringBuilder out) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
    }

    private static String name(RecordedMethod method) {
        return method == null ? "(unknown)" : method.getType().getName() + "." + method.getName();
    }
}
