package dev.gust.scheduler.notify;

/** A notification that could not be delivered; its message is one line saying why and what to do. */
public final class NotifierException extends Exception {

    public NotifierException(String message) {
        super(message);
    }

    public NotifierException(String message, Throwable cause) {
        super(message, cause);
    }
}
