// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.util.List;

/**
 * What an external command did: its exit code and everything it printed.
 *
 * @param command the full argv, as run (including any {@code ip netns exec NS} prefix)
 * @param exitCode the exit status; meaningless when {@code timedOut}
 * @param stdout everything written to standard output
 * @param stderr everything written to standard error
 * @param timedOut true when the command was killed for running past its timeout
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /** True when the command finished in time with exit status 0. */
    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /**
     * Returns this result when {@link #ok()}, otherwise fails the test with the command's output.
     *
     * @throws CommandFailedError when the command failed or timed out
     */
    public CommandResult orThrow() {
        if (!ok()) {
            throw new CommandFailedError(this);
        }
        return this;
    }

    /** A multi-line description for failure messages: command, status, and both outputs. */
    public String describe() {
        StringBuilder sb = new StringBuilder("command: ").append(String.join(" ", command)).append('\n');
        sb.append(timedOut ? "status: timed out (killed)" : "status: exit " + exitCode).append('\n');
        if (!stdout.isBlank()) {
            sb.append("stdout:\n").append(stdout.stripTrailing()).append('\n');
        }
        if (!stderr.isBlank()) {
            sb.append("stderr:\n").append(stderr.stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
