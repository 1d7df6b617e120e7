package dev.gust.scheduler.callbacks;

/** A callback that did not do its work; the message is one line saying why (and what to do). */
final class CallbackFailure extends Exception {

    CallbackFailure(String message) {
        super(message);
    }
}
