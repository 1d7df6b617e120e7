package dev.gust.webserver.api;

/**
 * An error the REST API answers with, as {@code application/problem+json} in Airflow's shape
 * ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}). Handlers throw
 * it; {@link ApiRouter} turns it into the response. {@code detail} is one line that says what to
 * do. Kept inside the API package until the shared problem renderer of the security work exists.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;

    public ApiProblem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem notFound(String title, String detail) {
        return new ApiProblem(404, title, detail);
    }

    public static ApiProblem conflict(String title, String detail) {
        return new ApiProblem(409, title, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** Airflow's {@code type}: a link to the section of its REST API reference for this kind of error. */
    public static String type(int status) {
        String section = switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthenticated";
            case 403 -> "PermissionDenied";
            case 404 -> "NotFound";
            case 409 -> "AlreadyExists";
            default -> "Unknown";
        };
        return "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/" + section;
    }

    /** Never filled: the message is the whole story, and a stack trace is never shown to a client. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
