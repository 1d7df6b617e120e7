package dev.gust.webserver.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.gust.core.schedule.RunIds;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;

/**
 * The REST API's JSON: response records are written with snake_case names (the records' Java
 * names turned into Airflow's field names), dates as Airflow writes them (RFC 3339 in UTC as
 * Python's {@code isoformat()}: {@code +00:00}, microseconds when there are some), nulls included
 * (Airflow sends every field of a schema).
 */
public final class ApiJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule().addSerializer(Instant.class, new AirflowDates()))
            // Generated accessors instead of reflection: the DAG list writes 100 records of 27 fields per request.
            .registerModule(new BlackbirdModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ApiJson() {}

    /** An instant as Airflow's API writes it, the way run ids carry it ({@link RunIds#isoformat}). */
    private static final class AirflowDates extends StdSerializer<Instant> {

        AirflowDates() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(RunIds.isoformat(value));
        }
    }

    public static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    /** The body as JSON bytes, for answers that are kept and sent again. */
    public static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    public static void ok(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    /** JSON text stored in the database (a run's conf) as a tree to embed in a response; null stays null. */
    public static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }
}
