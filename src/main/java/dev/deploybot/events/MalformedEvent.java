package dev.deploybot.events;

/**
 * Text that is not an EventBridge event we can read. The message says what is wrong, never what the text
 * was: bodies may be large and come from anywhere.
 */
public class MalformedEvent extends RuntimeException {
    public MalformedEvent(String problem) {
        super(problem);
    }

    public MalformedEvent(String problem, Throwable cause) {
        super(problem, cause);
    }
}
