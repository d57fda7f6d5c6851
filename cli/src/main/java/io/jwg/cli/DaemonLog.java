// SPDX-License-Identifier: MIT
package io.jwg.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon's logging, configured like wireguard-go's: the {@code LOG_LEVEL} environment variable
 * chooses {@code silent}, {@code error} (the default), {@code verbose} or {@code debug}, and every
 * record becomes one line on standard error, {@code LEVEL: (IFNAME) yyyy/MM/dd HH:mm:ss message},
 * the shape of wireguard-go's {@code DEBUG: (wg0) 2026/11/22 12:00:00 ...} lines.
 *
 * <p>jwg's own code logs through {@link System.Logger}, which lands in java.util.logging; the
 * level applies to the {@code io.jwg} loggers. Everything else (Netty) only reaches the output at
 * warning level and above, or info with {@code debug}. A throwable adds its one-line description;
 * only {@code debug} prints stack traces, so a user never sees one otherwise.
 *
 * <p>Thread-safe: lines are written whole under the handler's lock.
 */
final class DaemonLog {
    /** The environment variable wireguard-go reads. */
    static final String ENV = "LOG_LEVEL";

    /** The levels wireguard-go knows, plus {@code debug} as more detailed than {@code verbose}. */
    enum Verbosity {
        SILENT(Level.OFF), ERROR(Level.WARNING), VERBOSE(Level.INFO), DEBUG(Level.ALL);

        final Level julLevel;

        Verbosity(Level julLevel) {
            this.julLevel = julLevel;
        }

        /** Like wireguard-go: unknown or missing values mean {@code error}. */
        static Verbosity parse(String value) {
            if (value == null) {
                return ERROR;
            }
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "silent" -> SILENT;
                case "verbose" -> VERBOSE;
                case "debug" -> DEBUG;
                default -> ERROR;
            };
        }
    }

    /** Strong references: java.util.logging forgets the level of a logger nobody holds. */
    private static Logger jwgLogger;
    private static Logger rootLogger;
    private static LineHandler handler;

    private DaemonLog() {}

    /** Sends every log record of this JVM through one {@link LineHandler} on {@code out}. */
    static synchronized Verbosity install(String interfaceName, PrintStream out) {
        Verbosity v = Verbosity.parse(System.getenv(ENV));
        LogManager.getLogManager().reset();
        handler = new LineHandler(out, interfaceName, v == Verbosity.DEBUG);
        handler.setLevel(Level.ALL);
        rootLogger = Logger.getLogger("");
        rootLogger.setLevel(v == Verbosity.SILENT ? Level.OFF : v == Verbosity.DEBUG ? Level.INFO : Level.WARNING);
        rootLogger.addHandler(handler);
        jwgLogger = Logger.getLogger("io.jwg");
        jwgLogger.setLevel(v.julLevel);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Logger.getLogger("io.jwg.cli")
                .log(Level.SEVERE, "thread " + t.getName() + " failed", e));
        return v;
    }

    /**
     * Writes a line straight to the handler: used while the JVM shuts down on a signal, when
     * java.util.logging's own shutdown hook may already have detached the handler from its loggers.
     */
    static synchronized void direct(Level level, String message) {
        if (handler != null && jwgLogger != null && jwgLogger.isLoggable(level)) {
            LogRecord r = new LogRecord(level, message);
            r.setLoggerName("io.jwg.cli");
            handler.publish(r);
        }
    }

    /** One line per record; never closes the stream it writes to. */
    static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out, String interfaceName, boolean stackTraces) {
            this.out = out;
            setFormatter(new LineFormatter(interfaceName, stackTraces));
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                out.print(getFormatter().format(record));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** {@code LEVEL: (IFNAME) yyyy/MM/dd HH:mm:ss message[: throwable]}. */
    static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
        private final String interfaceName;
        private final boolean stackTraces;

        LineFormatter(String interfaceName, boolean stackTraces) {
            this.interfaceName = interfaceName;
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(128);
            sb.append(tag(r.getLevel())).append(": (").append(interfaceName).append(") ")
                    .append(TIME.format(LocalDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault())))
                    .append(' ').append(formatMessage(r));
            Throwable t = r.getThrown();
            if (t != null) {
                sb.append(": ").append(t.getMessage() != null ? t.getMessage() : t.toString());
            }
            sb.append('\n');
            if (t != null && stackTraces) {
                StringWriter w = new StringWriter();
                t.printStackTrace(new PrintWriter(w));
                sb.append(w);
            }
            return sb.toString();
        }

        static String tag(Level level) {
            int v = level.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (v >= Level.WARNING.intValue()) {
                return "WARNING";
            }
            if (v >= Level.INFO.intValue()) {
                return "INFO";
            }
            return "DEBUG";
        }
    }
}
