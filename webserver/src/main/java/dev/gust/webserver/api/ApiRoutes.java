package dev.gust.webserver.api;

import dev.gust.webserver.WebServices;
import io.javalin.Javalin;

/** The REST API under {@code /api/v1}, in the shapes of Airflow's stable REST API. */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    public static void register(Javalin app, WebServices services) {
    }
}
