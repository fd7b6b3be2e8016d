package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;

/**
 * What the decode step makes of one input record. A valid one keeps the bytes it was decoded from: the entity
 * repartition topics carry those unchanged ({@link OriginalBytesSerde}) instead of re-encoding the event.
 */
sealed interface Decoded {
    /** @param partition the input partition it was read from, -1 once it has moved through an entity topic */
    record Valid(AccessEvent event, byte[] raw, int partition) implements Decoded {
    }

    record Rejected(byte[] raw) implements Decoded {
    }
}
