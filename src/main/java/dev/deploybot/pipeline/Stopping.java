package dev.deploybot.pipeline;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * Whether the process is stopping, heard at the shutdown event before any bean is destroyed, so that releases
 * being followed let go while the work lanes drain. A bean with nothing to build: hearing the event must not
 * build the pipeline and its AWS clients in a process that never used them.
 */
@Singleton
public class Stopping {
    private volatile boolean stopping;

    @EventListener
    void onShutdown(ShutdownEvent event) {
        stopping = true;
    }

    boolean now() {
        return stopping;
    }
}
