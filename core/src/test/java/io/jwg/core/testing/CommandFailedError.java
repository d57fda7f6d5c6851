// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

/**
 * A fixture command that had to succeed did not. It is an {@link AssertionError} so that JUnit
 * reports it as a test failure (not an error in the test itself), and its message carries the
 * command's full output, which is usually all one needs to see why a namespace setup went wrong.
 */
public final class CommandFailedError extends AssertionError {

    private final transient CommandResult result;

    public CommandFailedError(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    /** The failed command's result. */
    public CommandResult result() {
        return result;
    }
}
