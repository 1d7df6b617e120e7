package dev.gust.scheduler.callbacks;

import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.store.callbacks.CallbackRequest;
import dev.gust.core.store.callbacks.CallbackRequestRepository;
import dev.gust.core.store.runs.RunFilter;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.template.SecretMasker;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the callback requests of every scheduler, off the scheduling loop: its own thread claims
 * pending requests (and those whose claimant stopped heartbeating for {@code lease}) up to
 * {@code callbacks.parallelism}, heartbeats the ones it runs, and runs each on its own virtual
 * thread for at most {@code callbacks.timeout}. Output goes to the task try's log and the row;
 * a failure is recorded on the row and in the log and never touches the task's state.
 *
 * <p>Exactly once per event, up to one window: a request is inserted with the state change, and
 * marked done after its callback returned. A scheduler killed after the callback delivered and
 * before the row was marked done leaves the row running; once its lease runs out another
 * scheduler runs it again, so the far side sees that delivery twice. Every other kill (before the
 * claim, while the callback runs) gives exactly one delivery.
 */
public final class CallbackRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackRunner.class);
    private static final long POLL_MILLIS = 500;
    private static final int MAX_ATTEMPTS = 3;

    private final CallbackServices services;
    private final CallbackRequestRepository requests;
    private final Duration lease;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object wakeup = new Object();
    private final RunFilter only;
    private Thread poller;

    /** @param lease how long a claimed request may go without heartbeat before another scheduler takes it */
    public CallbackRunner(CallbackServices services, Duration lease) {
        this(services, lease, null);
    }

    /** A runner of the requests of one run only ({@code gust dags test}); {@code only} null for every run. */
    public CallbackRunner(CallbackServices services, Duration lease, RunFilter only) {
        this.services = services;
        this.requests = services.stores().callbackRequests();
        this.lease = lease;
        this.only = only;
    }

    /** Starts claiming and running requests on a thread of its own. */
    public void start() {
        poller = Thread.ofPlatform().name("callback-runner").daemon().start(this::poll);
    }

    private void poll() {
        String lastProblem = null;
        while (!stopping.get()) {
            try {
                runDue();
                lastProblem = null;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                    log.warn("claiming callback requests failed, retrying: {}", e.getMessage(), e);
                    lastProblem = String.valueOf(e.getMessage());
                }
            }
            synchronized (wakeup) {
                try {
                    wakeup.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Renews the lease of what runs here, then claims what this scheduler has room for and starts
     * running it; returns how many it claimed.
     */
    public int runDue() {
        requests.heartbeat(services.claimant(), List.copyOf(running));
        int room = services.parallelism() - running.size();
        if (room <= 0 || stopping.get()) {
            return 0;
        }
        List<CallbackRequest> claimed = only == null
                ? requests.claim(services.claimant(), room, lease, MAX_ATTEMPTS)
                : requests.claim(services.claimant(), room, lease, MAX_ATTEMPTS, only.dagId(), only.runId());
        for (CallbackRequest request : claimed) {
            running.add(request.id());
            Thread.ofVirtual().name("callback-" + request.id()).start(() -> {
                try {
                    runOne(request);
                } finally {
                    running.remove(request.id());
                    synchronized (wakeup) {
                        wakeup.notifyAll();
                    }
                }
            });
        }
        return claimed.size();
    }

    /**
     * Runs what can be claimed until nothing is left to claim and nothing runs here (requests
     * another scheduler holds are left to it), heartbeating as it waits.
     */
    public void drain() throws InterruptedException {
        while (runDue() > 0 || !running.isEmpty()) {
            Thread.sleep(50);
        }
    }

    /** How many requests this runner is running now. */
    public int runningCount() {
        return running.size();
    }

    private void runOne(CallbackRequest request) {
        SecretMasker masker = SecretMasker.of(services.gustSecrets());
        TaskInstanceKey key = request.forDag()
                ? null
                : new TaskInstanceKey(request.dagId(), request.runId(), request.taskId(), request.mapIndex());
        CallbackLog out = new CallbackLog(
                services.stores().taskLogs(),
                key,
                request.tryNumber(),
                masker,
                services.clock(),
                "[" + request.event().key() + "] ");
        out.line("Running " + describe(request.spec())
                + (request.attempts() > 1 ? " (claimed again: the scheduler that ran it before stopped)" : ""));
        String error = null;
        try {
            String summary = runWithTimeout(request, out, masker);
            out.line("Callback succeeded: " + summary);
        } catch (CallbackFailure e) {
            error = e.getMessage();
            out.line("Callback failed: " + error + " (the task's state is unchanged)");
        }
        if (request.forDag()) {
            log.info(
                    "DAG {} run {} {}: {}",
                    request.dagId(),
                    request.runId(),
                    request.event().key(),
                    error == null ? "succeeded" : "failed: " + error);
        }
        try {
            if (!requests.finish(request.id(), services.claimant(), error == null, out.output(), error)) {
                log.warn("callback request {} was taken over by another scheduler before it ended here", request.id());
            }
        } catch (RuntimeException e) {
            // the lease runs out and another scheduler runs it again: the window the class comment names
            log.warn("cannot record the end of callback request {}: {}", request.id(), e.getMessage(), e);
        }
    }

    private String runWithTimeout(CallbackRequest request, CallbackLog out, SecretMasker masker)
            throws CallbackFailure {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("callback-run-" + request.id()).start(() -> {
            try {
                result.complete(run(request, out, masker));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        Duration timeout = services.timeout();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(10));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new CallbackFailure("timed out after " + timeout.toSeconds() + "s and was stopped"
                    + " (callbacks.timeout); make it faster or raise the timeout");
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new CallbackFailure("stopped: the scheduler is shutting down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CallbackFailure failure) {
                throw failure;
            }
            throw new CallbackFailure(
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
    }

    private String run(CallbackRequest request, CallbackLog out, SecretMasker masker)
            throws CallbackFailure, InterruptedException {
        CallbackInvocation invocation = CallbackInvocation.of(request, services, masker);
        return switch (request.spec()) {
            case CallbackSpec.Python python -> PythonCallback.run(python, invocation, services, out);
            case CallbackSpec.Bash bash -> BashCallback.run(bash, invocation, out, services.baseEnvironment());
            case CallbackSpec.Http http -> HttpCallback.run(http, invocation, out, services.timeout());
            case CallbackSpec.Notify notify -> NotifierCallback.run(notify, invocation, services.notifiers());
        };
    }

    private static String describe(CallbackSpec spec) {
        return switch (spec) {
            case CallbackSpec.Python p ->
                "Python callback " + (p.callable() != null ? p.callable() : p.name() + " in " + p.file());
            case CallbackSpec.Bash b -> "bash_command callback";
            case CallbackSpec.Http h -> "http callback (" + h.method() + ")";
            case CallbackSpec.Notify n -> n.kind() + " notifier callback";
        };
    }

    /** Stops claiming; callbacks still running end on their own (their rows are taken over if this process dies). */
    @Override
    public void close() {
        stopping.set(true);
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (poller != null) {
            try {
                poller.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
