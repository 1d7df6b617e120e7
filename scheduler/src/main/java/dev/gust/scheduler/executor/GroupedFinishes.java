package dev.gust.scheduler.executor;

import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskInstanceTry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Group commit of tries' ends: the runners whose tries end while a statement is under way wait
 * together, and the next statement ends all of them at once ({@link
 * TaskInstanceRepository#finishTries}), each with its log's unwritten tail. One try alone is
 * written at once; under load a batch holds as many tries as ended during the previous
 * statement, so the cost per try falls as the load rises. Each try is still moved by its own
 * conditional update (running, this try number): grouping changes the round trips, not who wins.
 * When nobody is writing, a runner writes its own end at once, with no hand-over; a writer thread
 * exists only while ends wait behind a statement under way.
 */
final class GroupedFinishes {

    private final TaskInstanceRepository taskInstances;
    private final List<Pending> waiting = new ArrayList<>();
    private boolean writing;

    /** One runner's request: end {@code attempt} in {@code to} with the rest of {@code log}. */
    private record Pending(
            TaskInstanceTry attempt, TaskState to, DatabaseTaskLog log, CompletableFuture<Boolean> won) {}

    GroupedFinishes(TaskInstanceRepository taskInstances) {
        this.taskInstances = taskInstances;
    }

    /**
     * Ends {@code attempt}, running, in {@code to} (a state without a time for a next try) and
     * writes what {@code log} holds unwritten with it; returns whether this try won, false when
     * another process had moved the task instance first. Throws what the database threw (then
     * the log keeps its lines and the caller may try again).
     */
    boolean finish(TaskInstanceTry attempt, TaskState to, DatabaseTaskLog log) {
        Pending mine = new Pending(attempt, to, log, new CompletableFuture<>());
        boolean writeMyself;
        synchronized (this) {
            waiting.add(mine);
            writeMyself = !writing;
            writing = true;
        }
        if (writeMyself) {
            // Nobody is writing: this runner writes what waits (its own end) without a hand-over,
            // as fast as an ungrouped end; the ends that arrive meanwhile go to a writer thread.
            writeWaiting();
            synchronized (this) {
                if (waiting.isEmpty()) {
                    writing = false;
                } else {
                    Thread.ofVirtual().name("finish-tries").start(this::writeUntilIdle);
                }
            }
        }
        try {
            return mine.won().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void writeUntilIdle() {
        while (true) {
            synchronized (this) {
                if (waiting.isEmpty()) {
                    writing = false;
                    return;
                }
            }
            writeWaiting();
        }
    }

    /** Writes every end waiting now: one statement per target state. */
    private void writeWaiting() {
        List<Pending> batch;
        synchronized (this) {
            batch = List.copyOf(waiting);
            waiting.clear();
        }
        Map<TaskState, List<Pending>> byState = new EnumMap<>(TaskState.class);
        batch.forEach(
                p -> byState.computeIfAbsent(p.to(), s -> new ArrayList<>()).add(p));
        byState.forEach(this::write);
    }

    private void write(TaskState to, List<Pending> batch) {
        List<TaskInstanceRepository.TryEnd> ends = new ArrayList<>();
        for (Pending p : batch) {
            ends.add(new TaskInstanceRepository.TryEnd(p.attempt(), p.log().handOff()));
        }
        Set<TaskInstanceTry> won;
        try {
            won = new HashSet<>(taskInstances.finishTries(to, ends));
        } catch (RuntimeException | Error e) {
            for (Pending p : batch) {
                p.log().handedBack(false);
                p.won().completeExceptionally(e);
            }
            return;
        }
        for (Pending p : batch) {
            p.log().handedBack(true);
            p.won().complete(won.contains(p.attempt()));
        }
    }
}
