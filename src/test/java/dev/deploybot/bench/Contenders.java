package dev.deploybot.bench;

import dev.deploybot.testing.BotEnvironment;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.ScratchDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two programs compared, each started in its own JVM the way it is run for real, against the same fake
 * Slack (and, for the bot, the fake AWS): the bot's packaged jar, with H2 in a data directory that stays between
 * runs as on every restart; and the bare Bolt-on-Micronaut app the {@code bench} profile compiles from
 * {@code src/bench} into a directory of its own, packs into a jar (so that it, too, can write and use a class-data
 * archive) and runs with only the dependencies beside it.
 */
final class Contenders implements AutoCloseable {
    private final FakeSlack slack;
    private final FakeAws aws;
    private final Path jar;
    private final String bareClasspath;
    private final Path work;
    private final Path config;

    private Contenders(FakeSlack slack, FakeAws aws, Path jar, String bareClasspath, Path work, Path config) {
        this.slack = slack;
        this.aws = aws;
        this.jar = jar;
        this.bareClasspath = bareClasspath;
        this.work = work;
        this.config = config;
    }

    /**
     * @param bareJar       the bare app's own classes, in a jar
     * @param dependencies  a file holding the dependency class path (written by the profile)
     */
    static Contenders start(Path jar, Path bareJar, Path dependencies) throws IOException {
        Path work = Files.createTempDirectory("deploybot-bench");
        Path config = work.resolve("deploybot.yml");
        Files.writeString(config, "deploybot:\n  environments:\n    stg:\n      channel: C0STG\n      build:\n        project: app-stg\n");
        String bareClasspath = bareJar + java.io.File.pathSeparator + Files.readString(dependencies).strip();
        return new Contenders(FakeSlack.start(), FakeAws.start(), jar, bareClasspath, work, config);
    }

    /** The bot as the README's run command starts it. */
    Served bot(String... jvmOptions) throws Exception {
        Map<String, String> environment = BotEnvironment.of(slack, aws, work.resolve("data"), config);
        return Served.start(command(jvmOptions, "-jar", jar.toString()), environment);
    }

    /** The bare app: Bolt's defaults, one command that acks. */
    Served bare(String... jvmOptions) throws Exception {
        return Served.start(command(jvmOptions, "-cp", bareClasspath, "dev.deploybot.bare.BareApp"), Map.of(
                "SLACK_BOT_TOKEN", FakeSlack.DEFAULT_TOKEN,
                "SLACK_SIGNING_SECRET", DeploybotApp.SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl()));
    }

    /** Where a class-data archive of one of them is written. */
    Path archive(String name) {
        return work.resolve(name + ".jsa");
    }

    private static List<String> command(String[] jvmOptions, String... program) {
        // The same heap for both, as in issue 13's comparison.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(program));
        return command;
    }

    @Override
    public void close() {
        slack.close();
        aws.close();
        new ScratchDirectory(work).close();
    }
}
