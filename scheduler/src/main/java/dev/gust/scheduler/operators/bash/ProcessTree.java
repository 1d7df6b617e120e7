package dev.gust.scheduler.operators.bash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A subprocess and everything it started, killed together. The root is started under
 * {@code setsid} (or in a new session by a helper: the bash spawn helper, Python's fork server),
 * so it leads its own process group: signalling the group also reaches
 * grandchildren that were orphaned (their parent died and they were re-parented to init), which
 * {@link ProcessHandle#descendants()} no longer lists. Descendants that left the group (their
 * own {@code setsid}) are caught by the descendants snapshot taken before any signal. Shared by
 * the operators that run subprocesses (bash, python).
 */
public final class ProcessTree {

    /** Whether {@code setsid} exists here, so that a command can be started as its own process group. */
    public static final boolean SETSID_AVAILABLE =
            Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    private static final Duration TERM_GRACE = Duration.ofSeconds(3);

    private final ProcessHandle root;
    private final long rootPid;
    private final boolean ownGroup;
    private boolean interruptedWhileKilling;

    public ProcessTree(Process root, boolean ownGroup) {
        this(root.toHandle(), ownGroup);
    }

    /**
     * A tree whose root this JVM did not start itself (a child forked by Python's fork server);
     * {@code ownGroup} says whether the root leads its own process group.
     */
    public ProcessTree(ProcessHandle root, boolean ownGroup) {
        this(root, root.pid(), ownGroup);
    }

    private ProcessTree(ProcessHandle root, long rootPid, boolean ownGroup) {
        this.root = root;
        this.rootPid = rootPid;
        this.ownGroup = ownGroup;
    }

    /**
     * The tree of a process started by another (the bash spawn helper) as the leader of its own
     * process group; when it has exited already, the group's signals still reach what it left.
     */
    public static ProcessTree ofGroupLeader(long pid) {
        return new ProcessTree(ProcessHandle.of(pid).orElse(null), pid, true);
    }

    /**
     * SIGTERM to the group and to every descendant (children before parents, so a shell does not
     * see its child die and start the next command), then SIGKILL to whatever is left after a
     * short grace. Returns once every process it knew of has exited or after the SIGKILL.
     */
    public void kill() {
        Set<ProcessHandle> known = snapshot();
        signalGroup("TERM");
        List<ProcessHandle> deepestFirst = new ArrayList<>(known);
        Collections.reverse(deepestFirst);
        deepestFirst.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TERM_GRACE.toNanos();
        while (System.nanoTime() < deadline && known.stream().anyMatch(ProcessHandle::isAlive)) {
            sleepQuietly(20);
        }
        known.addAll(snapshot());
        signalGroup("KILL");
        known.forEach(ProcessHandle::destroyForcibly);
        try {
            if (root != null) {
                root.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            interruptedWhileKilling = true;
        } catch (ExecutionException | TimeoutException e) {
            // SIGKILL was sent; a process that outlives it is stuck in the kernel, and waiting longer would not help
        }
        if (interruptedWhileKilling) {
            // A second interrupt must not cut the kill short; it is passed on once the tree is gone.
            Thread.currentThread().interrupt();
        }
    }

    /** The root and its living descendants, parents before children. */
    private Set<ProcessHandle> snapshot() {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        if (root != null) {
            all.add(root);
            root.descendants().forEach(all::add);
        }
        return all;
    }

    private void signalGroup(String signal) {
        if (!ownGroup) {
            return;
        }
        // The JDK cannot signal a process group; kill(1) can, with a negative pid.
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + rootPid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // kill(1) missing: the per-process signals below still reach the known descendants.
        } catch (InterruptedException e) {
            interruptedWhileKilling = true;
        }
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            interruptedWhileKilling = true;
        }
    }
}
