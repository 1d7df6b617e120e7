package dev.gust.webserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which X-Forwarded-For entry is the client, for each kind of peer and header. */
class TrustedProxiesTest {

    private final TrustedProxies alb = TrustedProxies.of(List.of("10.0.0.0/16", "fd00::/8"));

    @Test
    void nobodyIsTrustedByDefault() {
        TrustedProxies none = TrustedProxies.of(List.of());
        assertThat(none.client("10.0.3.4", "203.0.113.9")).isEqualTo("10.0.3.4");
        assertThat(none.trusts("127.0.0.1")).isFalse();
    }

    @Test
    void theClientIsTheRightMostEntryThatIsNotAProxy() {
        assertThat(alb.client("10.0.3.4", "198.51.100.1, 203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(alb.client("10.0.3.4", "198.51.100.1, 203.0.113.9, 10.0.9.9"))
                .isEqualTo("203.0.113.9");
        assertThat(alb.client("fd00::1", "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(alb.client("10.0.3.4", null)).isEqualTo("10.0.3.4");
        // Not from a proxy: the header is anybody's and means nothing.
        assertThat(alb.client("192.0.2.50", "203.0.113.9")).isEqualTo("192.0.2.50");
        // Garbage where the proxy's entry should be: the peer, never the text.
        assertThat(alb.client("10.0.3.4", "203.0.113.9, evil.example")).isEqualTo("10.0.3.4");
        assertThat(alb.trusts("10.1.0.1")).isFalse();
        assertThat(alb.trusts("localhost")).as("names are never looked up").isFalse();
    }

    @Test
    void aBadBlockFailsTheStartWithOneLine() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webserver.trusted_proxies: '10.0.0.0/33' needs a prefix length from 0 to 32");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("alb.internal")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not an IP address or CIDR block");
    }
}
