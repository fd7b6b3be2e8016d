package io.breachwatch.serde;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema registry in memory, for unit tests and the embedded default ({@code demo}, {@code replay}).
 * Like Confluent's: ids are global and start at 1, and the same schema under any subject keeps its id.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private final Map<String, Integer> idsByCanonicalSchema = new HashMap<>();
    private final List<Schema> schemasById = new ArrayList<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        var canonical = schema.toString();
        var id = idsByCanonicalSchema.get(canonical);
        if (id == null) {
            schemasById.add(schema);
            id = schemasById.size();
            idsByCanonicalSchema.put(canonical, id);
        }
        var versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        if (id < 1 || id > schemasById.size()) {
            throw new RegistryException("in-memory", 404, RegistryException.SCHEMA_NOT_FOUND, "schema " + id + " not found");
        }
        return schemasById.get(id - 1);
    }

    /** The ids registered under {@code subject}, oldest first. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }
}
