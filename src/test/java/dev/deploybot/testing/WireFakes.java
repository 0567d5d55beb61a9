package dev.deploybot.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Slack's and AWS's wire fakes, started before each test and stopped after it (after the test's own
 * {@code @AfterEach}, which stops the bot first). Register it on a field:
 * {@code @RegisterExtension final WireFakes fakes = new WireFakes();}
 */
public final class WireFakes implements BeforeEachCallback, AfterEachCallback {
    private FakeSlack slack;
    private FakeAws aws;

    public FakeSlack slack() {
        return slack;
    }

    public FakeAws aws() {
        return aws;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        slack = FakeSlack.start();
        aws = FakeAws.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        aws.close();
        slack.close();
    }
}
