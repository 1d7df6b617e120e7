package dev.gust.webserver.api.dags;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * Airflow's {@code file_token}: an opaque name for a DAG's file that a client passes back to
 * {@code GET /dagSources/{file_token}} and {@code PUT /parseDagFile/{file_token}}. It is a digest
 * of the file's path, never the path itself, and it is resolved only by looking it up among the
 * files stored DAGs come from: a client cannot make one that names any other file, whatever it
 * sends.
 */
public final class DagFileTokens {

    private DagFileTokens() {}

    /** The token of a DAG file; the same path always gives the same token. */
    public static String tokenOf(String fileloc) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("gust-dag-file:" + fileloc).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Which of the DAG files {@code token} names; empty for a token of no such file. */
    public static Optional<String> resolve(String token, Collection<String> filelocs) {
        return filelocs.stream().filter(f -> tokenOf(f).equals(token)).findFirst();
    }
}
