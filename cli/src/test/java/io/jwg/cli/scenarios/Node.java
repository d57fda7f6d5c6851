// SPDX-License-Identifier: MIT
package io.jwg.cli.scenarios;

import io.jwg.core.testing.CommandResult;
import io.jwg.core.testing.Netns;
import io.jwg.core.testing.Ping;
import io.jwg.core.testing.UniqueNames;
import io.jwg.core.testing.WgDump;
import io.jwg.core.testing.WgKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One host of a scenario: a network namespace whose WireGuard interfaces are brought up exactly
 * as users do it, with {@code wg-quick up FILE} and {@code WG_QUICK_USERSPACE_IMPLEMENTATION}
 * pointing at {@code ./jwg} (or at a wrapper starting wireguard-go). Closing the node takes its
 * interfaces down and removes the namespace with everything in it.
 */
public final class Node implements AutoCloseable {
    private static final Duration WG_QUICK = Duration.ofSeconds(60);
    private static final Path REPO = Path.of(System.getProperty("jwg.repo", System.getProperty("user.dir") + "/.."));

    private final String label;
    private final Impl impl;
    private final Netns ns;
    private final Path dir;
    private final Map<String, Path> configs = new HashMap<>();
    private final List<String> up = new ArrayList<>();
    private final Map<String, WgKeys> keys = new HashMap<>();

    /** A node named {@code label} (for messages) running {@code impl}. */
    public Node(String label, Impl impl) {
        this.label = label;
        this.impl = impl;
        this.ns = Netns.create("sc");
        try {
            this.dir = Files.createTempDirectory("jwg-scenario-" + label + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            ns.close();
            throw new UncheckedIOException(e);
        }
    }

    public Netns netns() {
        return ns;
    }

    public String label() {
        return label;
    }

    public Impl impl() {
        return impl;
    }

    /** A fresh interface name, unique on this machine (the UAPI socket directory is shared). */
    public static String ifname(String base) {
        return UniqueNames.next(base);
    }

    /** This node's key pair for {@code role} (generated once, e.g. one per interface). */
    public WgKeys keys(String role) {
        return keys.computeIfAbsent(role, r -> WgKeys.generate());
    }

    /**
     * Writes {@code config} as {@code IFNAME.conf} (0600; wg-quick names the interface after the
     * file) and runs {@code wg-quick up} on it.
     */
    public CommandResult up(String ifname, String config) {
        return up(ifname, config, Map.of());
    }

    /** Writes {@code IFNAME.conf} (0600 in this node's private directory) and remembers it. */
    private Path writeConfig(String ifname, String config) {
        Path file = dir.resolve(ifname + ".conf");
        try {
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        configs.put(ifname, file);
        return file;
    }

    /** {@code env [WG_QUICK_USERSPACE_IMPLEMENTATION=... ENV...] wg-quick up FILE} in this namespace. */
    private CommandResult wgQuickUp(Path file, Map<String, String> env) {
        List<String> argv = new ArrayList<>(List.of("env", "WG_QUICK_USERSPACE_IMPLEMENTATION=" + implementation()));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(List.of("wg-quick", "up", file.toString()));
        return ns.exec(WG_QUICK, argv.toArray(String[]::new));
    }

    /** {@code wg-quick down} for an interface brought up by {@link #up}. */
    public CommandResult down(String ifname) {
        Path file = configs.get(ifname);
        up.remove(ifname);
        return ns.exec(WG_QUICK, "wg-quick", "down", file.toString());
    }

    /** The config file wg-quick was given for {@code ifname} (for {@code wg-quick strip}). */
    public Path config(String ifname) {
        return configs.get(ifname);
    }

    /** Runs a command in this node's namespace, failing the test with its output if it fails. */
    public CommandResult run(String... argv) {
        return ns.execOk(argv);
    }

    /** Runs a command in this node's namespace and returns whatever happened. */
    public CommandResult exec(String... argv) {
        return ns.exec(argv);
    }

    /** Runs a shell command line in this node's namespace (for pipes and process substitution). */
    public CommandResult sh(String commandLine) {
        return ns.exec(WG_QUICK, "bash", "-c", commandLine);
    }

    /** {@code wg show IFNAME dump}, parsed. */
    public WgDump dump(String ifname) {
        return WgDump.parse(ns.execOk("wg", "show", ifname, "dump").stdout());
    }

    /** True when an ICMP echo to {@code address} from this node is answered within {@code timeout}. */
    public boolean reaches(String address, Duration timeout) {
        return Ping.reachable(ns, address, timeout);
    }

    private String implementation() {
        if (impl == Impl.JWG) {
            return REPO.resolve("jwg").toString();
        }
        Path wrapper = dir.resolve("wireguard-go-ready");
        if (!Files.exists(wrapper)) {
            try {
                // wireguard-go started so that the command returns only once its socket exists,
                // as ./jwg does (Debian's wireguard-go daemonizes unreliably here).
                Files.writeString(wrapper, """
                        #!/bin/sh
                        setsid env WG_PROCESS_FOREGROUND=1 wireguard-go -f "$1" </dev/null >/dev/null 2>&1 &
                        i=0
                        while [ $i -lt 200 ]; do [ -S "/var/run/wireguard/$1.sock" ] && exit 0; sleep 0.05; i=$((i+1)); done
                        exit 1
                        """);
                wrapper.toFile().setExecutable(true, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return wrapper.toString();
    }

    @Override
    public void close() {
        for (String ifname : List.copyOf(up)) {
            down(ifname);
        }
        ns.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    @Override
    public String toString() {
        return label + "(" + impl.label + ", " + ns.name() + ")";
    }

    /**
     * {@link #up} with extra environment variables for wg-quick and the daemon it starts (e.g.
     * {@code JWG_METRICS=10.13.0.1:9586}), as {@code JWG_METRICS=... wg-quick up FILE} would.
     */
    public CommandResult up(String ifname, String config, Map<String, String> env) {
        CommandResult r = wgQuickUp(writeConfig(ifname, config), env);
        if (!r.ok()) {
            throw new AssertionError(label + ": wg-quick up " + ifname + " failed\n" + r.describe());
        }
        up.add(ifname);
        return r;
    }

    /**
     * Brings several interfaces up at once, as {@link #up} brings up one: the files are written
     * first, then every {@code wg-quick up} runs on a thread of its own, so that a node with many
     * interfaces is not as slow as starting their daemons one after another. Fails, after all have
     * ended, with the output of every one that failed.
     */
    public void upAll(Map<String, String> configByIfname) {
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        configByIfname.forEach((ifname, config) -> files.put(ifname, writeConfig(ifname, config)));
        implementation(); // writes the wireguard-go wrapper once, before the threads start
        Map<String, java.util.concurrent.Future<CommandResult>> results = new java.util.LinkedHashMap<>();
        try (var threads = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().factory())) {
            files.forEach((ifname, file) -> results.put(ifname, threads.submit(() -> wgQuickUp(file, Map.of()))));
        }
        StringBuilder failures = new StringBuilder();
        results.forEach((ifname, result) -> {
            CommandResult r;
            try {
                r = result.get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                failures.append(label).append(": wg-quick up ").append(ifname).append(": ").append(e).append('\n');
                return;
            }
            if (r.ok()) {
                up.add(ifname);
            } else {
                failures.append(label).append(": wg-quick up ").append(ifname).append(" failed\n")
                        .append(r.describe()).append('\n');
            }
        });
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.toString());
        }
    }
}
