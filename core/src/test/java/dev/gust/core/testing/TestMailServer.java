package dev.gust.core.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.gust.core.store.connections.Connection;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SMTP server (GreenMail) on free loopback ports, plain and SSL, with one account
 * ({@link #LOGIN} / {@link #PASSWORD}); its mailbox is emptied before each test. A test class
 * registers it: {@code @RegisterExtension static final TestMailServer mail = TestMailServer.start();}.
 */
public final class TestMailServer implements AutoCloseable, BeforeEachCallback, AfterAllCallback {

    public static final String LOGIN = "mailer";
    public static final String PASSWORD = "mail-s3cret";

    private final GreenMail greenMail;

    private TestMailServer(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    public static TestMailServer start() {
        GreenMail greenMail = new GreenMail(new com.icegreen.greenmail.util.ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()
        });
        greenMail.start();
        greenMail.setUser(LOGIN + "@example.com", LOGIN, PASSWORD);
        return new TestMailServer(greenMail);
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int smtpsPort() {
        return greenMail.getSmtps().getPort();
    }

    /** An {@code smtp} connection to the plain port with the account's login and {@code extra}. */
    public Connection connection(String connId, String extra) {
        return new Connection(connId, "smtp", null, "127.0.0.1", null, LOGIN, PASSWORD, smtpPort(), extra);
    }

    /** Waits up to ten seconds for {@code count} messages and returns what arrived. */
    public List<MimeMessage> awaitMessages(int count) {
        greenMail.waitForIncomingEmail(10_000, count);
        return List.of(greenMail.getReceivedMessages());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
