package dev.deploybot.core;

import java.util.function.Supplier;

/**
 * Marks the work a thread does while a person waits for its answer (a Slack command is answered within 3 seconds,
 * however it arrived), so that what it waits for (the database still being migrated at start-up) is waited for
 * briefly and then refused, instead of for as long as work that answers nobody may wait.
 *
 * <p>Held by the thread alone, and on purpose not inherited: the slow work a handler hands to an executor after the
 * answer answers nobody, and a thread an executor creates during an answer would otherwise keep the mark for good.
 */
public final class SomeoneWaiting {
    private static final ThreadLocal<Boolean> ANSWERING = new ThreadLocal<>();

    private SomeoneWaiting() {
    }

    /** Runs {@code answer} on this thread, marked as answering someone who waits; nested calls keep the mark. */
    public static <T> T forTheAnswerOf(Supplier<T> answer) {
        if (onThisThread()) {
            return answer.get();
        }
        ANSWERING.set(Boolean.TRUE);
        try {
            return answer.get();
        } finally {
            ANSWERING.remove();
        }
    }

    /** Whether this thread is computing an answer someone waits for. */
    public static boolean onThisThread() {
        return ANSWERING.get() != null;
    }
}
