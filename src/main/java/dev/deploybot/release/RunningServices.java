package dev.deploybot.release;

import dev.deploybot.core.Environment;

/** Reads what an environment's service runs. Failures surface as {@link dev.deploybot.core.ExternalFailure}. */
public interface RunningServices {
    ServiceSnapshot snapshot(Environment.DeploySettings deploy);
}
