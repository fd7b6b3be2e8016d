package io.breachwatch.http;

/** A query parameter or path segment the API cannot use; answered with 400 naming the parameter. */
public final class BadParameterException extends RuntimeException {
    private final String parameter;

    public BadParameterException(String parameter, String problem) {
        super("parameter '" + parameter + "': " + problem);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
