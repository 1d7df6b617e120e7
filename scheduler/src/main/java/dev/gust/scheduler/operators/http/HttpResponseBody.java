package dev.gust.scheduler.operators.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A response body as a task sees it: text for logs and checks, and the value pushed as XCom
 * (parsed JSON when the response says it is JSON and parses, else text). XComs live in the
 * metadata database, so bodies above {@link #MAX_XCOM_BYTES} are refused rather than stored.
 */
record HttpResponseBody(String text, int bytes, String contentType) {

    static final int MAX_XCOM_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponseBody of(HttpResponse<byte[]> response) {
        byte[] body = response.body() == null ? new byte[0] : response.body();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return new HttpResponseBody(new String(body, StandardCharsets.UTF_8), body.length, contentType);
    }

    boolean fitsInXcom() {
        return bytes <= MAX_XCOM_BYTES;
    }

    Object xcomValue() {
        if (contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            try {
                return JSON.readValue(text, Object.class);
            } catch (IOException notJson) {
                return text;
            }
        }
        return text;
    }

    /** The start of the body, for error messages. */
    String excerpt() {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
