package dev.gust.core.users;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Password hashing (bcrypt) and the password policy, checked wherever a password is set (the CLI,
 * the API, the Users page all go through {@link #hash}): at least {@value #MIN_LENGTH} characters,
 * not one of the common passwords of {@code common-passwords.txt} (any case), and at most
 * {@value #MAX_BYTES} bytes, because bcrypt only looks at the first 72 and longer ones are refused
 * rather than silently truncated.
 */
public final class Passwords {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_BYTES = 72;

    /** 2^11 rounds: about a tenth of a second per login on one core, far too slow to guess at scale. */
    private static final int COST = 11;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    /** Verified against when the username is unknown, so that the answer takes as long either way. */
    private static final String DUMMY_HASH = BCrypt.withDefaults().hashToString(COST, "not-a-password".toCharArray());

    /** Loaded once: about 1,500 lines. */
    private static final Set<String> COMMON = loadCommon();

    private Passwords() {}

    /** Throws {@link UserAccountException} saying what is wrong with the password, if anything. */
    public static void checkPolicy(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new UserAccountException("the password must have at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new UserAccountException(
                    "the password must be at most " + MAX_BYTES + " bytes long (bcrypt ignores the rest)");
        }
        if (COMMON.contains(password.strip().toLowerCase(Locale.ROOT))) {
            throw new UserAccountException(
                    "the password is one of the most common ones, which attackers try first; choose another "
                            + "(or leave it empty to have one generated)");
        }
    }

    public static String hash(String password) {
        checkPolicy(password);
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; a null hash (unknown user) costs the same time and fails. */
    public static boolean verify(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        boolean matches = BCrypt.verifyer().verify(password.toCharArray(), hash == null ? DUMMY_HASH : hash).verified;
        return hash != null && matches;
    }

    private static Set<String> loadCommon() {
        try (InputStream in = Passwords.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the class path");
            }
            Set<String> common = new HashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    common.add(word.toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(common);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random password of 20 unambiguous letters and digits (about 116 bits). */
    public static String generate() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
