// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code jwg} command: wireguard-go's contract {@code jwg [-f|--foreground] INTERFACE-NAME}
 * for the daemon, plus the key tools of wg(8). The ./jwg launcher script runs it on a JDK >= 21.
 */
@Command(name = "jwg", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A userspace WireGuard implementation in Java.%n"
                + "Run as a daemon: jwg [-f|--foreground] INTERFACE-NAME, then configure it with wg(8) or wg-quick(8).",
        subcommands = {Main.GenKey.class, Main.PubKey.class, Main.GenPsk.class})
public final class Main implements Callable<Integer> {
    static final String PROG = "jwg";

    @Option(names = {"-f", "--foreground"}, description = "Stay in the foreground instead of daemonizing.")
    boolean foreground;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INTERFACE-NAME", description = "The TUN interface to create.")
    String interfaceName;

    @Override
    public Integer call() {
        if (interfaceName == null) {
            System.err.println("Usage: " + PROG + " [-f/--foreground] INTERFACE-NAME");
            return 1;
        }
        return Daemon.run(interfaceName, foreground);
    }

    @Command(name = "genkey", description = "Generates a new private key and writes it to stdout (or --output, mode 0600).")
    static final class GenKey implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the key to FILE, created with mode 0600.")
        Path output;

        @Override
        public Integer call() {
            return new KeyTool(PROG, System.out, System.err).genkey(output);
        }
    }

    @Command(name = "genpsk", description = "Generates a new preshared key and writes it to stdout (or --output, mode 0600).")
    static final class GenPsk implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the key to FILE, created with mode 0600.")
        Path output;

        @Override
        public Integer call() {
            return new KeyTool(PROG, System.out, System.err).genpsk(output);
        }
    }

    @Command(name = "pubkey", description = "Reads a private key from stdin and writes its public key to stdout.")
    static final class PubKey implements Callable<Integer> {
        @Override
        public Integer call() throws java.io.IOException {
            return new KeyTool(PROG, System.out, System.err).pubkey(System.in);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jwg " + (v == null ? "development build" : v)};
        }
    }

    public static void main(String[] args) {
        // The daemon's command line as the launcher passes it, parsed by hand: picocli's classes
        // (and the reflection behind them) then never load into a process that lives for months.
        if (args.length == 2 && (args[0].equals("-f") || args[0].equals("--foreground"))
                && !args[1].startsWith("-")) {
            System.exit(Daemon.run(args[1], true));
        }
        CommandLine cmd = new CommandLine(new Main());
        // A bad argument gets one line and the usage, never a stack trace.
        cmd.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println(PROG + ": " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return 1;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(PROG + ": " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        System.exit(cmd.execute(args));
    }
}
