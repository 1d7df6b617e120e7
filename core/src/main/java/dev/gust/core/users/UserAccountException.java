package dev.gust.core.users;

/** Something wrong with a request about users (unknown user, taken name, weak password), said so a person can fix it. */
public class UserAccountException extends RuntimeException {

    public UserAccountException(String message) {
        super(message);
    }
}
