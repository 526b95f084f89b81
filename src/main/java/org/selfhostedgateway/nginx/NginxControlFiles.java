package org.selfhostedgateway.nginx;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Asks the gateway NGINX containers to check or reload through files beside the map, which they watch
 * (images/gateway-nginx): {@code control/request} holds "{@code <id> <action>}", each instance answers in
 * {@code control/result-<hostname>} with the id, "ok" or "failed", and NGINX's own words. No process is started
 * in the containers, and nothing here needs to reach them but the shared directory.
 */
final class NginxControlFiles {

    static final String DIR = "control";

    private final Path control;

    NginxControlFiles(Path linksDir) {
        this.control = linksDir.resolve(DIR);
    }

    /** What the instances said: all ok (with the words they all said), or the first failure's words. */
    record Answer(boolean ok, String words) {
    }

    /** Asks every one of {@code instances} to do {@code action} and waits for all answers, or the first failure. */
    Answer ask(String action, int instances, Duration timeout) throws IOException {
        Files.createDirectories(control);
        String id = UUID.randomUUID().toString();
        writeAtomically(control.resolve("request"), id + " " + action + "\n");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String[]> answers = answersTo(id);
            for (String[] answer : answers) {
                if (!"ok".equals(answer[1])) {
                    return new Answer(false, answer[2].isBlank() ? "no reason given" : answer[2].strip());
                }
            }
            if (answers.size() >= instances) {
                // What every instance said beside "ok" (an instance may name what it supports), else nothing.
                String said = answers.get(0)[2].strip();
                return new Answer(true, answers.stream().allMatch(answer -> answer[2].strip().equals(said)) ? said
                        : "");
            }
            if (System.nanoTime() > deadline) {
                return new Answer(false, "no answer within " + timeout.toSeconds() + " s (" + answers.size() + " of "
                        + instances + " NGINX containers answered; is the gateway-nginx image current?)");
            }
            try {
                Thread.sleep(2);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(false, "interrupted");
            }
        }
    }

    /** Answers carrying this id: {id, outcome, words}. */
    private List<String[]> answersTo(String id) throws IOException {
        List<String[]> answers = new ArrayList<>();
        try (DirectoryStream<Path> results = Files.newDirectoryStream(control, "result-*")) {
            for (Path result : results) {
                String[] lines;
                try {
                    lines = Files.readString(result, StandardCharsets.UTF_8).split("\n", 3);
                }
                catch (IOException replacedMeanwhile) {
                    continue;
                }
                if (lines.length >= 2 && lines[0].equals(id)) {
                    answers.add(new String[] {id, lines[1], lines.length > 2 ? lines[2] : ""});
                }
            }
        }
        return answers;
    }

    /** Written beside its final name and renamed over it: a reader sees the old file or the new one, whole. */
    static void writeAtomically(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(content));
                channel.force(true);
            }
            // NGINX runs as another user in its own container: these files must be readable by all (no secret).
            temp.toFile().setReadable(true, false);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }
}
