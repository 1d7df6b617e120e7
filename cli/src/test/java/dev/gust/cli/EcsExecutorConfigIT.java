package dev.gust.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scheduler told to use the ECS executor without its settings stops at once with one line naming the key. */
class EcsExecutorConfigIT {

    @TempDir
    Path home;

    @Test
    void aMissingEcsSettingIsOneLineNamingTheKey() throws Exception {
        Map<String, String> env = GustProcess.isolatedEnvironment(home);
        env.put("GUST_CORE__EXECUTOR", "ecs");
        env.put("GUST_ECS__CLUSTER", "gust-prod");
        env.put("GUST_ECS__TASK_DEFINITION", "gust-prod-worker");

        GustProcess.Result result = GustProcess.run(env, "scheduler");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
        assertThat(result.stderr().strip())
                .as(result.all())
                .isEqualTo(
                        "error: core.executor is ecs but ecs.subnets is not set; set it in gust.yaml or as GUST_ECS__SUBNETS");
    }
}
