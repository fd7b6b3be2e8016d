package io.breachwatch.http;

import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.util.List;

/**
 * Where the HTTP API listens and whether it asks for a bearer token.
 *
 * @param address interface to bind; loopback by default so nothing is exposed unless asked for
 * @param port    TCP port; 0 picks a free one (tests)
 * @param token   bearer token required on /metrics and /api/* when set; null when not set
 */
public record HttpConfig(String address, int port, String token) {
    public static final Field<String> ADDRESS = Field.string("http.address", "127.0.0.1",
            "Interface the HTTP API (metrics, health, queries) binds to; 0.0.0.0 for all interfaces");
    public static final Field<Integer> PORT = Field.intRange("http.port", 8080, 0, 65535,
            "Port of the HTTP API; 0 picks a free port");
    public static final Field<String> TOKEN = Field.optionalString("http.token",
            "Bearer token required on /metrics and /api/* when set (health probes stay open); set it when binding beyond loopback");

    public HttpConfig {
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    public static List<Field<?>> fields() {
        return List.of(ADDRESS, PORT, TOKEN);
    }

    public static HttpConfig from(Settings settings) {
        return new HttpConfig(settings.get(ADDRESS), settings.get(PORT), settings.get(TOKEN));
    }

    /** Loopback on an ephemeral port without a token: for tests and local tools. */
    public static HttpConfig loopbackEphemeral() {
        return new HttpConfig("127.0.0.1", 0, null);
    }
}
