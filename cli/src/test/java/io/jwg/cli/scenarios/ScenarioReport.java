// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Names each scenario with its result and the time it took, as it finishes, and prints the whole
 * table when the test JVM ends; the table is also kept in {@code cli/target/scenarios.txt}.
 * Scenario names are the tests' display names.
 */
public final class ScenarioReport implements BeforeTestExecutionCallback, AfterTestExecutionCallback {
    private static final List<String> ROWS = new ArrayList<>();
    private static final Path FILE = Path.of("target", "scenarios.txt");
    private static boolean hooked;

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(ExtensionContext.Namespace.create(getClass(), context.getUniqueId()))
                .put("start", System.nanoTime());
        synchronized (ROWS) {
            if (!hooked) {
                hooked = true;
                Runtime.getRuntime().addShutdownHook(new Thread(ScenarioReport::printTable));
            }
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Long start = context.getStore(ExtensionContext.Namespace.create(getClass(), context.getUniqueId()))
                .get("start", Long.class);
        double seconds = start == null ? 0 : (System.nanoTime() - start) / 1e9;
        String result = context.getExecutionException().isPresent() ? "FAIL" : "pass";
        String row = String.format(Locale.ROOT, "%-62s %-4s %7.1f s", context.getDisplayName(), result, seconds);
        System.out.println("SCENARIO " + row);
        synchronized (ROWS) {
            ROWS.add(row);
            try {
                Files.createDirectories(FILE.getParent());
                Files.writeString(FILE, row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the table on standard output is what matters
            }
        }
    }

    private static void printTable() {
        synchronized (ROWS) {
            if (ROWS.isEmpty()) {
                return;
            }
            StringBuilder sb = new StringBuilder("\nScenarios\n");
            sb.append(String.format(Locale.ROOT, "%-62s %-4s %9s%n", "scenario", "", "time"));
            ROWS.stream().sorted().forEach(r -> sb.append(r).append('\n'));
            System.out.print(sb);
        }
    }
}
