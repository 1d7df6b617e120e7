package dev.gust.webserver;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like client for tests over real HTTP: keeps cookies (so that a session made on one
 * server can be shown to another), does not follow redirects (tests look at them), and logs in
 * through the real login form.
 */
public final class WebClient {

    private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String base;

    public WebClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Points the client (and its cookies) at another server, as the ALB would. */
    public WebClient switchTo(int port) {
        this.base = "http://127.0.0.1:" + port;
        return this;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, null, headers);
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send("POST", path, body, "application/x-www-form-urlencoded", headers);
    }

    public HttpResponse<String> send(String method, String path, String body, String contentType, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty()) {
            request.header(
                    "Cookie",
                    cookies.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
            if (setCookie.contains("Max-Age=0") || nameValue[1].isEmpty()) {
                cookies.remove(nameValue[0]);
            } else {
                cookies.put(nameValue[0], nameValue[1]);
            }
        }
        return response;
    }

    /** Logs in through the form as a browser does (GET for the form's token, then POST); returns the POST's answer. */
    public HttpResponse<String> login(String username, String password) throws Exception {
        return login(username, password, "/");
    }

    public HttpResponse<String> login(String username, String password, String next, String... headers)
            throws Exception {
        String csrf = hiddenCsrf(get("/login").body());
        return postForm(
                "/login", Map.of("username", username, "password", password, "next", next, "_csrf", csrf), headers);
    }

    /** The value of the first hidden {@code _csrf} field of a page. */
    public static String hiddenCsrf(String html) {
        Matcher m = HIDDEN_CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no _csrf field in:\n" + html);
        }
        return m.group(1);
    }

    public static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The Set-Cookie header for one cookie name, or null. */
    public static String setCookie(HttpResponse<?> response, String name) {
        List<String> all = response.headers().allValues("Set-Cookie");
        return all.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }
}
