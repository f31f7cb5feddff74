package io.earshot.pipeline.api;

/**
 * A request the API refuses, with the HTTP status and, for a bad parameter, the parameter's
 * name; it becomes {@code {"error": message, "parameter": name}}.
 */
final class ApiException extends Exception {

    private final int status;
    private final String parameter;

    ApiException(int status, String parameter, String message) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    static ApiException badParameter(String parameter, String message) {
        return new ApiException(400, parameter, parameter + ": " + message);
    }

    int status() {
        return status;
    }

    String parameter() {
        return parameter;
    }
}
