package dev.gust.core.template;

import java.util.Optional;

/** Reads a Connection for {@code {{ conn.x.host }}}; implemented on top of the metadata store. */
@FunctionalInterface
public interface ConnectionLookup {

    ConnectionLookup NONE = connId -> Optional.empty();

    Optional<TemplateConnection> get(String connId);
}
