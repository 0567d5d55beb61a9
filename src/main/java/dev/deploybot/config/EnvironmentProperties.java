package dev.deploybot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One entry under {@code deploybot.environments}, as the operator wrote it. Checked by {@link EnvironmentCatalog}. */
@EachProperty("deploybot.environments")
public class EnvironmentProperties {
    private final String name;
    private String channel;
    private List<String> channels = List.of();
    private BuildProperties build;
    private ReleaseProperties release;
    private DeployProperties deploy;
    private RollbackProperties rollback;

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

    public ReleaseProperties getRelease() {
        return release;
    }

    public void setRelease(ReleaseProperties release) {
        this.release = release;
    }

    public DeployProperties getDeploy() {
        return deploy;
    }

    public void setDeploy(DeployProperties deploy) {
        this.deploy = deploy;
    }

    public RollbackProperties getRollback() {
        return rollback;
    }

    public void setRollback(RollbackProperties rollback) {
        this.rollback = rollback;
    }

    @ConfigurationProperties("rollback")
    public static class RollbackProperties {
        private boolean requiresApproval = true;
        private boolean approverMaySelfApprove;

        public boolean isRequiresApproval() {
            return requiresApproval;
        }

        public void setRequiresApproval(boolean requiresApproval) {
            this.requiresApproval = requiresApproval;
        }

        public boolean isApproverMaySelfApprove() {
            return approverMaySelfApprove;
        }

        public void setApproverMaySelfApprove(boolean approverMaySelfApprove) {
            this.approverMaySelfApprove = approverMaySelfApprove;
        }
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

    @ConfigurationProperties("release")
    public static class ReleaseProperties {
        private String repository;
        private String sourceTag = "latest";
        private List<String> tags = List.of("release", "release-1gen", "release-2gen");
        private List<String> approvers = List.of();
        private int requiredApprovals = 1;
        private boolean allowSelfApproval;
        private Duration expiresAfter = Duration.ofMinutes(30);
        private String compareUrl;
        private String commitTagPattern = "^(git-)?[0-9a-f]{7,40}$";
        private String onFailure = "restore-tags";
        private BakeProperties bake;
        private String requires;
        private Duration requiresFor = Duration.ZERO;
        private List<Map<String, Object>> images = List.of();

        /** Each entry: {@code repository}, {@code container}, optionally {@code default: true}. */
        public List<Map<String, Object>> getImages() {
            return images;
        }

        public void setImages(List<Map<String, Object>> images) {
            this.images = images == null ? List.of() : images;
        }

        public BakeProperties getBake() {
            return bake;
        }

        public void setBake(BakeProperties bake) {
            this.bake = bake;
        }

        public String getRequires() {
            return requires;
        }

        public void setRequires(String requires) {
            this.requires = requires;
        }

        public Duration getRequiresFor() {
            return requiresFor;
        }

        public void setRequiresFor(Duration requiresFor) {
            this.requiresFor = requiresFor;
        }

        @ConfigurationProperties("bake")
        public static class BakeProperties {
            private Duration duration;
            private List<String> alarms = List.of();
            private Duration checkInterval = Duration.ofMinutes(1);

            public Duration getDuration() {
                return duration;
            }

            public void setDuration(Duration duration) {
                this.duration = duration;
            }

            public List<String> getAlarms() {
                return alarms;
            }

            public void setAlarms(List<String> alarms) {
                this.alarms = alarms == null ? List.of() : alarms;
            }

            public Duration getCheckInterval() {
                return checkInterval;
            }

            public void setCheckInterval(Duration checkInterval) {
                this.checkInterval = checkInterval;
            }
        }

        public String getRepository() {
            return repository;
        }

        public void setRepository(String repository) {
            this.repository = repository;
        }

        public String getSourceTag() {
            return sourceTag;
        }

        public void setSourceTag(String sourceTag) {
            this.sourceTag = sourceTag;
        }

        public List<String> getTags() {
            return tags;
        }

        public void setTags(List<String> tags) {
            this.tags = tags == null ? List.of() : tags;
        }

        public List<String> getApprovers() {
            return approvers;
        }

        public void setApprovers(List<String> approvers) {
            this.approvers = approvers == null ? List.of() : approvers;
        }

        public int getRequiredApprovals() {
            return requiredApprovals;
        }

        public void setRequiredApprovals(int requiredApprovals) {
            this.requiredApprovals = requiredApprovals;
        }

        public boolean isAllowSelfApproval() {
            return allowSelfApproval;
        }

        public void setAllowSelfApproval(boolean allowSelfApproval) {
            this.allowSelfApproval = allowSelfApproval;
        }

        public Duration getExpiresAfter() {
            return expiresAfter;
        }

        public void setExpiresAfter(Duration expiresAfter) {
            this.expiresAfter = expiresAfter;
        }

        public String getCompareUrl() {
            return compareUrl;
        }

        public void setCompareUrl(String compareUrl) {
            this.compareUrl = compareUrl;
        }

        public String getOnFailure() {
            return onFailure;
        }

        public void setOnFailure(String onFailure) {
            this.onFailure = onFailure;
        }

        public String getCommitTagPattern() {
            return commitTagPattern;
        }

        public void setCommitTagPattern(String commitTagPattern) {
            this.commitTagPattern = commitTagPattern;
        }
    }

    @ConfigurationProperties("deploy")
    public static class DeployProperties {
        private String strategy = "ecs";
        private String cluster;
        private String service;
        private String container;
        private int containerPort;
        private String application;
        private String deploymentGroup;
        private String project;
        private Duration timeout = Duration.ofMinutes(30);
        private String deploymentConfig;
        private MigrationProperties migration;

        public MigrationProperties getMigration() {
            return migration;
        }

        public void setMigration(MigrationProperties migration) {
            this.migration = migration;
        }

        @ConfigurationProperties("migration")
        public static class MigrationProperties {
            private String taskDefinition;
            private String container;
            private List<String> command = List.of();
            private Duration timeout = Duration.ofMinutes(15);

            public String getTaskDefinition() {
                return taskDefinition;
            }

            public void setTaskDefinition(String taskDefinition) {
                this.taskDefinition = taskDefinition;
            }

            public String getContainer() {
                return container;
            }

            public void setContainer(String container) {
                this.container = container;
            }

            public List<String> getCommand() {
                return command;
            }

            public void setCommand(List<String> command) {
                this.command = command == null ? List.of() : command;
            }

            public Duration getTimeout() {
                return timeout;
            }

            public void setTimeout(Duration timeout) {
                this.timeout = timeout;
            }
        }

        public String getDeploymentConfig() {
            return deploymentConfig;
        }

        public void setDeploymentConfig(String deploymentConfig) {
            this.deploymentConfig = deploymentConfig;
        }

        public String getStrategy() {
            return strategy;
        }

        public void setStrategy(String strategy) {
            this.strategy = strategy;
        }

        public String getCluster() {
            return cluster;
        }

        public void setCluster(String cluster) {
            this.cluster = cluster;
        }

        public String getService() {
            return service;
        }

        public void setService(String service) {
            this.service = service;
        }

        public String getContainer() {
            return container;
        }

        public void setContainer(String container) {
            this.container = container;
        }

        public int getContainerPort() {
            return containerPort;
        }

        public void setContainerPort(int containerPort) {
            this.containerPort = containerPort;
        }

        public String getApplication() {
            return application;
        }

        public void setApplication(String application) {
            this.application = application;
        }

        public String getDeploymentGroup() {
            return deploymentGroup;
        }

        public void setDeploymentGroup(String deploymentGroup) {
            this.deploymentGroup = deploymentGroup;
        }

        public String getProject() {
            return project;
        }

        public void setProject(String project) {
            this.project = project;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
