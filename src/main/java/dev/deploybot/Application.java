package dev.deploybot;

import dev.deploybot.aws.AwsRegion;
import dev.deploybot.config.InvalidConfiguration;
import dev.deploybot.console.Console;
import dev.deploybot.slack.SlackIdentity;
import dev.deploybot.store.MigrationGate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Starts the bot. A configuration it cannot run with is reported on one screen, without the framework's
 * stack traces, and the process exits with {@link #CONFIGURATION_EXIT_CODE}.
 */
public final class Application {
    /** EX_CONFIG from sysexits.h: a supervisor can tell "fix the file" from a crash. */
    public static final int CONFIGURATION_EXIT_CODE = 78;
    /** What a failure to open the database ended the process with when it happened during start-up. */
    static final int STORE_EXIT_CODE = 1;

    private Application() {
    }

    /**
     * {@code console [user-id] [channel-id]} starts the bot with a terminal in place of Slack (see README,
     * "Try it in the console"); anything else starts the bot.
     */
    public static void main(String[] args) throws java.io.IOException {
        try {
            if (args.length > 0 && "console".equals(args[0])) {
                Console.run(System.in, System.out, args.length > 1 ? args[1] : "U0YOU", args.length > 2 ? args[2] : "C0CONSOLE",
                        Map.of(), Application::launch);
                System.exit(0);
            }
            stopWhenTheStoreFails(launch(args, Map.of()));
        } catch (StartupRefused refused) {
            System.err.println(refused.getMessage());
            System.exit(CONFIGURATION_EXIT_CODE);
        }
    }

    /**
     * Starts the bot as {@code main} does, with some properties set by the caller (the console, tests).
     *
     * @throws StartupRefused when the configuration cannot run; its message is the report for the operator
     */
    public static ApplicationContext launch(String[] args, Map<String, Object> properties) {
        AwsRegion.problem().ifPresent(problem -> {
            throw new StartupRefused("deploybot cannot start: " + problem);
        });
        ApplicationContext context = new Launcher().mainClass(Application.class).banner(false).args(args).properties(properties).start();
        try {
            // Asked once the server is up; a token Slack refused stops the bot here (Slack's requests wait for it).
            context.getBean(SlackIdentity.class).connection();
        } catch (RuntimeException e) {
            context.close();
            throw refusal(e).orElseThrow(() -> e);
        }
        return context;
    }

    /** The operator's report when {@code failure} comes from a configuration the bot cannot run with. */
    private static Optional<StartupRefused> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartupRefused refused) {
                return Optional.of(refused);
            }
            if (cause instanceof InvalidConfiguration invalid) {
                return Optional.of(new StartupRefused(invalid.report()));
            }
        }
        return Optional.empty();
    }

    /**
     * The database opens and migrates while the server starts (see {@link MigrationGate}); when it cannot, the bot
     * stops as it did when that happened during start-up, rather than run without its records.
     */
    private static void stopWhenTheStoreFails(ApplicationContext context) {
        for (MigrationGate store : context.getBeansOfType(MigrationGate.class)) {
            store.migrated().whenCompleteAsync((migrated, failure) -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause != null && !(cause instanceof CancellationException)) { // cancelled: stopping anyway
                    System.err.println("deploybot stopped: its database could not be opened or migrated: " + cause.getMessage());
                    System.exit(STORE_EXIT_CODE);
                }
            }, Application::onAThreadOfItsOwn);
        }
    }

    /**
     * {@code System.exit} returns only once the shutdown hooks have run. Called on the thread that fails the gate, it
     * kept that thread from waking the loops already waiting for the database: they slept until their own timeouts,
     * and the stop waited for them (about 40 s between the database's error and the exit).
     */
    private static void onAThreadOfItsOwn(Runnable exit) {
        new Thread(exit, "deploybot-store-failed").start();
    }

    /** Start-up stopped on purpose; the message says why in the operator's words. */
    public static final class StartupRefused extends RuntimeException {
        StartupRefused(String report) {
            super(report, null, false, false);
        }
    }

    private static final class Launcher extends Micronaut {
        @Override
        protected void handleStartupException(Environment environment, Throwable exception) {
            // A StartupRefused is already reported: a failure while starting the server comes back here a second time.
            refusal(exception).ifPresent(refused -> {
                throw refused;
            });
            super.handleStartupException(environment, exception);
        }
    }
}
