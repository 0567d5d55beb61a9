package dev.deploybot.pipeline;

import dev.deploybot.config.StoreOutage;
import dev.deploybot.config.WorkExecutor;
import dev.deploybot.release.ExpireRequests;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs on every replica: expires undecided requests and resumes releases that nobody is working on
 * (after a crash, a restart, or a temporary AWS failure). Leases keep replicas from doubling up.
 */
@Singleton
public class ReleaseHousekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseHousekeeping.class);
    private final ExpireRequests expire;
    private final ReleaseJournal journal;
    private final ReleasePipeline pipeline;
    private final DriftCheck drift;
    private final ExecutorService work;

    public ReleaseHousekeeping(ExpireRequests expire, ReleaseJournal journal, ReleasePipeline pipeline, DriftCheck drift,
                               @Named(WorkExecutor.NAME) ExecutorService work) {
        this.expire = expire;
        this.journal = journal;
        this.pipeline = pipeline;
        this.drift = drift;
        this.work = work;
    }

    @Scheduled(fixedDelay = "${deploybot.release.housekeeping-interval:15s}", initialDelay = "${deploybot.release.housekeeping-delay:5s}")
    public void run() {
        try {
            expire.expire();
            for (ReleaseRequest request : journal.running()) {
                work.execute(() -> pipeline.resume(request.id()));
            }
        } catch (RejectedExecutionException busy) {
            LOG.info("work queue full; resuming releases on the next round");
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "release housekeeping", e)) {
                LOG.error("release housekeeping failed; trying again on the next round", e);
            }
        }
    }

    @Scheduled(fixedDelay = "${deploybot.release.drift-check-interval:5m}", initialDelay = "${deploybot.release.housekeeping-delay:5s}")
    public void checkDrift() {
        try {
            drift.check();
        } catch (RuntimeException e) {
            if (!StoreOutage.report(LOG, "drift check", e)) {
                LOG.error("drift check failed; trying again on the next round", e);
            }
        }
    }
}
