package dev.gust.scheduler.operators.python;

import dev.gust.scheduler.operators.bash.ProcessTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A try in a child of the {@link PythonForkServer}: the child leads its own session, so its
 * process group is killed exactly like a fresh interpreter's; its channel and its output are the
 * two Unix-socket connections it opened; its exit code comes from the fork server, which reaps it.
 */
final class ForkedTry implements PythonTry {

    private final long pid;
    private final Optional<ProcessHandle> handle;
    private final SocketChannel channel;
    private final SocketChannel output;
    private final CompletableFuture<Integer> exit;
    private final InputStream fromTask;
    private final OutputStream toTask;
    private final InputStream outputStream;

    ForkedTry(long pid, SocketChannel channel, SocketChannel output, CompletableFuture<Integer> exit) {
        this.pid = pid;
        // Taken now, while the child is known to live: the handle remembers its start time, so a
        // later kill can never reach another process that was given the same pid.
        this.handle = ProcessHandle.of(pid);
        this.channel = channel;
        this.output = output;
        this.exit = exit;
        this.fromTask = Channels.newInputStream(channel);
        this.toTask = Channels.newOutputStream(channel);
        this.outputStream = Channels.newInputStream(output);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public InputStream output() {
        return outputStream;
    }

    @Override
    public InputStream fromTask() {
        return fromTask;
    }

    @Override
    public OutputStream toTask() {
        return toTask;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            return -1;
        }
    }

    @Override
    public void kill() {
        // Without a handle the child had already ended (and been reaped): there is nothing to kill.
        handle.ifPresent(child -> new ProcessTree(child, true).kill());
    }

    @Override
    public void close() {
        closeQuietly(channel);
        closeQuietly(output);
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed by the child's end
        }
    }
}
