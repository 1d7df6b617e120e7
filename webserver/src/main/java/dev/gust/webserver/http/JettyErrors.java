package dev.gust.webserver.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The answers Jetty gives itself, before any route runs (a request it cannot parse, headers too
 * large, an ambiguous path such as one with {@code %00}), as problem JSON instead of Jetty's HTML
 * page: under {@code /api} always, and for a request too broken to have a path at all, since
 * such a request comes from a program more often than from a browser. Pages keep Jetty's HTML.
 */
public final class JettyErrors extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request Jetty could not read (431 for oversized headers, 400 for a malformed line): no path to judge by. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problems.PROBLEM_JSON));
        return ByteBuffer.wrap(bytes(status, reason, ""));
    }

    @Override
    protected void generateAcceptableResponse(
            Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
            throws IOException {
        String uri = request.getRequestURI();
        if (uri == null || !(uri.equals("/api") || uri.startsWith("/api/"))) {
            super.generateAcceptableResponse(baseRequest, request, response, code, message);
            return;
        }
        baseRequest.setHandled(true);
        response.setContentType(Problems.PROBLEM_JSON);
        response.getOutputStream().write(bytes(code, message, uri));
    }

    private static byte[] bytes(int status, String reason, String instance) {
        String detail = switch (status) {
            case 431 -> "The request's headers are too large; send fewer or shorter headers (cookies, tokens).";
            case 400 ->
                "The request cannot be read" + (reason == null ? "" : ": " + reason)
                        + "; check the path (no %00 or other control characters) and the headers.";
            default -> reason == null ? Problems.titleOf(status) : reason;
        };
        try {
            return JSON.writeValueAsString(Problems.body(status, Problems.titleOf(status), detail, instance))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem document", e);
        }
    }
}
