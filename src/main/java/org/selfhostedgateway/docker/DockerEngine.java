package org.selfhostedgateway.docker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Calls into the engine, turning "the engine is not there" into one exception type. */
@Component
@ConditionalOnProperty(name = "gateway.docker.enabled", havingValue = "true", matchIfMissing = true)
class DockerEngine {

    private final DockerClient docker;
    private final DockerProperties properties;

    DockerEngine(DockerClient docker, DockerProperties properties) {
        this.docker = docker;
        this.properties = properties;
    }

    DockerClient client() {
        return docker;
    }

    DockerProperties properties() {
        return properties;
    }

    /** Runs a call; an engine that cannot be reached becomes {@link DockerUnavailableException}. */
    <T> T call(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (DockerException e) {
            throw e; // the engine answered: the caller decides what the error means
        }
        catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                throw new DockerUnavailableException(properties.host(), e);
            }
            throw e;
        }
    }

    /** One round trip to the engine; throws {@link DockerUnavailableException} when it does not answer. */
    void ping() {
        run(() -> docker.pingCmd().exec());
    }

    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /** Runs a command inside a container and waits for it at most {@code timeout}. */
    ExecResult exec(Duration timeout, String containerId, String... command) {
        return call(() -> {
            ExecCreateCmdResponse exec = docker.execCreateCmd(containerId).withCmd(command).withAttachStdout(true)
                    .withAttachStderr(true).exec();
            StringBuilder output = new StringBuilder();
            try {
                boolean finished = docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    return new ExecResult(false,
                            String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecResult(false, "interrupted");
            }
            Long exitCode = docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong();
            return new ExecResult(exitCode != null && exitCode == 0, output.toString().trim());
        });
    }

    /** What a command run inside a container printed and whether it succeeded. */
    record ExecResult(boolean success, String output) {
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }
}
