// SPDX-License-Identifier: MIT
package io.jwg.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the handshake and data-path micro-benchmarks (issue "Performance") with JMH's allocation
 * profiler, writes JMH's JSON and prints one table in common units (ns/op and ops/s, whatever
 * mode each benchmark runs in) with the allocated bytes per operation, then the target:
 * at least {@link #RESPONDER_TARGET} responder handshakes per second per core. A benchmark
 * thread is one core, so the responder's ops/s is that figure. Iteration counts come from each
 * benchmark's annotations.
 *
 * <p>Usage: {@code MicroSuite RESULT.json [REGEX...]}; the regexes (JMH includes) default to the
 * suites below.
 */
public final class MicroSuite {
    static final double RESPONDER_TARGET = 4_000;
    static final String RESPONDER = HandshakeBenchmark.class.getName() + ".responder";

    private static final List<String> SUITES = List.of(
            HandshakeBenchmark.class.getName(),
            X25519Benchmark.class.getName(),
            AllowedIpsBenchmark.class.getName(),
            ReplayWindowBenchmark.class.getName(),
            "io.jwg.core.IndexTableBenchmark");

    private MicroSuite() {}

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length < 1) {
            System.err.println("usage: MicroSuite RESULT.json [REGEX...]");
            System.exit(2);
        }
        Path json = Path.of(args[0]);
        Files.createDirectories(json.toAbsolutePath().getParent());
        List<String> includes = args.length > 1
                ? List.of(args).subList(1, args.length)
                : SUITES.stream().map(suite -> "^" + suite.replace(".", "\\.") + "\\.").toList();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true);
        includes.forEach(options::include);
        Collection<RunResult> results = new Runner(options.build()).run();
        PrintStream out = System.out;
        out.println();
        printTable(out, results);
        out.println();
        printVerdict(out, results);
        out.println("JSON: " + json);
    }

    /** One row per benchmark and parameter set, in suite order. */
    static void printTable(PrintStream out, Collection<RunResult> results) {
        String format = "%-46s %-14s %13s %9s %13s %13s %11s%n";
        out.printf(format, "Benchmark", "Params", "ns/op", "error", "median ns/op", "ops/s", "alloc B/op");
        out.println("-".repeat(46 + 14 + 13 + 9 + 13 + 13 + 11 + 6));
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(MicroSuite::suiteOrder)
                .thenComparing(r -> r.getParams().getBenchmark())
                .thenComparing(MicroSuite::params));
        for (RunResult r : sorted) {
            Result<?> primary = r.getPrimaryResult();
            String unit = primary.getScoreUnit();
            double ns = nanosPerOp(primary.getScore(), unit);
            double median = nanosPerOp(primary.getStatistics().getPercentile(50), unit);
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            out.printf(Locale.ROOT, format,
                    shortName(r.getParams().getBenchmark()),
                    params(r),
                    String.format(Locale.ROOT, "%,.1f", ns),
                    String.format(Locale.ROOT, "±%.0f%%", 100 * primary.getScoreError() / primary.getScore()),
                    String.format(Locale.ROOT, "%,.1f", median),
                    String.format(Locale.ROOT, "%,.0f", 1e9 / ns),
                    alloc == null ? "-" : String.format(Locale.ROOT, "%,.0f", alloc.getScore()));
        }
        out.println("ns/op and ops/s: mean over the measured iterations (one thread, i.e. one core);"
                + " error: JMH's 99.9% confidence half-width relative to the mean; median: of the iterations,"
                + " less swayed by a noisy neighbour; alloc: gc.alloc.rate.norm.");
    }

    private static int suiteOrder(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        for (int i = 0; i < SUITES.size(); i++) {
            if (benchmark.startsWith(SUITES.get(i) + ".")) {
                return i;
            }
        }
        return SUITES.size();
    }

    /** The responder figure and whether its confidence interval clears the target. */
    static void printVerdict(PrintStream out, Collection<RunResult> results) {
        RunResult responder = results.stream()
                .filter(r -> r.getParams().getBenchmark().equals(RESPONDER))
                .findFirst().orElse(null);
        if (responder == null) {
            out.println("Responder handshakes per second per core: not measured in this run.");
            return;
        }
        Result<?> p = responder.getPrimaryResult();
        double perSecond = 1e9 / nanosPerOp(p.getScore(), p.getScoreUnit());
        double[] ci = p.getScoreConfidence(); // time per op: the high end is the low rate
        double low = 1e9 / nanosPerOp(ci[1], p.getScoreUnit());
        double high = 1e9 / nanosPerOp(ci[0], p.getScoreUnit());
        String verdict = low >= RESPONDER_TARGET ? "MET"
                : high < RESPONDER_TARGET ? "NOT MET"
                : "INCONCLUSIVE (the confidence interval spans the target; rerun on a quiet machine)";
        out.printf(Locale.ROOT, "Responder handshakes per second per core: %,.0f (99.9%% CI %,.0f .. %,.0f)%n",
                perSecond, low, high);
        out.printf(Locale.ROOT, "Target (issue \"Performance\"): at least %,.0f per second per core -> %s%n",
                RESPONDER_TARGET, verdict);
    }

    static double nanosPerOp(double score, String unit) {
        return switch (unit) {
            case "ops/s" -> 1e9 / score;
            case "ops/ms" -> 1e6 / score;
            case "ops/us" -> 1e3 / score;
            case "s/op" -> score * 1e9;
            case "ms/op" -> score * 1e6;
            case "us/op" -> score * 1e3;
            case "ns/op" -> score;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
        };
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    private static String params(RunResult r) {
        Collection<String> keys = r.getParams().getParamsKeys();
        return keys.isEmpty() ? "" : keys.stream()
                .map(k -> k + "=" + r.getParams().getParam(k))
                .collect(Collectors.joining(","));
    }
}
