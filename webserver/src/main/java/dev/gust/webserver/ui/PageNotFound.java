package dev.gust.webserver.ui;

/** Thrown by a page handler when what the URL names does not exist; answered with the 404 page. */
public final class PageNotFound extends RuntimeException {

    public PageNotFound(String message) {
        super(message, null, false, false);
    }
}
