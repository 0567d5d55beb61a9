package dev.deploybot.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.util.List;

/** One entry under {@code deploybot.events.routes}, as the operator wrote it. Checked by {@link EventConfiguration}. */
@EachProperty("deploybot.events.routes")
public class EventRouteProperties {
    private final String name;
    private String codebuildProject;
    private String codedeployApplication;
    private String ecsService;
    private String channel;
    private List<String> states = List.of();

    public EventRouteProperties(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public String getCodebuildProject() {
        return codebuildProject;
    }

    public void setCodebuildProject(String codebuildProject) {
        this.codebuildProject = codebuildProject;
    }

    public String getCodedeployApplication() {
        return codedeployApplication;
    }

    public void setCodedeployApplication(String codedeployApplication) {
        this.codedeployApplication = codedeployApplication;
    }

    public String getEcsService() {
        return ecsService;
    }

    public void setEcsService(String ecsService) {
        this.ecsService = ecsService;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public List<String> getStates() {
        return states;
    }

    public void setStates(List<String> states) {
        this.states = states == null ? List.of() : states;
    }
}
