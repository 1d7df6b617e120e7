package dev.gust.scheduler.operators.bash;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Cuts a subprocess's output into lines as the bytes arrive, decoding each line with the
 * task's charset (bytes that are not valid in it become U+FFFD rather than an error). A line
 * longer than {@link #MAX_LINE_BYTES} is passed on in pieces, so a command that prints megabytes
 * without a newline cannot exhaust the heap. Read from a stream ({@link #forEachLine}) or fed
 * the bytes as they come ({@link #feed}, then {@link #finish}).
 */
public final class LineReader {

    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final Charset charset;
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean lastWasCr;

    public LineReader(Charset charset, Consumer<String> sink) {
        this.charset = charset;
        this.sink = sink;
    }

    public static void forEachLine(InputStream in, Charset charset, Consumer<String> sink) throws IOException {
        LineReader reader = new LineReader(charset, sink);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            reader.feed(buffer, 0, n);
        }
        reader.finish();
    }

    /** Passes on every line that {@code bytes} completes. */
    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (!lastWasCr || line.size() > 0) {
                    emit();
                }
                lastWasCr = false;
            } else if (b == '\r') {
                emit();
                lastWasCr = true;
            } else {
                lastWasCr = false;
                line.write(b);
                if (line.size() >= MAX_LINE_BYTES) {
                    emit();
                }
            }
        }
    }

    /** The output ended: passes on its last line when it had no newline. */
    public void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        sink.accept(line.toString(charset));
        line.reset();
    }
}
