package dev.gust.scheduler.engine;

import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.scheduler.aws.MotoEcs;
import dev.gust.scheduler.executor.WorkerTaskRun;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Plays ECS running the worker container, for the engine's ECS tests: moto runs no containers,
 * so while {@code enabled} says so, every RUNNING moto task of one DAG has the try its command
 * override names run through the same code as {@code gust tasks run} ({@link WorkerTaskRun}),
 * one at a time, and is then stopped with the reason ECS gives an exited container.
 */
final class FakeEcsAgent implements AutoCloseable {

    private final MotoEcs moto;
    private final EngineHarness harness;
    private final String dagId;
    private final BooleanSupplier enabled;
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    private FakeEcsAgent(MotoEcs moto, EngineHarness harness, String dagId, BooleanSupplier enabled) {
        this.moto = moto;
        this.harness = harness;
        this.dagId = dagId;
        this.enabled = enabled;
        this.thread = Thread.ofVirtual().name("fake-ecs-agent").start(this::loop);
    }

    static FakeEcsAgent start(MotoEcs moto, EngineHarness harness, String dagId, BooleanSupplier enabled) {
        return new FakeEcsAgent(moto, harness, dagId, enabled);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (enabled.getAsBoolean()) {
                    runFreshTasks();
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // the test is over: an SDK call was aborted by the interrupt
                }
                e.printStackTrace();
            }
        }
    }

    private void runFreshTasks() {
        List<String> fresh = moto
                .ecs()
                .listTasks(b -> b.cluster(MotoEcs.CLUSTER).desiredStatus(DesiredStatus.RUNNING))
                .taskArns()
                .stream()
                .filter(arn -> !handled.contains(arn))
                .toList();
        if (fresh.isEmpty()) {
            return;
        }
        for (Task task : moto.ecs()
                .describeTasks(b -> b.cluster(MotoEcs.CLUSTER).tasks(fresh))
                .tasks()) {
            List<String> command =
                    task.overrides().containerOverrides().getFirst().command();
            if (!command.get(2).equals(dagId) || !handled.add(task.taskArn())) {
                continue;
            }
            // a mapped instance's command ends with --map-index N
            int mapIndex =
                    command.size() > 8 && command.get(7).equals("--map-index") ? Integer.parseInt(command.get(8)) : -1;
            var result = new WorkerTaskRun(harness.config(), harness.db().database())
                    .run(
                            new TaskInstanceKey(command.get(2), command.get(4), command.get(3), mapIndex),
                            Integer.parseInt(command.get(6)));
            moto.ecs()
                    .stopTask(b -> b.cluster(MotoEcs.CLUSTER)
                            .task(task.taskArn())
                            .reason("Essential container in task exited (" + result.describe() + ")"));
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(10));
    }
}
