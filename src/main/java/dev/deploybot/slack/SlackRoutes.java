package dev.deploybot.slack;

import com.slack.api.bolt.App;

/** A family of Slack interactions (a slash command, a set of buttons) that registers its handlers with Bolt. */
interface SlackRoutes {
    void register(App app);
}
