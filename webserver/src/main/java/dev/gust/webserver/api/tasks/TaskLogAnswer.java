package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code GET .../taskInstances/{task_id}/logs/{task_try_number}}, as Airflow's
 * {@code get_log}: by default one page of the log (at most {@link TaskLogRepository#PAGE_BYTES})
 * from where {@code token} says, with the {@code continuation_token} of the next page; with
 * {@code full_content=true} the whole log, written to the response page by page so that the
 * server never holds it. JSON {@code {"continuation_token", "content"}} unless the client accepts
 * only {@code text/plain}, which gets the bare text (and the token in a header).
 */
final class TaskLogAnswer {

    /** The continuation token of a plain-text answer. */
    static final String TOKEN_HEADER = "X-Continuation-Token";

    private static final String TOKEN_PREFIX = "chunk:";

    private final TaskLogRepository logs;

    TaskLogAnswer(TaskLogRepository logs) {
        this.logs = logs;
    }

    void send(Context ctx, TaskInstanceKey key, int tryNumber, boolean fullContent, String token) {
        boolean plain = wantsPlainText(ctx.header("Accept"));
        if (fullContent) {
            stream(ctx, key, tryNumber, plain);
            return;
        }
        TaskLogRepository.Page page = logs.readPage(key, tryNumber, chunkOf(token), TaskLogRepository.PAGE_BYTES);
        String next = tokenOf(page.nextChunk());
        if (plain) {
            ctx.status(200)
                    .header(TOKEN_HEADER, next)
                    .contentType("text/plain; charset=utf-8")
                    .result(page.text());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("continuation_token", next);
        body.put("content", page.text());
        ApiJson.ok(ctx, body);
    }

    private void stream(Context ctx, TaskInstanceKey key, int tryNumber, boolean plain) {
        int[] next = {0};
        ctx.status(200).contentType(plain ? "text/plain; charset=utf-8" : "application/json");
        try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            if (!plain) {
                out.write("{\"content\":\"");
            }
            logs.writeTo(key, tryNumber, text -> {
                try {
                    if (plain) {
                        out.write(text);
                    } else {
                        out.write(JsonStringEncoder.getInstance().quoteAsString(text));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                next[0]++;
            });
            if (!plain) {
                // chunk numbers start at 0 and have no gaps, so the count is the next chunk's number
                out.write("\",\"continuation_token\":\"" + tokenOf(next[0]) + "\"}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean wantsPlainText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }

    static String tokenOf(int chunk) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((TOKEN_PREFIX + chunk).getBytes(StandardCharsets.UTF_8));
    }

    /** The chunk a token points at; a token that Gust did not make is a 400. */
    static int chunkOf(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_PREFIX)) {
                int chunk = Integer.parseInt(text.substring(TOKEN_PREFIX.length()));
                if (chunk >= 0) {
                    return chunk;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one answer for every bad token
        }
        throw ApiProblem.badRequest(
                "token is not a continuation_token this API gave out; leave it out to read from the start");
    }
}
