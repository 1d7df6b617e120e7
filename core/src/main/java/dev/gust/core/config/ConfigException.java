package dev.gust.core.config;

/** A configuration that cannot be used; the message names the key, the value and its source. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
