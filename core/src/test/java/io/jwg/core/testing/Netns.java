// SPDX-License-Identifier: MIT
package io.jwg.core.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named Linux network namespace ({@code ip netns add}, see ip-netns(8)) with its loopback up:
 * an isolated network stack in which a test may create interfaces, addresses and sockets without
 * touching the host's network or any other test's.
 *
 * <p>Commands run inside it through {@code ip netns exec}, each with a timeout. {@link #close()}
 * undoes everything: resources handed to {@link #own} are closed (newest first), every process
 * started here or still living in the namespace is killed, and the namespace is deleted, which
 * also deletes every interface in it. Closing twice is harmless, and a shutdown hook closes a
 * namespace a test forgot.
 *
 * <p>Thread-safe: commands may run concurrently; {@code close} may be called from any thread.
 */
public final class Netns implements AutoCloseable {

    /** Where {@code ip netns} keeps the bind mounts that name namespaces. */
    public static final Path NETNS_DIR = Path.of("/var/run/netns");

    /** Time given to a background process to exit after SIGTERM before it gets SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private static final File DEV_NULL = new File("/dev/null");

    private final String name;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final List<Process> started = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Netns(String name) {
        this.name = name;
    }

    /** Creates a namespace named {@code jwgn<unique>} with {@code lo} up. */
    public static Netns create() {
        return create("jwgn");
    }

    /**
     * Creates a namespace named {@code prefix<unique>} with {@code lo} up.
     *
     * @param prefix see {@link UniqueNames#next(String)}
     */
    public static Netns create(String prefix) {
        Netns ns = new Netns(UniqueNames.next(prefix));
        Commands.runOk("ip", "netns", "add", ns.name);
        ShutdownCleanup.register(ns);
        try {
            ns.execOk("ip", "link", "set", "lo", "up");
        } catch (RuntimeException | Error e) {
            ns.closeSuppressing(e);
            throw e;
        }
        return ns;
    }

    /** The namespace's name, as {@code ip netns list} shows it. */
    public String name() {
        return name;
    }

    /** The file whose {@code open} + {@code setns(2)} enters this namespace. */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /** True while the namespace is listed by {@code ip netns}. */
    public boolean exists() {
        return Files.exists(path());
    }

    /** Runs {@code argv} inside the namespace with {@link Commands#DEFAULT_TIMEOUT}. */
    public CommandResult exec(String... argv) {
        return exec(Commands.DEFAULT_TIMEOUT, argv);
    }

    /** Runs {@code argv} inside the namespace, killing it when {@code timeout} expires. */
    public CommandResult exec(Duration timeout, String... argv) {
        return Commands.run(timeout, null, inside(argv));
    }

    /** Runs {@code argv} inside the namespace and fails the test with its output unless it exits 0. */
    public CommandResult execOk(String... argv) {
        return exec(argv).orThrow();
    }

    /** As {@link #execOk(String...)} with an explicit timeout. */
    public CommandResult execOk(Duration timeout, String... argv) {
        return exec(timeout, argv).orThrow();
    }

    /**
     * Starts {@code argv} inside the namespace in the background, stdin from {@code /dev/null} and
     * stdout+stderr appended to {@code log}. The process is killed by {@link #close()} at the
     * latest. {@code ip netns exec} execs the command in place, so the returned process is the
     * command itself.
     */
    public Process start(Path log, String... argv) {
        synchronized (started) {
            if (closed.get()) {
                throw new IllegalStateException("namespace " + name + " is closed");
            }
            try {
                Process p = new ProcessBuilder(inside(argv))
                        .redirectInput(Redirect.from(DEV_NULL))
                        .redirectOutput(Redirect.appendTo(log.toFile()))
                        .redirectErrorStream(true)
                        .start();
                started.add(p);
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + String.join(" ", argv) + " in " + name, e);
            }
        }
    }

    /**
     * Hands {@code resource} to this namespace: {@link #close()} closes it (newest first) before
     * killing processes and deleting the namespace, so it may still clean up inside the namespace.
     * Closing it earlier is fine; it should then tolerate a second close.
     */
    public <T extends AutoCloseable> T own(T resource) {
        synchronized (owned) {
            owned.push(resource);
        }
        return resource;
    }

    /** Ids of the processes whose network namespace this is ({@code ip netns pids}). */
    public List<Long> pids() {
        CommandResult r = Commands.run("ip", "netns", "pids", name);
        if (!r.ok()) {
            return List.of();
        }
        return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
    }

    /**
     * Closes owned resources, kills every process started here or living in the namespace, and
     * deletes the namespace. Every step runs even when an earlier one fails; failures are thrown
     * afterwards, together.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Throwable> failures = new ArrayList<>();
        List<AutoCloseable> resources;
        synchronized (owned) {
            resources = new ArrayList<>(owned);
            owned.clear();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception | AssertionError e) {
                failures.add(e);
            }
        }
        List<Process> processes;
        synchronized (started) {
            processes = new ArrayList<>(started);
        }
        processes.forEach(p -> Processes.kill(p.toHandle(), STOP_GRACE));
        pids().forEach(pid -> Processes.kill(pid, STOP_GRACE));
        CommandResult del = Commands.run("ip", "netns", "del", name);
        if (!del.ok() && exists()) {
            failures.add(new CommandFailedError(del));
        }
        ShutdownCleanup.unregister(this);
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("cleanup of namespace " + name + " failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    private void closeSuppressing(Throwable primary) {
        try {
            close();
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    private List<String> inside(String... argv) {
        List<String> cmd = new ArrayList<>(argv.length + 4);
        cmd.addAll(List.of("ip", "netns", "exec", name));
        cmd.addAll(Arrays.asList(argv));
        return cmd;
    }
}
