package dev.gust.scheduler.operators.python;

import dev.gust.scheduler.operators.bash.ProcessTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A try in a fresh interpreter running Gust's task runner under {@code setsid}: the channel is
 * its stdin and stdout, what the callable prints its stderr. The path for ExternalPythonOperator,
 * virtualenvs, {@code python.fork_server: false}, and the fallback when the fork server fails.
 */
final class SubprocessTry implements PythonTry {

    private final Process process;
    private final ProcessTree tree;

    private SubprocessTry(Process process) {
        this.process = process;
        this.tree = new ProcessTree(process, ProcessTree.SETSID_AVAILABLE);
    }

    static SubprocessTry start(Path interpreter, Path runtime, Map<String, String> environment, Path workDir)
            throws IOException {
        List<String> argv = new ArrayList<>();
        if (ProcessTree.SETSID_AVAILABLE) {
            argv.add("setsid");
        }
        argv.addAll(List.of(
                interpreter.toString(),
                "-u",
                runtime.resolve(PythonRuntimeFiles.RUNNER).toString()));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new SubprocessTry(builder.start());
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public InputStream output() {
        return process.getErrorStream();
    }

    @Override
    public InputStream fromTask() {
        return process.getInputStream();
    }

    @Override
    public OutputStream toTask() {
        return process.getOutputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void kill() {
        tree.kill();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the process is gone; its pipe with it
        }
    }
}
