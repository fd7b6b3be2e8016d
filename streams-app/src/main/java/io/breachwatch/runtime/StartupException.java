package io.breachwatch.runtime;

/** The application cannot start (broker unreachable, topics missing, ...). The message says what and what to check. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
