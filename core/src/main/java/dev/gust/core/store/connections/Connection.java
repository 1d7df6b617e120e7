package dev.gust.core.store.connections;

/**
 * A Connection: how tasks reach an external system ({@code {{ conn.id.host }}}, the sql operator).
 * {@code password} and {@code extra} (a JSON string of driver options) are secrets: they are
 * stored encrypted and must be masked wherever they are shown.
 */
public record Connection(
        String connId,
        String connType,
        String description,
        String host,
        String schema,
        String login,
        String password,
        Integer port,
        String extra) {

    @Override
    public String toString() {
        return "Connection[connId=" + connId + ", connType=" + connType + ", host=" + host + ", schema=" + schema
                + ", login=" + login + ", password=" + (password == null ? null : "***") + ", port=" + port
                + ", extra=" + (extra == null ? null : "***") + "]";
    }
}
