package dev.deploybot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.util.List;

/** One entry under {@code deploybot.environments}, as the operator wrote it. Checked by {@link EnvironmentCatalog}. */
@EachProperty("deploybot.environments")
public class EnvironmentProperties {
    private final String name;
    private String channel;
    private List<String> channels = List.of();
    private BuildProperties build;

    public EnvironmentProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public List<String> getChannels() {
        return channels;
    }

    public void setChannels(List<String> channels) {
        this.channels = channels == null ? List.of() : channels;
    }

    public BuildProperties getBuild() {
        return build;
    }

    public void setBuild(BuildProperties build) {
        this.build = build;
    }

    @ConfigurationProperties("build")
    public static class BuildProperties {
        private String project;
        private String defaultRef = "main";

        public String getProject() {
            return project;
        }

        public void setProject(String project) {
            this.project = project;
        }

        public String getDefaultRef() {
            return defaultRef;
        }

        public void setDefaultRef(String defaultRef) {
            this.defaultRef = defaultRef;
        }
    }
}
