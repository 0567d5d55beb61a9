package dev.deploybot.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Start-up of the bot's packaged jar beside the bare app's, each plainly and with its own class-data archive
 * (AppCDS, as the README's run command creates it): Micronaut's "Startup completed in", and process start to the
 * first answered signed {@code /deploy help}; for the bot also to the first answered command that needs its
 * database, asked right after (an unknown environment, which is audited): the database opens once the server is up.
 * Runs alternate between the four, so a busy moment of the machine falls on all of them; the median of each is shown.
 */
final class StartupBenchmark {
    private static final int RUNS = 3;

    private StartupBenchmark() {
    }

    static List<Row> measure(Contenders contenders) throws Exception {
        String botArchive = contenders.archive("deploybot").toString();
        String bareArchive = contenders.archive("bare").toString();
        // The first start creates the database and the archives, as the README's first run does.
        Figures first = new Figures();
        try (Served bot = contenders.bot("-XX:ArchiveClassesAtExit=" + botArchive)) {
            first.add(bot);
        }
        Served archiving = contenders.bare("-XX:ArchiveClassesAtExit=" + bareArchive);
        archiving.close(); // only its archive is wanted: written as it stops
        Figures botPlain = new Figures();
        Figures botShared = new Figures();
        Figures barePlain = new Figures();
        Figures bareShared = new Figures();
        for (int run = 0; run < RUNS; run++) {
            try (Served bot = contenders.bot()) {
                botPlain.add(bot);
                botPlain.addStoreAnswer(bot);
            }
            try (Served bare = contenders.bare()) {
                barePlain.add(bare);
            }
            try (Served bot = contenders.bot("-XX:SharedArchiveFile=" + botArchive)) {
                botShared.add(bot);
                botShared.addStoreAnswer(bot);
            }
            try (Served bare = contenders.bare("-XX:SharedArchiveFile=" + bareArchive)) {
                bareShared.add(bare);
            }
        }
        return List.of(
                new Row("start-up, first run (creates the database and the class-data archive)",
                        first.completed.get(0) + " ms \"Startup completed\", " + first.firstAnswer.get(0) + " ms to first answer", ""),
                Row.compared("\"Startup completed in\", plain, median of " + RUNS, botPlain.completed(), barePlain.completed(),
                        "ms", "<= 1,500 ms"),
                Row.compared("\"Startup completed in\", with AppCDS, median of " + RUNS, botShared.completed(),
                        bareShared.completed(), "ms", "<= 1,500 ms"),
                Row.compared("process start -> first signed `/deploy help` answered, plain, median of " + RUNS,
                        botPlain.firstAnswer(), barePlain.firstAnswer(), "ms", "<= 1.2x"),
                Row.compared("process start -> first signed `/deploy help` answered, with AppCDS, median of " + RUNS,
                        botShared.firstAnswer(), bareShared.firstAnswer(), "ms", "<= 1.2x"),
                new Row("process start -> first signed command that needs the database answered, plain / with AppCDS, median of "
                        + RUNS, String.format("%.0f / %.0f ms", botPlain.storeAnswer(), botShared.storeAnswer()), ""));
    }

    private static final class Figures {
        private final List<Long> completed = new ArrayList<>();
        private final List<Long> firstAnswer = new ArrayList<>();
        private final List<Long> storeAnswer = new ArrayList<>();

        void add(Served served) {
            completed.add(served.completedMillis());
            firstAnswer.add(served.firstAnswerMillis());
        }

        /** Right after the first answer: a command the bot refuses for an unknown environment, writing the audit log. */
        void addStoreAnswer(Served bot) {
            storeAnswer.add(bot.answeredAfter("nosuchenv"));
        }

        double storeAnswer() {
            return Percentiles.median(storeAnswer);
        }

        double completed() {
            return Percentiles.median(completed);
        }

        double firstAnswer() {
            return Percentiles.median(firstAnswer);
        }
    }
}
