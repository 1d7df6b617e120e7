package dev.gust.scheduler.engine;

import java.io.IOException;
import java.net.InetAddress;

/** The name a scheduler records on its job row and its task instances (the container's, on ECS). */
final class LocalHostname {

    private LocalHostname() {}

    static String get() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
