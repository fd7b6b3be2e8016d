package io.breachwatch.serde;

/** Makes the {@link SchemaRegistryClient} that a {@link RegistryConfig} asks for. */
public final class SchemaRegistries {
    private SchemaRegistries() {
    }

    /**
     * A new {@link InMemorySchemaRegistry} for {@code registry.url=embedded}, else an {@link HttpSchemaRegistryClient}.
     * Each call makes a new client: with the embedded registry, everything that writes and reads the same topics
     * in one process (e.g. the demo's simulator and the topology) must share the one instance.
     */
    public static SchemaRegistryClient create(RegistryConfig config) {
        return config.isEmbedded() ? new InMemorySchemaRegistry() : new HttpSchemaRegistryClient(config);
    }
}
