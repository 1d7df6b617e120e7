package dev.gust.core.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a template sees of a Connection: {@code conn.x.conn_type}, {@code .host},
 * {@code .schema}, {@code .login}, {@code .password}, {@code .port}, {@code .extra} (JSON text)
 * and {@code .extra_dejson} (the parsed map). {@code password} is masked in logs once read.
 */
public record TemplateConnection(
        String connType,
        String host,
        String schema,
        String login,
        String password,
        Integer port,
        Map<String, Object> extra) {

    public TemplateConnection {
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    @Override
    public String toString() {
        return "TemplateConnection[connType=" + connType + ", host=" + host + ", schema=" + schema + ", login=" + login
                + ", password=" + (password == null ? null : "***") + ", port=" + port + ", extra=***]";
    }
}
