package dev.deploybot;

import dev.deploybot.aws.AwsRegion;
import dev.deploybot.config.InvalidConfiguration;
import dev.deploybot.console.Console;
import dev.deploybot.store.MigrationGate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

import java.util.Map;
import java.util.Optional;
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
        return new Launcher().mainClass(Application.class).banner(false).args(args).properties(properties).start();
    }

    /**
     * The database opens and migrates while the server starts (see {@link MigrationGate}); when it cannot, the bot
     * stops as it did when that happened during start-up, rather than run without its records.
     */
    private static void stopWhenTheStoreFails(ApplicationContext context) {
        for (MigrationGate store : context.getBeansOfType(MigrationGate.class)) {
            store.migrated().whenComplete((migrated, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    System.err.println("deploybot stopped: its database could not be opened or migrated: " + cause.getMessage());
                    System.exit(STORE_EXIT_CODE);
                }
            });
        }
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
            if (exception instanceof StartupRefused refused) {
                throw refused; // already reported: a failure while starting the server comes back here a second time
            }
            Optional<InvalidConfiguration> invalid = Optional.empty();
            for (Throwable cause = exception; cause != null && invalid.isEmpty(); cause = cause.getCause()) {
                if (cause instanceof InvalidConfiguration configuration) {
                    invalid = Optional.of(configuration);
                }
            }
            if (invalid.isPresent()) {
                throw new StartupRefused(invalid.get().report());
            }
            super.handleStartupException(environment, exception);
        }
    }
}
