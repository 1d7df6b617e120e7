package dev.gust.core.external.smtp;

/** An email that could not be sent, or a server that could not be reached; one line saying what to check. */
public final class SmtpException extends Exception {

    public SmtpException(String message) {
        super(message);
    }
}
