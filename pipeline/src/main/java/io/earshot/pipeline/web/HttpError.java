package io.earshot.pipeline.web;

/**
 * A request the server refuses, with its HTTP status and, for a bad parameter, the parameter's
 * name. {@link Exchange#error} turns it into {@code {"error": message, "status": status,
 * "parameter": name}}; the message is shown to the caller, so it names nothing internal.
 */
public final class HttpError extends Exception {

    private final int status;
    private final String parameter;

    public HttpError(int status, String parameter, String message) {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    /** A refusal without a parameter to blame. */
    public HttpError(int status, String message) {
        this(status, null, message);
    }

    /** A 400 for query parameter or body field {@code parameter}; the message starts with its name. */
    public static HttpError badParameter(String parameter, String message) {
        return new HttpError(400, parameter, parameter + ": " + message);
    }

    public int status() {
        return status;
    }

    /** The offending parameter, or null. */
    public String parameter() {
        return parameter;
    }
}
