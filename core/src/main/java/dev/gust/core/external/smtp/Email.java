package dev.gust.core.external.smtp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One email as Airflow's {@code send_email} takes it: sender, recipients ({@code to}, {@code cc},
 * {@code bcc}), subject, HTML body, files to attach, the MIME subtype of the whole message
 * ({@code mixed}), its charset ({@code utf-8}) and extra headers.
 */
public record Email(
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        String subject,
        String htmlContent,
        List<Path> files,
        String mimeSubtype,
        String charset,
        Map<String, String> headers) {

    public Email {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        files = List.copyOf(files);
        headers = Map.copyOf(headers);
    }

    /**
     * Addresses as Airflow's {@code get_email_address_list} reads them: one string holding several
     * separated by commas or semicolons, or a list of such strings.
     *
     * @throws IllegalArgumentException when the value is neither text nor a list
     */
    public static List<String> addresses(Object value, String name) {
        if (value == null) {
            return List.of();
        }
        List<String> addresses = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            for (Object item : list) {
                addresses.addAll(addresses(item, name));
            }
            return addresses;
        }
        if (!(value instanceof CharSequence)) {
            throw new IllegalArgumentException(
                    name + " must be an address, a comma-separated string or a list of them");
        }
        for (String part : value.toString().split("[,;]")) {
            if (!part.isBlank()) {
                addresses.add(part.strip());
            }
        }
        return addresses;
    }
}
