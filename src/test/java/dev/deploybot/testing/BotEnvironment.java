package dev.deploybot.testing;

import java.nio.file.Path;
import java.util.Map;

/** The environment an operator gives the bot's own process (README, "Two commands"), pointed at the wire fakes. */
public final class BotEnvironment {
    private BotEnvironment() {
    }

    public static Map<String, String> of(FakeSlack slack, FakeAws aws, Path dataDirectory, Path configurationFile) {
        return Map.of(
                "SLACK_BOT_TOKEN", FakeSlack.DEFAULT_TOKEN,
                "SLACK_SIGNING_SECRET", DeploybotApp.SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl(),
                "AWS_REGION", FakeAws.REGION,
                "AWS_ENDPOINT_URL", aws.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "AKIDTEST",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "DEPLOYBOT_DATA_DIR", dataDirectory.toString(),
                "MICRONAUT_CONFIG_FILES", configurationFile.toString());
    }
}
