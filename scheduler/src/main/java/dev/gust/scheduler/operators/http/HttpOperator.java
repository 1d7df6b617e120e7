package dev.gust.scheduler.operators.http;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Airflow's HttpOperator (SimpleHttpOperator): one request (see {@link HttpRequestSpec}). A
 * status of 400 or more fails the task, as Airflow's {@code raise_for_status}, unless
 * {@code expected_status} (a code or a list) names the acceptable codes instead. The body goes to
 * the log with {@code log_response} and to XCom {@code return_value} (unless
 * {@code do_xcom_push: false}); a body too large for XCom fails the task with a message saying so.
 */
public final class HttpOperator implements Operator {

    private final HttpCaller caller;

    public HttpOperator(HttpCaller caller) {
        this.caller = caller;
    }

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.HTTP;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        HttpRequestSpec spec = HttpRequestSpec.fromArgs(context, "POST");
        List<Integer> expected = args.intList("expected_status", List.of());
        context.log().info("Calling HTTP method %s", spec.describe());
        HttpResponse<byte[]> response;
        try {
            response = caller.send(spec);
        } catch (IOException e) {
            return new OperatorOutcome.Failed(spec.describe() + " failed: " + describe(e));
        }
        HttpResponseBody body = HttpResponseBody.of(response);
        int status = response.statusCode();
        context.log().info("Response status %d (%d bytes)", status, body.bytes());
        if (args.bool("log_response", false)) {
            body.text().lines().forEach(context.log()::line);
        }
        boolean ok = expected.isEmpty() ? status < 400 : expected.contains(status);
        if (!ok) {
            return new OperatorOutcome.Failed("HTTP " + status + " from " + spec.describe()
                    + (expected.isEmpty() ? "" : " (expected_status " + expected + ")")
                    + (body.bytes() == 0 ? "" : ": " + body.excerpt()));
        }
        if (args.bool("do_xcom_push", true)) {
            if (!body.fitsInXcom()) {
                return new OperatorOutcome.Failed("The response body is " + body.bytes() + " bytes, more than the "
                        + HttpResponseBody.MAX_XCOM_BYTES + " bytes an XCom may hold; set do_xcom_push: false "
                        + "or ask the endpoint for less");
            }
            context.pushXcom("return_value", body.xcomValue());
        }
        return OperatorOutcome.success();
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
