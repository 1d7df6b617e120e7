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
 * without a newline cannot exhaust the heap.
 */
public final class LineReader {

    public static final int MAX_LINE_BYTES = 64 * 1024;

    private LineReader() {}

    public static void forEachLine(InputStream in, Charset charset, Consumer<String> sink) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[8192];
        int n;
        boolean lastWasCr = false;
        while ((n = in.read(buffer)) != -1) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (!lastWasCr || line.size() > 0) {
                        emit(line, charset, sink);
                    }
                    lastWasCr = false;
                } else if (b == '\r') {
                    emit(line, charset, sink);
                    lastWasCr = true;
                } else {
                    lastWasCr = false;
                    line.write(b);
                    if (line.size() >= MAX_LINE_BYTES) {
                        emit(line, charset, sink);
                    }
                }
            }
        }
        if (line.size() > 0) {
            emit(line, charset, sink);
        }
    }

    private static void emit(ByteArrayOutputStream line, Charset charset, Consumer<String> sink) {
        sink.accept(line.toString(charset));
        line.reset();
    }
}
