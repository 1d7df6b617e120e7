package dev.gust.scheduler.operators.python;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.scheduler.operators.TaskLogWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The venv cache against another process and a runner killed halfway: while another process (a
 * real python3 holding the same POSIX lock a second runner would) makes a venv, a task waits and
 * then uses it instead of making its own; a folder left without its ready marker is removed and
 * made again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualenvCacheTest {

    @TempDir
    Path root;

    final List<String> log = new CopyOnWriteArrayList<>();
    final TaskLogWriter writer = log::add;

    private static Path python3() {
        return java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .map(dir -> Path.of(dir, "python3"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError("these tests run a real python3: install it (Debian: apt-get"
                        + " install python3 python3-venv, or scripts/install-test-deps.sh)"));
    }

    private static VirtualenvSpec spec(String requirement) {
        return new VirtualenvSpec(python3(), "3.99.0", List.of(requirement), false, List.of("--no-index"), List.of());
    }

    private VirtualenvCache cache() {
        return new VirtualenvCache(root, Map.of("PATH", System.getenv("PATH")), writer);
    }

    @Test
    void aTaskWaitsForTheVenvAnotherProcessIsMakingAndUsesIt() throws Exception {
        VirtualenvSpec spec = spec("made-elsewhere==1.0");
        Path venv = root.resolve(spec.hash());
        // Another runner: takes the lock, says so, waits for "go", writes a ready venv, lets go.
        Process other = new ProcessBuilder(
                        python3().toString(),
                        "-c",
                        """
                        import fcntl, os, sys
                        lock = open(sys.argv[1], "w")
                        fcntl.lockf(lock, fcntl.LOCK_EX)
                        print("locked", flush=True)
                        sys.stdin.readline()
                        os.makedirs(sys.argv[2])
                        open(os.path.join(sys.argv[2], sys.argv[3]), "w").write("made elsewhere")
                        fcntl.lockf(lock, fcntl.LOCK_UN)
                        """,
                        root.resolve(spec.hash() + ".lock").toString(),
                        venv.toString(),
                        VirtualenvCache.READY_MARKER)
                .redirectErrorStream(true)
                .start();
        BufferedReader fromOther =
                new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
        assertThat(fromOther.readLine()).isEqualTo("locked");

        CompletableFuture<Path> task = CompletableFuture.supplyAsync(() -> {
            try {
                return cache().ensure(spec);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        assertThat(task)
                .as("the task waits while the other process holds the lock")
                .isNotDone();

        other.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
        other.getOutputStream().flush();
        assertThat(task.get(30, TimeUnit.SECONDS)).isEqualTo(venv);
        assertThat(other.waitFor()).isZero();
        assertThat(log)
                .anyMatch(l -> l.contains("made by another task meanwhile"))
                .noneMatch(l -> l.contains("Creating the virtualenv"));
        assertThat(Files.readString(venv.resolve(VirtualenvCache.READY_MARKER))).isEqualTo("made elsewhere");
    }

    @Test
    void aFolderLeftWithoutItsMarkerIsMadeAgainAndAFailedMakeLeavesNothing() throws Exception {
        VirtualenvSpec spec = new VirtualenvSpec(python3(), "3.99.0", List.of(), false, List.of(), List.of());
        Path venv = root.resolve(spec.hash());
        Files.createDirectories(venv.resolve("bin"));
        Files.writeString(venv.resolve("half-written"), "a runner was killed here");

        assertThat(cache().ensure(spec)).isEqualTo(venv);

        assertThat(venv.resolve("half-written")).doesNotExist();
        assertThat(venv.resolve(VirtualenvCache.READY_MARKER)).exists();
        assertThat(venv.resolve("bin/python")).isExecutable();
        assertThat(log).anyMatch(l -> l.contains("a virtualenv left unfinished"));

        VirtualenvSpec failing = spec("not-anywhere==1.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache().ensure(failing))
                .isInstanceOf(VirtualenvCache.VirtualenvException.class)
                .hasMessageStartingWith(
                        "pip install failed (exit code 1), so the virtualenv was not made; its last" + " lines: ")
                .hasMessageContaining("not-anywhere==1.0");
        assertThat(root.resolve(failing.hash())).doesNotExist();
    }
}
