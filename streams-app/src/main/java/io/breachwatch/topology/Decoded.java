package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;

/**
 * What the decode step makes of one input record. A valid one keeps the bytes it was decoded from: the entity
 * repartition topics carry those unchanged ({@link OriginalBytesSerde}) instead of re-encoding the event.
 */
sealed interface Decoded {
    record Valid(AccessEvent event, byte[] raw) implements Decoded {
    }

    record Rejected(byte[] raw) implements Decoded {
    }
}
