package dev.deploybot.testing;

import dev.deploybot.store.MigrationGate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The real application, started the way an operator starts it but pointed at the fakes: Slack through
 * {@code deploybot.slack.api-url}, AWS through the SDK's own endpoint setting ({@code aws.endpointUrl},
 * the system-property twin of {@code AWS_ENDPOINT_URL}). Restartable on the same database, to show what
 * survives a crash.
 */
public final class DeploybotApp implements AutoCloseable {
    public static final String SIGNING_SECRET = "test-signing-secret";

    static {
        // End-to-end effects cross threads, HTTP and a database; on a loaded two-core CI machine ten
        // seconds is too tight to tell "slow" from "never".
        org.awaitility.Awaitility.setDefaultTimeout(java.time.Duration.ofSeconds(30));
    }
    private final Map<String, Object> properties;
    private final boolean awaitStore;
    /** Where the database lives across restarts; removed once the app is closed for good. */
    private final ScratchDirectory data;
    private EmbeddedServer server;

    private DeploybotApp(Map<String, Object> properties, boolean awaitStore, ScratchDirectory data) {
        this.properties = properties;
        this.awaitStore = awaitStore;
        this.data = data;
    }

    /**
     * @param configuration the operator's keys, e.g. {@code deploybot.environments.stg.channel}
     */
    public static DeploybotApp start(FakeSlack slack, FakeAws aws, Map<String, Object> configuration) {
        return start(slack, aws, configuration, true);
    }

    /** Returns as soon as the server takes requests, while the database may still be opening and migrating. */
    public static DeploybotApp startWhileMigrating(FakeSlack slack, FakeAws aws, Map<String, Object> configuration) {
        return start(slack, aws, configuration, false);
    }

    private static DeploybotApp start(FakeSlack slack, FakeAws aws, Map<String, Object> configuration, boolean awaitStore) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("deploybot.slack.bot-token", FakeSlack.DEFAULT_TOKEN);
        properties.put("deploybot.slack.signing-secret", SIGNING_SECRET);
        properties.put("deploybot.slack.api-url", slack.apiUrl());
        ScratchDirectory data = ScratchDirectory.create("deploybot-test");
        properties.put("deploybot.store.directory", data.path().toString());
        properties.put("micronaut.server.port", -1);
        properties.putAll(configuration);
        pointAwsAt(aws);
        DeploybotApp app = new DeploybotApp(properties, awaitStore, data);
        try {
            app.boot();
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
        return app;
    }

    /** Uses a fresh database on the shared embedded PostgreSQL instead of H2. */
    public static Map<String, Object> postgres(String jdbcUrl) {
        return Map.of("datasources.default.url", jdbcUrl,
                "datasources.default.username", EmbeddedPostgresSupport.user(),
                "datasources.default.password", "");
    }

    public static void pointAwsAt(FakeAws aws) {
        System.setProperty("aws.endpointUrl", aws.endpoint().toString());
        System.setProperty("aws.region", FakeAws.REGION);
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret");
    }

    public URI url() {
        return server.getURI();
    }

    public SlackRequests slack() {
        return new SlackRequests(url(), SIGNING_SECRET);
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    /** Stops the process and starts it again on the same database. */
    public void restart() {
        restart(Map.of());
    }

    /** Restarts with some settings changed, as an operator redeploying with a new configuration would. */
    public void restart(Map<String, Object> changes) {
        stop();
        properties.putAll(changes);
        boot();
    }

    @Override
    public void close() {
        stop();
        data.close();
    }

    /** Stops the bot as SIGTERM does: its database stays for a {@link #restart}. */
    public void stop() {
        if (server != null) {
            server.getApplicationContext().close();
            server = null;
        }
    }

    /**
     * Starts the bot and, unless started {@link #startWhileMigrating while migrating}, waits for its database to be
     * migrated (which goes on after the server is up): the scripts that follow expect a bot that has finished starting.
     */
    private void boot() {
        server = ApplicationContext.run(EmbeddedServer.class, properties);
        if (awaitStore) {
            for (MigrationGate store : server.getApplicationContext().getBeansOfType(MigrationGate.class)) {
                store.migrated().toCompletableFuture().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            }
        }
    }
}
