package dev.deploybot.pipeline;

import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.release.DriftReports;
import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.Manifest;
import dev.deploybot.release.ReleaseAnnouncer;
import dev.deploybot.release.ReleaseJournal;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Compares what each service runs with what its release tag names. A mismatch (someone deployed by
 * hand, a rollback outside the bot, a release whose tags were kept after it failed) is reported once.
 * Environments with a release or rollback in progress are skipped: there the two differ on purpose.
 */
@Singleton
public class DriftCheck {
    private static final Logger LOG = LoggerFactory.getLogger(DriftCheck.class);
    private final Environments environments;
    private final ReleaseJournal journal;
    private final ImageRegistry registry;
    private final ServiceDeployers deployers;
    private final DriftReports reports;
    private final ReleaseAnnouncer announcer;
    private final Clock clock;

    public DriftCheck(Environments environments, ReleaseJournal journal, ImageRegistry registry, ServiceDeployers deployers,
                      DriftReports reports, ReleaseAnnouncer announcer, Clock clock) {
        this.environments = environments;
        this.journal = journal;
        this.registry = registry;
        this.deployers = deployers;
        this.reports = reports;
        this.announcer = announcer;
        this.clock = clock;
    }

    public void check() {
        for (Environment environment : environments.all()) {
            if (environment.release().isEmpty() || environment.deploy().isEmpty()
                    || journal.runningFor(environment.name()).isPresent()) {
                continue;
            }
            try {
                check(environment, environment.release().get(), environment.deploy().get());
            } catch (ExternalFailure failure) {
                LOG.info("drift check of {} skipped: {}", environment.name(), failure.getMessage());
            }
        }
    }

    private void check(Environment environment, Environment.ReleaseSettings release, Environment.DeploySettings deploy) {
        Optional<String> running = deployers.forStrategy(deploy.strategy()).runningDigest(deploy);
        if (running.isEmpty()) {
            return;
        }
        Manifest tagged = registry.manifests(release.repository(), List.of(release.releaseTag())).get(release.releaseTag());
        if (tagged == null || tagged.digest().equals(running.get())) {
            return;
        }
        if (reports.firstReport(environment.name(), tagged.digest(), running.get(), clock.instant())) {
            announcer.drift(environment.name(), release.releaseTag(), tagged.digest(), running.get());
        }
    }
}
