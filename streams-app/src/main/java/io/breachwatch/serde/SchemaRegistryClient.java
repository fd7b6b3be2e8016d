package io.breachwatch.serde;

import org.apache.avro.Schema;

import java.io.Closeable;

/**
 * The part of the Confluent Schema Registry API that the serdes need. Implementations cache: a schema id
 * never changes its schema, so look-ups by id are served from memory after the first.
 */
public interface SchemaRegistryClient extends Closeable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id; throws {@link RegistryException} when the registry does not know it. */
    Schema schemaById(int id);

    @Override
    default void close() {
    }
}
