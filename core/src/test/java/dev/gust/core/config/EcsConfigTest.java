package dev.gust.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ECS executor's settings: read from GUST_ECS__..., and a missing one is one line naming the key. */
class EcsConfigTest {

    @Test
    void settingsComeFromTheEnvironmentWithListsSplitOnCommas() {
        GustConfig.Ecs ecs = GustConfig.load(
                        null,
                        Map.of(
                                "GUST_ECS__CLUSTER", "gust-prod",
                                "GUST_ECS__TASK_DEFINITION", "gust-prod-worker",
                                "GUST_ECS__SUBNETS", "subnet-a, subnet-b",
                                "GUST_ECS__LAUNCH_RETRIES", "5"))
                .ecs()
                .requireComplete();

        assertThat(ecs.cluster()).isEqualTo("gust-prod");
        assertThat(ecs.subnets()).containsExactly("subnet-a", "subnet-b");
        assertThat(ecs.securityGroups()).isEmpty();
        assertThat(ecs.containerName()).isEqualTo("worker");
        assertThat(ecs.launchRetries()).isEqualTo(5);
        assertThat(ecs.maxTasksPerDescribe()).isEqualTo(100);
    }

    @Test
    void theLocalExecutorNeedsNoEcsSettings() {
        assertThat(GustConfig.load(null, Map.of())
                        .requireExecutorSettings()
                        .core()
                        .executor())
                .isEqualTo("local");
    }

    @Test
    void aMissingSettingNamesTheKeyAndItsVariable() {
        GustConfig config =
                GustConfig.load(null, Map.of("GUST_CORE__EXECUTOR", "ecs", "GUST_ECS__CLUSTER", "gust-prod"));

        assertThatThrownBy(config::requireExecutorSettings)
                .isInstanceOf(ConfigException.class)
                .hasMessage("core.executor is ecs but ecs.task_definition is not set; set it in gust.yaml or as "
                        + "GUST_ECS__TASK_DEFINITION");
    }
}
