package io.breachwatch.serde;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Field;
import io.breachwatch.config.Settings;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where the schema registry is and how to talk to it.
 *
 * @param url                {@value #EMBEDDED} for the in-memory registry, else the base URL of a Confluent-compatible
 *                           REST API, possibly with a path (Apicurio: {@code http://host:8080/apis/ccompat/v7})
 * @param basicAuthUser      user for HTTP basic auth, or null for none
 * @param basicAuthPassword  its password, or null
 * @param truststorePath     a PKCS12 or JKS truststore for https, or null for the JDK's default trust
 * @param truststorePassword its password, or null
 */
public record RegistryConfig(String url, String basicAuthUser, String basicAuthPassword,
                             Duration connectTimeout, Duration readTimeout,
                             Path truststorePath, String truststorePassword) {

    /** The {@code registry.url} that selects the in-memory registry. */
    public static final String EMBEDDED = "embedded";

    public static final Field<String> URL = new Field<>("registry.url", EMBEDDED,
            "Schema registry: 'embedded' (in memory, for demo/replay) or the base URL of a Confluent-compatible REST API, e.g. http://localhost:8081 or http://apicurio:8080/apis/ccompat/v7",
            "embedded, or an http:// or https:// URL with a host", s -> s, RegistryConfig::isValidUrl);
    public static final Field<String> BASIC_AUTH_USER = Field.optionalString("registry.basic-auth.user",
            "User for HTTP basic authentication to the schema registry (optional)");
    public static final Field<String> BASIC_AUTH_PASSWORD = Field.optionalString("registry.basic-auth.password",
            "Password for HTTP basic authentication to the schema registry (optional; needs registry.basic-auth.user)");
    public static final Field<Duration> CONNECT_TIMEOUT = Field.duration("registry.connect-timeout", "5s",
            "How long to wait for a TCP/TLS connection to the schema registry");
    public static final Field<Duration> READ_TIMEOUT = Field.duration("registry.read-timeout", "10s",
            "How long to wait for the schema registry's response to one request");
    public static final Field<String> TRUSTSTORE_LOCATION = Field.optionalString("registry.ssl.truststore.location",
            "Truststore (PKCS12 or JKS) for an https schema registry; unset means the JDK's default trusted CAs");
    public static final Field<String> TRUSTSTORE_PASSWORD = Field.optionalString("registry.ssl.truststore.password",
            "Password of registry.ssl.truststore.location (optional)");

    public RegistryConfig {
        java.util.Objects.requireNonNull(connectTimeout, "connectTimeout");
        java.util.Objects.requireNonNull(readTimeout, "readTimeout");
        if (!isValidUrl(url)) {
            throw new ConfigException(URL.key(), "invalid value '" + url + "'; allowed: " + URL.allowed());
        }
        if (basicAuthPassword != null && basicAuthUser == null) {
            throw new ConfigException(BASIC_AUTH_PASSWORD.key(), "is set but " + BASIC_AUTH_USER.key() + " is not");
        }
        if (truststorePassword != null && truststorePath == null) {
            throw new ConfigException(TRUSTSTORE_PASSWORD.key(), "is set but " + TRUSTSTORE_LOCATION.key() + " is not");
        }
        if (truststorePath != null && !Files.isRegularFile(truststorePath)) {
            throw new ConfigException(TRUSTSTORE_LOCATION.key(), "truststore file not found: " + truststorePath);
        }
    }

    public static List<Field<?>> fields() {
        return List.of(URL, BASIC_AUTH_USER, BASIC_AUTH_PASSWORD, CONNECT_TIMEOUT, READ_TIMEOUT,
                TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD);
    }

    public static RegistryConfig from(Settings settings) {
        var truststore = settings.get(TRUSTSTORE_LOCATION);
        return new RegistryConfig(settings.get(URL), settings.get(BASIC_AUTH_USER), settings.get(BASIC_AUTH_PASSWORD),
                settings.get(CONNECT_TIMEOUT), settings.get(READ_TIMEOUT),
                truststore == null ? null : Path.of(truststore), settings.get(TRUSTSTORE_PASSWORD));
    }

    /** A registry at {@code url} with default timeouts, no auth and the JDK's trust. */
    public static RegistryConfig forUrl(String url) {
        return new RegistryConfig(url, null, null,
                CONNECT_TIMEOUT.parse(null), READ_TIMEOUT.parse(null), null, null);
    }

    public boolean isEmbedded() {
        return EMBEDDED.equals(url);
    }

    private static boolean isValidUrl(String url) {
        if (url == null) {
            return false;
        }
        if (EMBEDDED.equals(url)) {
            return true;
        }
        try {
            var uri = new URI(url);
            var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "RegistryConfig[url=" + HttpSchemaRegistryClient.withoutUserInfo(url)
                + ", basicAuthUser=" + basicAuthUser + ", basicAuthPassword=" + mask(basicAuthPassword)
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", truststorePath=" + truststorePath + ", truststorePassword=" + mask(truststorePassword) + "]";
    }

    private static String mask(String secret) {
        return secret == null ? null : "****";
    }
}
