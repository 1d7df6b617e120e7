package dev.gust.core.store.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionUriTest {

    @Test
    void aFullPostgresUri() {
        ConnectionUri uri = ConnectionUri.parse("postgres://user:pass@db.internal:5432/analytics?sslmode=require");

        assertThat(uri)
                .isEqualTo(new ConnectionUri(
                        "postgres", "db.internal", "analytics", "user", "pass", 5432, "{\"sslmode\":\"require\"}"));
        assertThat(uri.toConnection("warehouse", "the DWH"))
                .isEqualTo(new Connection(
                        "warehouse",
                        "postgres",
                        "the DWH",
                        "db.internal",
                        "analytics",
                        "user",
                        "pass",
                        5432,
                        "{\"sslmode\":\"require\"}"));
    }

    @Test
    void schemesAreNormalizedAsAirflowDoes() {
        assertThat(ConnectionUri.parse("postgresql://h").connType()).isEqualTo("postgres");
        assertThat(ConnectionUri.parse("google-cloud-platform://").connType()).isEqualTo("google_cloud_platform");
        assertThat(ConnectionUri.parse("HTTP://example.com").connType()).isEqualTo("http");
        assertThat(ConnectionUri.parse("https://example.com").connType()).isEqualTo("https");
    }

    /** The URI forms Airflow's docs give for the connections notifications use. */
    @Test
    void theNotificationConnectionFormsOfAirflowsDocs() {
        assertThat(ConnectionUri.parse(
                        "smtp://mailer:app%2Fpw@smtp.example.com:587?disable_ssl=true&from_email=a%40b.c"))
                .isEqualTo(new ConnectionUri(
                        "smtp",
                        "smtp.example.com",
                        null,
                        "mailer",
                        "app/pw",
                        587,
                        "{\"disable_ssl\":\"true\",\"from_email\":\"a@b.c\"}"));
        assertThat(ConnectionUri.parse("slackwebhook://:T000%2FB000%2FXXX@/?timeout=42"))
                .isEqualTo(new ConnectionUri(
                        "slackwebhook", null, null, null, "T000/B000/XXX", null, "{\"timeout\":\"42\"}"));
        assertThat(
                        ConnectionUri.parse(
                                "aws://AKIAEXAMPLE:wJalr%2FK7@/?region_name=eu-west-1&endpoint_url=http%3A%2F%2F127.0.0.1%3A5000"))
                .isEqualTo(new ConnectionUri(
                        "aws",
                        null,
                        null,
                        "AKIAEXAMPLE",
                        "wJalr/K7",
                        null,
                        "{\"region_name\":\"eu-west-1\",\"endpoint_url\":\"http://127.0.0.1:5000\"}"));
        assertThat(ConnectionUri.parse("https://user:pw@api.example.com/https"))
                .isEqualTo(new ConnectionUri("https", "api.example.com", "https", "user", "pw", null, null));
    }

    @Test
    void partsArePercentDecodedButPlusStaysOutsideTheQuery() {
        ConnectionUri uri = ConnectionUri.parse("mysql://us%40er:p%40ss%3Aw+rd%2F%C3%A9@host/my%20db?q=a+b%26c");

        assertThat(uri.login()).isEqualTo("us@er");
        assertThat(uri.password()).isEqualTo("p@ss:w+rd/é");
        assertThat(uri.schema()).isEqualTo("my db");
        assertThat(uri.extra()).isEqualTo("{\"q\":\"a b&c\"}");
    }

    @Test
    void aPasswordMayHoldAnAtSignAndAMalformedPercentStays() {
        ConnectionUri uri = ConnectionUri.parse("postgres://etl:a@b%zz@host");

        assertThat(uri.login()).isEqualTo("etl");
        assertThat(uri.password()).isEqualTo("a@b%zz");
        assertThat(uri.host()).isEqualTo("host");
    }

    @Test
    void missingPartsAreNull() {
        assertThat(ConnectionUri.parse("http://api.example.com"))
                .isEqualTo(new ConnectionUri("http", "api.example.com", null, null, null, null, null));
        assertThat(ConnectionUri.parse("aws://"))
                .isEqualTo(new ConnectionUri("aws", null, null, null, null, null, null));
        assertThat(ConnectionUri.parse("ftp://user@host:/").login()).isEqualTo("user");
    }

    @Test
    void ipv6HostsAndHostsWithTheirOwnProtocol() {
        ConnectionUri ipv6 = ConnectionUri.parse("postgres://[::1]:5433/db");
        assertThat(ipv6.host()).isEqualTo("::1");
        assertThat(ipv6.port()).isEqualTo(5433);

        ConnectionUri withProtocol = ConnectionUri.parse("http://https://api.example.com:8443/v1");
        assertThat(withProtocol.connType()).isEqualTo("http");
        assertThat(withProtocol.host()).isEqualTo("https://api.example.com");
        assertThat(withProtocol.port()).isEqualTo(8443);
        assertThat(withProtocol.schema()).isEqualTo("v1");
    }

    @Test
    void theExtraMayComeWholeAsJson() {
        ConnectionUri uri = ConnectionUri.parse(
                "aws://?__extra__=%7B%22region_name%22%3A+%22eu-west-1%22%2C+%22n%22%3A+%5B1%5D%7D");

        assertThat(uri.extra()).isEqualTo("{\"region_name\":\"eu-west-1\",\"n\":[1]}");
    }

    @Test
    void repeatedQueryKeysKeepTheLastAndBlankValuesAreKept() {
        assertThat(ConnectionUri.parse("http://h?a=1&a=2&b=&c").extra())
                .isEqualTo("{\"a\":\"2\",\"b\":\"\",\"c\":\"\"}");
    }

    @Test
    void errorsAreOneLineAndNeverRepeatThePassword() {
        assertThatThrownBy(() -> ConnectionUri.parse("user:hunter2@host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid connection URI: it has no TYPE:// prefix; expected TYPE://")
                .message()
                .doesNotContain("hunter2")
                .doesNotContain("\n");
        assertThatThrownBy(() -> ConnectionUri.parse("postgres://u:hunter2@host:54x2/db"))
                .hasMessageContaining("the port '54x2' is not a number from 0 to 65535")
                .message()
                .doesNotContain("hunter2");
        assertThatThrownBy(() -> ConnectionUri.parse("postgres://h:99999")).hasMessageContaining("'99999'");
        assertThatThrownBy(() -> ConnectionUri.parse("1x://h")).hasMessageContaining("must start with a letter");
        assertThatThrownBy(() -> ConnectionUri.parse("a://b://c://d")).hasMessageContaining("more than two");
        assertThatThrownBy(() -> ConnectionUri.parse("http://h?__extra__=%5B1%5D"))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> ConnectionUri.parse(" ")).hasMessageContaining("it is empty");
    }

    @Test
    void toStringHidesTheSecrets() {
        assertThat(ConnectionUri.parse("postgres://u:hunter2@h?token=abc").toString())
                .doesNotContain("hunter2")
                .doesNotContain("abc");
    }
}
