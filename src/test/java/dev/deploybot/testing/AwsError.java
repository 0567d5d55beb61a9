package dev.deploybot.testing;

/**
 * An AWS service error as a fake service raises it. {@link FakeAws} writes it the way AWS JSON 1.1 does
 * ({@code x-amzn-ErrorType} header and {@code {"__type":..,"message":..}} body), so the SDK throws the
 * modelled exception for {@code type}, or the service's generic exception with that error code.
 */
public class AwsError extends Exception {

    private final int httpStatus;
    private final String type;

    public AwsError(int httpStatus, String type, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.type = type;
    }

    /** A client error: HTTP 400, like nearly all AWS JSON 1.1 errors. */
    public AwsError(String type, String message) {
        this(400, type, message);
    }

    /** The throttling error the SDK retries with backoff. */
    public static AwsError throttling() {
        return new AwsError("ThrottlingException", "Rate exceeded");
    }

    public static AwsError accessDenied(String message) {
        return new AwsError("AccessDeniedException", message);
    }

    public static AwsError unknownOperation(String target) {
        return new AwsError("UnknownOperationException", "Unknown operation " + target);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String type() {
        return type;
    }
}
