package dev.gust.webserver;

import dev.gust.core.config.GustConfig;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Configurations for web tests: their own encryption key (nothing written under ~/.gust), plus any settings. */
public final class TestConfigs {

    private TestConfigs() {}

    /** The test config with more settings given as environment variables ({@code GUST_SECTION__KEY}). */
    public static GustConfig config(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("GUST_SECURITY__ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        return GustConfig.load(null, env);
    }
}
