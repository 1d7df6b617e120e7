package dev.gust.core.external.smtp;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends mail through the server an {@link SmtpSettings} names, with Jakarta Mail: SSL or STARTTLS
 * as the connection says (STARTTLS, once asked for, is required, so a server that cannot do it is
 * an error rather than a plain-text fallback), login when the connection has one, and up to
 * {@code retry_limit} more attempts when the server cannot be reached. Failures are
 * {@link SmtpException}s with one line that names the connection and says what to check.
 */
public final class SmtpMailer {

    /** Sends {@code email}; returns the message's Message-ID. */
    public String send(SmtpSettings settings, Email email) throws SmtpException {
        if (email.to().isEmpty()) {
            throw new SmtpException("the email has no recipient; give 'to' one address or more");
        }
        String from = email.from() != null ? email.from() : settings.fromEmail();
        if (from == null || from.isBlank()) {
            throw new SmtpException("the email has no sender; give from_email, or set from_email in the extra of"
                    + " connection '" + settings.connId() + "'");
        }
        Session session = session(settings);
        MimeMessage message = new MimeMessage(session);
        try {
            message.setFrom(address(from, "from_email"));
            message.setRecipients(Message.RecipientType.TO, addresses(email.to(), "to"));
            message.setRecipients(Message.RecipientType.CC, addresses(email.cc(), "cc"));
            message.setRecipients(Message.RecipientType.BCC, addresses(email.bcc(), "bcc"));
            message.setSubject(email.subject() == null ? "" : email.subject(), email.charset());
            MimeMultipart body = new MimeMultipart(email.mimeSubtype());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.htmlContent() == null ? "" : email.htmlContent(), email.charset(), "html");
            body.addBodyPart(html);
            for (Path file : email.files()) {
                body.addBodyPart(attachment(file));
            }
            message.setContent(body);
            for (var header : email.headers().entrySet()) {
                message.setHeader(header.getKey(), header.getValue());
            }
            message.saveChanges();
        } catch (MessagingException e) {
            throw new SmtpException("the email cannot be built: " + oneLine(e));
        }
        try (Transport transport = connect(settings, session)) {
            transport.sendMessage(message, message.getAllRecipients());
            return message.getMessageID();
        } catch (SmtpException e) {
            throw e;
        } catch (MessagingException e) {
            throw new SmtpException("the SMTP server " + settings.address() + " of connection '" + settings.connId()
                    + "' refused the email: " + oneLine(e));
        }
    }

    /**
     * Connects, greets (EHLO), starts TLS and logs in as sending would, then quits: what
     * {@code gust connections test} checks. Returns the server's last answer.
     */
    public String check(SmtpSettings settings) throws SmtpException {
        try (Transport transport = connect(settings, session(settings))) {
            String answer = transport instanceof SMTPTransport smtp ? smtp.getLastServerResponse() : "";
            return answer == null ? "" : answer.strip();
        } catch (MessagingException e) {
            throw new SmtpException("closing the SMTP connection failed: " + oneLine(e));
        }
    }

    private static Transport connect(SmtpSettings settings, Session session) throws SmtpException {
        SmtpException last = null;
        for (int attempt = 0; attempt <= settings.retryLimit(); attempt++) {
            Transport transport = null;
            try {
                transport = session.getTransport(settings.ssl() ? "smtps" : "smtp");
                transport.connect(settings.host(), settings.port(), settings.login(), settings.password());
                return transport;
            } catch (AuthenticationFailedException e) {
                close(transport);
                throw new SmtpException("the SMTP server " + settings.address() + " refused the login of connection '"
                        + settings.connId() + "': " + oneLine(e) + "; check its login and password");
            } catch (MessagingException e) {
                close(transport);
                last = new SmtpException("cannot talk to the SMTP server " + settings.address() + " of connection '"
                        + settings.connId() + "': " + oneLine(e)
                        + "; check its host and port, and disable_ssl/disable_tls in its extra");
                if (!(rootCause(e) instanceof IOException)) {
                    throw last;
                }
            }
        }
        throw last;
    }

    private static Session session(SmtpSettings settings) {
        Properties properties = new Properties();
        String timeout = String.valueOf(settings.timeout().toMillis());
        for (String protocol : List.of("smtp", "smtps")) {
            String prefix = "mail." + protocol + ".";
            properties.setProperty(prefix + "connectiontimeout", timeout);
            properties.setProperty(prefix + "timeout", timeout);
            properties.setProperty(prefix + "writetimeout", timeout);
            properties.setProperty(prefix + "auth", String.valueOf(settings.login() != null));
            properties.setProperty(prefix + "ssl.checkserveridentity", String.valueOf(!settings.trustAnyCertificate()));
            if (settings.trustAnyCertificate()) {
                properties.setProperty(prefix + "ssl.trust", "*");
            }
        }
        properties.setProperty("mail.smtp.starttls.enable", String.valueOf(settings.starttls()));
        properties.setProperty("mail.smtp.starttls.required", String.valueOf(settings.starttls()));
        return Session.getInstance(properties);
    }

    private static MimeBodyPart attachment(Path file) throws SmtpException {
        if (!Files.isRegularFile(file)) {
            throw new SmtpException("cannot attach '" + file + "': there is no such file");
        }
        try {
            MimeBodyPart part = new MimeBodyPart();
            part.attachFile(file.toFile());
            part.setFileName(file.getFileName().toString());
            return part;
        } catch (IOException | MessagingException e) {
            throw new SmtpException("cannot attach '" + file + "': " + oneLine(e));
        }
    }

    private static Address[] addresses(List<String> texts, String field) throws SmtpException {
        List<Address> addresses = new ArrayList<>();
        for (String text : texts) {
            addresses.add(address(text, field));
        }
        return addresses.toArray(Address[]::new);
    }

    private static InternetAddress address(String text, String field) throws SmtpException {
        try {
            return new InternetAddress(text, true);
        } catch (AddressException e) {
            throw new SmtpException("'" + text + "' in " + field + " is not an email address");
        }
    }

    private static void close(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the attempt failed already; that failure is the one reported
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String oneLine(Exception e) {
        Throwable root = rootCause(e);
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
            text = text + " (" + root.getMessage() + ")";
        }
        return text.replaceAll("\\s+", " ").strip();
    }
}
