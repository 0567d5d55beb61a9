package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.OutcomeUnknown;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.io.InterruptedIOException;
import java.util.Set;

/** Translates SDK exceptions into {@link ExternalFailure}, once, at the edge. */
final class AwsFailures {
    private static final Set<String> RETRYABLE = Set.of("ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailableException",
            "InternalServerException", "ServerException");

    private AwsFailures() {
    }

    static ExternalFailure translate(String service, SdkException e) {
        if (e instanceof AwsServiceException service_) {
            String code = service_.awsErrorDetails() == null ? "Unknown" : service_.awsErrorDetails().errorCode();
            String message = service_.awsErrorDetails() == null ? e.getMessage() : service_.awsErrorDetails().errorMessage();
            boolean retryable = RETRYABLE.contains(code) || service_.statusCode() >= 500 || service_.isThrottlingException();
            return new ExternalFailure(service, code, message == null ? code : message, retryable, e);
        }
        if (noAnswerInTime(e)) {
            return new OutcomeUnknown(service, "no answer within the call budget", e);
        }
        if (e instanceof SdkClientException) {
            return new ExternalFailure(service, "ClientError", e.getMessage(), true, e);
        }
        return new ExternalFailure(service, "Unknown", e.getMessage(), false, e);
    }

    /** The budget ran out, or the last attempt's read timed out: the request may have reached AWS. */
    static boolean noAnswerInTime(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            // SocketTimeoutException (a read timed out) and the SDK's own interrupt on timeout both land here.
            if (cause instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
