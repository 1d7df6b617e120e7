package dev.gust.scheduler.operators.http;

import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.sensors.Sensor;
import dev.gust.scheduler.operators.sensors.SensorFailedException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Airflow's HttpSensor: pokes an endpoint (a GET by default, resolved as {@link HttpRequestSpec})
 * until it answers with a status below 400, or one of {@code expected_status} when given, and
 * (with {@code response_contains}, Gust's stand-in for Airflow's Python {@code response_check})
 * a body containing that text. A 404 means "not yet", as in Airflow; another error status fails
 * the sensor. Unlike Airflow, a refused or timed-out connection is also "not yet", since waiting
 * for a service to come up is what this sensor is used for.
 */
public final class HttpSensor implements Sensor {

    private final HttpCaller caller;

    public HttpSensor(HttpCaller caller) {
        this.caller = caller;
    }

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.HTTP_SENSOR;
    }

    @Override
    public boolean poke(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        HttpRequestSpec spec = HttpRequestSpec.fromArgs(context, "GET");
        List<Integer> expected = args.intList("expected_status", List.of());
        context.log().info("Poking: %s", spec.describe());
        HttpResponse<byte[]> response;
        try {
            response = caller.send(spec);
        } catch (IOException e) {
            context.log().info("No answer yet: %s", HttpOperator.describe(e));
            return false;
        }
        int status = response.statusCode();
        HttpResponseBody body = HttpResponseBody.of(response);
        if (!expected.isEmpty() && !expected.contains(status)) {
            context.log().info("HTTP %d, waiting for %s", status, expected);
            return false;
        }
        if (expected.isEmpty() && status == 404) {
            context.log().info("HTTP 404, not there yet");
            return false;
        }
        if (expected.isEmpty() && status >= 400) {
            throw new SensorFailedException(
                    "HTTP " + status + " from " + spec.describe() + (body.bytes() == 0 ? "" : ": " + body.excerpt()));
        }
        String needle = args.string("response_contains", null);
        if (needle != null && !body.text().contains(needle)) {
            context.log().info("HTTP %d, but the response does not contain '%s' yet", status, needle);
            return false;
        }
        return true;
    }
}
