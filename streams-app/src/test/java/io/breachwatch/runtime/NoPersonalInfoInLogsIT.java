package io.breachwatch.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.breachwatch.schema.AccessEvent;
import io.breachwatch.sim.ScenarioKind;
import io.breachwatch.sim.SimConfig;
import io.breachwatch.sim.Simulator;
import io.breachwatch.topology.PoisonPills;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Demo-like traffic (the simulator with every breach scenario) plus personal values planted in free-text fields
 * and poison pills carrying them, through the wired {@link Service} on a real broker, with every log event of the
 * JVM captured (io.breachwatch at DEBUG, Kafka at INFO): no log line may contain a customer id, a source IP, or
 * any of the planted phone number, ID card number, email or name.
 */
class NoPersonalInfoInLogsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PHONE = "13812345678";
    private static final String ID_CARD = "110101199003074514";
    private static final String EMAIL = "zhang.wei@example.com";
    private static final String NAME = "张伟";
    private static final String PLANTED_CUSTOMER = "t09-c424242";

    @TempDir
    Path dir;

    @Test
    void logsCarryNoPersonalInformationFromTrafficOrPoisonPills() throws Exception {
        var capture = new Capture();
        var levels = captureAllLogs(capture);
        try (var h = ServiceHarness.create(dir, Map.of())) {
            h.service.start();
            assertThat(h.service.awaitRunning(TIMEOUT)).as("RUNNING").isTrue();

            var events = plantPersonalValues(simulatedDay());
            var pills = new PoisonPills(h.registry, h.config.topology().inputTopic())
                    .all(withPersonalValues(events.get(0)), Instant.now());
            h.send(events);
            for (var pill : pills) {
                h.sendRaw(PLANTED_CUSTOMER + "/" + PHONE, pill.value());
            }
            h.flush();
            var total = events.size() + pills.size();
            await().atMost(TIMEOUT).until(() -> recordsConsumed(h) >= total);
            var incidents = await().atMost(TIMEOUT).until(() -> incidentCount(h), n -> n > 0);
            h.service.stop();

            var personal = personalValues(events);
            System.err.printf("no PI in logs: %d events in (%d poison pills), %d incident(s), %d log lines scanned for %d personal values%n",
                    total, pills.size(), incidents, capture.lines.size(), personal.size());
            assertNoPersonalValues(capture.lines, personal);
        } finally {
            restore(levels, capture);
        }
    }

    /** One simulated office day two weeks back (within validation.max-age), every scenario at least once. */
    private static List<AccessEvent> simulatedDay() {
        var monday = LocalDate.now(SimConfig.ZONE).minusDays(14).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        var start = monday.atTime(8, 0).atZone(SimConfig.ZONE).toInstant();
        var sim = new Simulator(new SimConfig(7, 20, 2, 1, start, EnumSet.allOf(ScenarioKind.class),
                Duration.ofMinutes(40), Duration.ofMinutes(15), false));
        return sim.stream().toList();
    }

    /** Every 7th event gets a phone number, ID card number, email and name in its free-text fields. */
    private static List<AccessEvent> plantPersonalValues(List<AccessEvent> events) {
        var out = new ArrayList<AccessEvent>(events.size());
        for (int i = 0; i < events.size(); i++) {
            out.add(i % 7 == 0 ? withPersonalValues(events.get(i)) : events.get(i));
        }
        return out;
    }

    private static AccessEvent withPersonalValues(AccessEvent event) {
        return AccessEvent.newBuilder(event)
                .setRecordId(PHONE)
                .setUserAgent("Mozilla/5.0 (" + EMAIL + ")")
                .setDestination("email:" + NAME)
                .setObjectType(ID_CARD)
                .setCustomerId(event.getCustomerId() == null ? PLANTED_CUSTOMER : event.getCustomerId())
                .build();
    }

    private static Set<String> personalValues(List<AccessEvent> events) {
        var values = new TreeSet<String>(List.of(PHONE, ID_CARD, EMAIL, NAME, PLANTED_CUSTOMER));
        for (var event : events) {
            if (event.getCustomerId() != null) {
                values.add(event.getCustomerId());
            }
            if (event.getSourceIp() != null) {
                values.add(event.getSourceIp());
            }
        }
        return values;
    }

    private static void assertNoPersonalValues(List<String> lines, Set<String> values) {
        // whole values only: 10.1.2.3 must not match inside 10.1.2.34
        var patterns = new LinkedHashMap<String, Pattern>();
        values.forEach(v -> patterns.put(v, Pattern.compile("(?<![\\p{Alnum}.])" + Pattern.quote(v) + "(?![\\p{Alnum}]|\\.\\d)")));
        var leaks = new ArrayList<String>();
        for (var line : lines) {
            patterns.forEach((value, pattern) -> {
                if (line.contains(value) && pattern.matcher(line).find()) {
                    leaks.add("'" + value + "' in log line: " + line);
                }
            });
        }
        assertThat(leaks).as("personal values in the logs").isEmpty();
    }

    private static long recordsConsumed(ServiceHarness h) {
        var scrape = h.get("/metrics").body();
        return scrape.lines().filter(l -> l.startsWith("breachwatch_records_consumed_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int incidentCount(ServiceHarness h) throws Exception {
        var response = h.get("/api/incidents?limit=1000");
        return response.status() == 200
                ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("count").asInt() : 0;
    }

    /** Collects every log event's message and exception chain (class and message of each cause). */
    private static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            var line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
    }

    private static final Map<String, Level> LEVELS = Map.of("io.breachwatch", Level.DEBUG, "org.apache.kafka", Level.INFO, "kafka", Level.INFO);

    /** The console appenders, detached while Kafka logs at INFO (the capture sees everything). */
    private static final List<ch.qos.logback.core.Appender<ILoggingEvent>> CONSOLE = new ArrayList<>();

    private static Map<String, Level> captureAllLogs(Capture capture) {
        var previous = new LinkedHashMap<String, Level>();
        LEVELS.forEach((name, level) -> {
            var logger = (Logger) LoggerFactory.getLogger(name);
            previous.put(name, logger.getLevel());
            logger.setLevel(level);
        });
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.setContext(root.getLoggerContext());
        capture.start();
        root.iteratorForAppenders().forEachRemaining(CONSOLE::add);
        CONSOLE.forEach(root::detachAppender);
        root.addAppender(capture);
        return previous;
    }

    private static void restore(Map<String, Level> levels, Capture capture) {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(capture);
        capture.stop();
        CONSOLE.forEach(root::addAppender);
        CONSOLE.clear();
        levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
    }
}
