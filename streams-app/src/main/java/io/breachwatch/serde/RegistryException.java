package io.breachwatch.serde;

/**
 * The schema registry refused or failed a request. Carries what an operator needs to act on it:
 * the URL, the HTTP status and the registry's own {@code error_code} (e.g. 40403 schema not found).
 */
public class RegistryException extends RuntimeException {
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final String url;
    private final int httpStatus;
    private final int errorCode;

    public RegistryException(String url, int httpStatus, int errorCode, String message, Throwable cause) {
        super(describe(url, httpStatus, errorCode, message), cause);
        this.url = url;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public RegistryException(String url, int httpStatus, int errorCode, String message) {
        this(url, httpStatus, errorCode, message, null);
    }

    private static String describe(String url, int httpStatus, int errorCode, String message) {
        var sb = new StringBuilder("schema registry request failed");
        if (url != null) {
            sb.append(": ").append(url);
        }
        if (httpStatus > 0) {
            sb.append(" -> HTTP ").append(httpStatus);
        }
        if (errorCode > 0) {
            sb.append(", error_code ").append(errorCode);
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }

    public String url() {
        return url;
    }

    /** HTTP status, or 0 when no response came (connection refused, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry answered that the schema (or subject) does not exist: HTTP 404 or an error_code 404xx. */
    public boolean isNotFound() {
        return httpStatus == 404 || errorCode / 100 == 404;
    }

    /** The registry's error_code from the JSON body, or 0 when there was none. */
    public int errorCode() {
        return errorCode;
    }
}
