package dev.gust.scheduler.notify;

/**
 * A built-in notifier that a callback can name (Airflow's notifier classes and their {@code send_*}
 * functions): it delivers one message built from the callback's rendered arguments. Callbacks reach
 * notifiers by {@link #kind()}, so a new channel is one new implementation.
 */
public interface Notifier {

    /** The kind a callback spec names: {@code slack_webhook}, {@code smtp} or {@code sns}. */
    String kind();

    /**
     * Delivers the notification.
     *
     * @return a one-line summary for the task log (where it went, what the far side answered)
     * @throws NotifierException with a one-line reason that says what to do, when delivery fails
     */
    String send(Notification notification) throws NotifierException;
}
