package dev.gust.deploy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * What {@code gust deploy run} makes of a stopped task, and which commands it refuses. The exit
 * codes are tested here on described tasks as ECS returns them, because moto gives every
 * container exit code 0 (it runs none); MotoOperationsTest covers the run itself.
 */
class CommandRunTest {

    private static Task stopped(String reason, Container... containers) {
        return Task.builder()
                .lastStatus("STOPPED")
                .stoppedReason(reason)
                .containers(containers)
                .build();
    }

    @Test
    void theExitCodeIsTheWorkerContainersOwn() {
        Task failed = stopped(
                "Essential container in task exited",
                Container.builder().name("sidecar").exitCode(0).build(),
                Container.builder().name("worker").exitCode(3).build());
        assertThat(CommandRun.exitCode(failed, "worker")).isEqualTo(3);
        assertThat(CommandRun.exitCode(
                        stopped(
                                "Essential container in task exited",
                                Container.builder().name("worker").exitCode(0).build()),
                        "worker"))
                .isZero();
    }

    @Test
    void aTaskThatStoppedBeforeItsCommandRanIsAnErrorWithEcssReason() {
        Task unpulled = stopped(
                "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
                Container.builder()
                        .name("worker")
                        .reason("CannotPullContainerError: ref not found")
                        .build());
        assertThatThrownBy(() -> CommandRun.exitCode(unpulled, "worker"))
                .isInstanceOf(DeployException.class)
                .hasMessage("the task stopped before the command ran: CannotPullContainerError: pull image manifest"
                        + " has been retried 5 time(s) (CannotPullContainerError: ref not found)");
    }

    @Test
    void servicesAndNothingAreRefusedAndEveryOtherCommandGoes() {
        for (String service : List.of("standalone", "webserver", "scheduler")) {
            assertThatThrownBy(() -> CommandRun.refuseServices(List.of(service, "--port", "8080")))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("'" + service + "' runs as a service of the deployment");
        }
        assertThatThrownBy(() -> CommandRun.refuseServices(List.of()))
                .hasMessageContaining("give the gust command to run after --");
        CommandRun.refuseServices(List.of("dags", "backfill", "scheduler")); // a DAG may be called scheduler
        CommandRun.refuseServices(List.of("db", "clean", "--clean-before-timestamp", "2024-01-01"));
        CommandRun.refuseServices(List.of("users", "create", "--username", "ops"));
    }
}
