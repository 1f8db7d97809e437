package org.vettedaccess.suite;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The suite's own SMTP server (GreenMail): kyc-service mails its institutional-email codes here. Every message
 * is kept for the tests ({@link #latestTo}) and written to a file for people running ./suite.
 */
public final class MailSink implements AutoCloseable {

    /** One message as received. */
    public record Mail(String to, String subject, String body) {}

    private final GreenMail server;
    private final int port;
    private final Path directory;
    private final Consumer<String> progress;
    private final Thread writer;
    private int written;

    private MailSink(GreenMail server, int port, Path directory, Consumer<String> progress) {
        this.server = server;
        this.port = port;
        this.directory = directory;
        this.progress = progress;
        this.writer = Thread.ofVirtual().name("mail-sink-writer").unstarted(this::writeNewMessages);
    }

    /** Starts an SMTP server on 127.0.0.1:{@code port}; messages also go to {@code directory} as text files. */
    static MailSink start(int port, Path directory, Consumer<String> progress) throws SuiteException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new SuiteException("cannot create the mail directory " + directory + ": " + e.getMessage(), e);
        }
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        MailSink sink = new MailSink(server, port, directory, progress);
        sink.writer.start();
        return sink;
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    /** Every message received so far, oldest first. */
    public List<Mail> messages() {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage message : server.getReceivedMessages()) {
            mails.add(read(message));
        }
        return mails;
    }

    /** The messages to {@code address} so far, oldest first. */
    public List<Mail> to(String address) {
        return messages().stream().filter(m -> m.to().equalsIgnoreCase(address)).toList();
    }

    /**
     * The {@code n}-th message (from 0) to {@code address}, waiting up to {@code timeout} for it: take {@code n}
     * from {@code to(address).size()} before the action that mails.
     */
    public Optional<Mail> await(String address, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Mail> mails = to(address);
            if (mails.size() > n) {
                return Optional.of(mails.get(n));
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static Mail read(MimeMessage message) {
        try {
            var recipients = message.getRecipients(RecipientType.TO);
            String to = recipients == null || recipients.length == 0 ? "" : recipients[0].toString();
            return new Mail(to, message.getSubject(), GreenMailUtil.getBody(message));
        } catch (MessagingException e) {
            return new Mail("", "(unreadable: " + e.getMessage() + ")", "");
        }
    }

    // Polls rather than hooking GreenMail's internals; half a second is quick enough for a person reading mail.
    private void writeNewMessages() {
        while (!Thread.currentThread().isInterrupted()) {
            List<Mail> mails = messages();
            for (; written < mails.size(); written++) {
                Mail mail = mails.get(written);
                Path file = directory.resolve(
                        String.format("%04d-%s.txt", written + 1, mail.to().replaceAll("[^A-Za-z0-9@._-]", "_")));
                try {
                    Files.writeString(file, "To: " + mail.to() + "\nSubject: " + mail.subject() + "\n\n" + mail.body());
                    progress.accept("mail to " + mail.to() + ": " + mail.subject() + " (" + file + ")");
                } catch (IOException e) {
                    progress.accept("cannot write " + file + ": " + e.getMessage());
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        writer.interrupt();
        server.stop();
    }
}
