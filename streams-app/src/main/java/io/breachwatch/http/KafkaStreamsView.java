package io.breachwatch.http;

import io.breachwatch.detect.EntityWindows;
import io.breachwatch.schema.Incident;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.UnknownStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link StreamsView} over a running {@link KafkaStreams} instance through interactive queries.
 * Answers from this instance's local stores only (all partitions when one instance runs).
 *
 * <p>The store names come from the topology: the incidents key-value store (incident_id to {@link Incident}),
 * the window stores whose values explain a rule (key-value stores whose value maps each window start, epoch ms, to
 * the window's value: sums, counts) and the key-value stores of per-actor state
 * (baselines, last login, last seen), all keyed by {@link Stores#actorKey}.
 */
public final class KafkaStreamsView implements StreamsView {
    /** How many windows per store {@code /api/actors} shows, newest first. */
    static final int WINDOWS_PER_STORE = 48;

    private final Supplier<KafkaStreams.State> state;
    private final TopologyDescription description;
    private final Stores stores;
    private final StoreLookup lookup;

    /** @param stores the queryable store names and how an actor is keyed in them */
    public KafkaStreamsView(KafkaStreams streams, TopologyDescription description, Stores stores) {
        this(streams::state, description, stores, interactiveQueries(streams));
    }

    /** With another source of stores, e.g. TopologyTestDriver's in tests. */
    KafkaStreamsView(Supplier<KafkaStreams.State> state, TopologyDescription description, Stores stores, StoreLookup lookup) {
        this.state = Objects.requireNonNull(state, "state");
        this.description = Objects.requireNonNull(description, "description");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** Finds a store by name; throws {@link NotQueryableException} while it cannot be read. */
    interface StoreLookup {
        ReadOnlyKeyValueStore<Object, Object> keyValueStore(String name);
    }

    /**
     * Names of the stores the API reads.
     *
     * @param incidents    key-value store incident_id to Incident (latest revision)
     * @param actorWindows key-value stores keyed by actor whose value is the actor's windows as {@code EntityWindows} encodes them
     * @param actorValues  key-value stores keyed by actor
     * @param actorKey     the store key of (tenant, user), e.g. {@code tenant + "/" + user}
     */
    public record Stores(String incidents, List<String> actorWindows, List<String> actorValues,
                         BiFunction<String, String, ?> actorKey) {
        public Stores {
            Objects.requireNonNull(incidents, "incidents");
            actorWindows = List.copyOf(actorWindows);
            actorValues = List.copyOf(actorValues);
            Objects.requireNonNull(actorKey, "actorKey");
        }
    }

    @Override
    public KafkaStreams.State state() {
        return state.get();
    }

    @Override
    public List<Incident> incidents(IncidentQuery query) {
        var incidents = new ArrayList<Incident>();
        forEachIncident(incident -> {
            if (query.matches(incident)) {
                incidents.add(incident);
            }
        });
        return query.select(incidents.stream());
    }

    @Override
    public void forEachIncident(Consumer<Incident> action) {
        var store = lookup.keyValueStore(stores.incidents());
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value instanceof Incident incident) {
                    action.accept(incident);
                }
            });
        }
    }

    @Override
    public ActorState actor(String tenant, String user) {
        Object key = stores.actorKey().apply(tenant, user);
        var windows = new LinkedHashMap<String, List<ActorState.WindowValue>>();
        for (var name : stores.actorWindows()) {
            var values = new ArrayList<ActorState.WindowValue>();
            // event time, not wall-clock time: replayed history has old windows; retention bounds the range
            if (lookup.keyValueStore(name).get(key) instanceof byte[] stored) { // a window store holds EntityWindows' encoding
                for (var entry : EntityWindows.read(stored).descendingMap().entrySet()) {
                    if (values.size() >= WINDOWS_PER_STORE) {
                        break;
                    }
                    values.add(new ActorState.WindowValue(Instant.ofEpochMilli(entry.getKey()), entry.getValue()));
                }
            }
            windows.put(name, values);
        }
        var values = new LinkedHashMap<String, Object>();
        for (var name : stores.actorValues()) {
            var store = lookup.keyValueStore(name);
            var value = store.get(key);
            if (value != null) {
                values.put(name, value);
            }
        }
        return new ActorState(tenant, user, windows, values);
    }

    @Override
    public String topologyDescription() {
        return description.toString();
    }

    private static StoreLookup interactiveQueries(KafkaStreams streams) {
        return new StoreLookup() {
            @Override
            public ReadOnlyKeyValueStore<Object, Object> keyValueStore(String name) {
                return store(streams, name, QueryableStoreTypes.keyValueStore());
            }
        };
    }

    private static <T> T store(KafkaStreams streams, String name, QueryableStoreType<T> type) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, type));
        } catch (UnknownStateStoreException e) {
            throw new IllegalStateException("no queryable store named '" + name + "' in this topology: the HTTP API is wired with a wrong store name", e);
        } catch (InvalidStateStoreException e) {
            throw new NotQueryableException("store '" + name + "' is not queryable now (state " + streams.state() + "); retry shortly");
        }
    }
}
