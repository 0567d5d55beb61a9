package dev.deploybot.config;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;

import java.util.Arrays;

/**
 * {@code LOG_FORMAT=json} with the same bounds as the text format: a message is cut at 500 characters and a
 * stack trace at 30 frames, so no line carries more than a few hundred characters of anything that came from
 * outside (a request body quoted in an exception message included). Logback's encoder has no such limits.
 */
public class BoundedJsonEncoder extends JsonEncoder {
    static final int MAX_MESSAGE = 500;
    static final int MAX_FRAMES = 30;
    private static final int MAX_CAUSES = 5;

    @Override
    public byte[] encode(ILoggingEvent event) {
        LoggingEvent bounded = new LoggingEvent();
        bounded.setLoggerName(event.getLoggerName());
        bounded.setLevel(event.getLevel());
        bounded.setThreadName(event.getThreadName());
        bounded.setInstant(event.getInstant());
        bounded.setMessage(cut(event.getFormattedMessage()));
        bounded.setMDCPropertyMap(event.getMDCPropertyMap());
        bounded.setLoggerContextRemoteView(event.getLoggerContextVO());
        if (event.getThrowableProxy() instanceof ThrowableProxy throwable) {
            bounded.setThrowableProxy(throwable);
        }
        return super.encode(bounded);
    }

    @Override
    protected void appendThrowableProxy(StringBuilder sb, String attributeName, IThrowableProxy throwable) {
        super.appendThrowableProxy(sb, attributeName, throwable == null ? null : new Bounded(throwable, 0));
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }

    /** An exception as logged: its message cut, its frames capped, a few causes deep, no suppressed ones. */
    private record Bounded(IThrowableProxy throwable, int depth) implements IThrowableProxy {
        @Override
        public String getMessage() {
            return cut(throwable.getMessage());
        }

        @Override
        public String getClassName() {
            return throwable.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            StackTraceElementProxy[] frames = throwable.getStackTraceElementProxyArray();
            return frames.length <= MAX_FRAMES ? frames : Arrays.copyOf(frames, MAX_FRAMES);
        }

        @Override
        public int getCommonFrames() {
            // The frames shared with the enclosing trace are its last ones: cut away with the rest when capped.
            return throwable.getStackTraceElementProxyArray().length <= MAX_FRAMES ? throwable.getCommonFrames() : 0;
        }

        @Override
        public IThrowableProxy getCause() {
            return throwable.getCause() == null || depth >= MAX_CAUSES ? null : new Bounded(throwable.getCause(), depth + 1);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            return new IThrowableProxy[0];
        }

        @Override
        public boolean isCyclic() {
            return throwable.isCyclic();
        }
    }
}
