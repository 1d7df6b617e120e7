package dev.gust.webserver.api;

/**
 * An error the REST API answers with, as {@code application/problem+json} in Airflow's shape
 * ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}). Handlers throw
 * it; {@link ApiRouter} answers it through {@link dev.gust.webserver.http.Problems}, the one renderer
 * of error answers. {@code detail} is one line that says what to do.
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

    /** A 409, titled "Conflict" as every 409 of Airflow's API is; the detail names what already exists. */
    public static ApiProblem conflict(String detail) {
        return new ApiProblem(409, "Conflict", detail);
    }

    /**
     * {@link #conflict(String)} for callers that name the kind of conflict: the name is not sent,
     * since clients match Airflow's title "Conflict".
     *
     * @deprecated use {@link #conflict(String)}
     */
    @Deprecated
    public static ApiProblem conflict(String kind, String detail) {
        return conflict(detail);
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

    /** Never filled: the message is the whole story, and a stack trace is never shown to a client. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
