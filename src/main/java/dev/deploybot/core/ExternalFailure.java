package dev.deploybot.core;

/**
 * A service we depend on said no. Adapters translate vendor errors into this once, so features can
 * show the code to people and decide whether a retry makes sense without knowing the vendor.
 */
public class ExternalFailure extends RuntimeException {
    private final String service;
    private final String code;
    private final boolean retryable;

    public ExternalFailure(String service, String code, String message, boolean retryable, Throwable cause) {
        super(service + " " + code + ": " + message, cause);
        this.service = service;
        this.code = code;
        this.retryable = retryable;
    }

    public String service() {
        return service;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The vendor's message without our prefix, for people. */
    public String detail() {
        String message = getMessage();
        return message.substring(message.indexOf(": ") + 2);
    }
}
