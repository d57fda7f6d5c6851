// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

/** A request line was refused; {@link #error()} is what the reply's {@code errno=} line reports. */
final class UapiException extends Exception {
    private final UapiError error;

    UapiException(UapiError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    UapiError error() {
        return error;
    }
}
