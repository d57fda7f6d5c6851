// SPDX-License-Identifier: MIT
package io.jwg.cli;

/**
 * The daemon could not start; the message is the one line the user sees after {@code jwg: }.
 * The cause, if any, is only shown with {@code LOG_LEVEL=debug}.
 */
final class StartupFailure extends Exception {
    StartupFailure(String message) {
        super(message);
    }

    StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
