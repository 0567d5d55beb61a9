package dev.deploybot.core;

/**
 * A service did not answer within the call's budget. For a call that changes something, it may or may not have
 * happened: people are told exactly that, never that it failed.
 */
public class OutcomeUnknown extends ExternalFailure {
    public OutcomeUnknown(String service, String message, Throwable cause) {
        super(service, "NoAnswerInTime", message, true, cause);
    }
}
