// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wg-quick configuration files under {@code examples/}, kept readable for users: keys and
 * other per-deployment values appear as {@code {{name}}} placeholders, which a scenario fills in
 * (fresh keys, the interface's unique name). Reading one that still has an unfilled placeholder
 * fails loudly.
 */
public final class Examples {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)\\}\\}");

    private Examples() {}

    /** The repository's examples directory. */
    public static Path dir() {
        return Path.of(System.getProperty("jwg.repo", System.getProperty("user.dir") + "/..")).resolve("examples");
    }

    /** The text of {@code examples/<relative>} with every {@code {{name}}} replaced from {@code values}. */
    public static String render(String relative, Map<String, String> values) {
        String text;
        try {
            text = Files.readString(dir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read example " + relative, e);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(relative + ": no value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
