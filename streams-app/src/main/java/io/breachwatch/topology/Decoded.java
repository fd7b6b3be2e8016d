package io.breachwatch.topology;

import io.breachwatch.schema.AccessEvent;

/** What the decode step makes of one input record. Never serialized: it only lives between two processors. */
sealed interface Decoded {
    record Valid(AccessEvent event) implements Decoded {
    }

    record Rejected(byte[] raw) implements Decoded {
    }
}
