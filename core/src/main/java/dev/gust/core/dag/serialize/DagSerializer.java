package dev.gust.core.dag.serialize;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DatasetCondition;
import dev.gust.core.dag.model.Schedule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a {@link Dag} into canonical JSON and back. Canonical means the same DAG always gives
 * the same bytes (properties and map keys sorted, dates and durations as ISO-8601 text), so the
 * SHA-256 of the JSON is a version that changes exactly when the DAG does. This JSON is what the
 * metadata database stores and what the webserver and other schedulers read; they never parse
 * DAG files. Thread-safe.
 */
public final class DagSerializer {

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Schedule.None.class, name = "none"),
        @JsonSubTypes.Type(value = Schedule.Once.class, name = "once"),
        @JsonSubTypes.Type(value = Schedule.Cron.class, name = "cron"),
        @JsonSubTypes.Type(value = Schedule.FixedInterval.class, name = "interval"),
        @JsonSubTypes.Type(value = Schedule.Datasets.class, name = "datasets"),
        @JsonSubTypes.Type(value = Schedule.CronTrigger.class, name = "cron_trigger"),
        @JsonSubTypes.Type(value = Schedule.DeltaTrigger.class, name = "delta_trigger"),
        @JsonSubTypes.Type(value = Schedule.Events.class, name = "events"),
        @JsonSubTypes.Type(value = Schedule.DatasetsOrTime.class, name = "datasets_or_time")
    })
    private interface ScheduleMixin {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = DatasetCondition.Uri.class, name = "uri"),
        @JsonSubTypes.Type(value = DatasetCondition.All.class, name = "all"),
        @JsonSubTypes.Type(value = DatasetCondition.Any.class, name = "any")
    })
    private interface DatasetConditionMixin {}

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addMixIn(Schedule.class, ScheduleMixin.class)
            .addMixIn(DatasetCondition.class, DatasetConditionMixin.class)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .build();

    public String toJson(Dag dag) {
        try {
            return mapper.writeValueAsString(dag);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize DAG '" + dag.dagId() + "'", e);
        }
    }

    public Dag fromJson(String json) {
        try {
            return mapper.readValue(json, Dag.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a serialized DAG: " + e.getOriginalMessage(), e);
        }
    }

    /** SHA-256 (hex) of the canonical JSON: equal for equal DAGs, different when anything changed. */
    public String versionHash(Dag dag) {
        return sha256(toJson(dag));
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
