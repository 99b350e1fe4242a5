package dev.lethe.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One JMH benchmark against another of the same class, call by call: the ratio of their
 * times where the machine is too noisy for two separate JMH measurements to give one.
 *
 * <p>JMH measures a class's benchmarks one after another, seconds apart, and on a shared
 * machine the load in those seconds moves a 10M-float kernel by ±30 % (the README's copy
 * baselines ranged 1.45–2.5 ms between runs). Here the two methods alternate on one state
 * object, kernel–baseline then baseline–kernel, and each pair gives one ratio kernel/baseline
 * from two calls made milliseconds apart, so load that lasts longer than a pair cancels. The
 * result is the median of those ratios with its quartiles, beside each method's median time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp bench/target/benchmarks.jar \
 *     dev.lethe.bench.PairedRatio ElementwiseBench.expOut ElementwiseBench.copy size=10000000 threads=1
 * </pre>
 * The class is looked up as given, then in {@code dev.lethe.bench} and {@code dev.lethe.cpu};
 * both methods must be {@code @Benchmark}s of it. {@code name=value} sets a {@code @Param}
 * field; one left out takes the first value its annotation lists. {@code @Setup} and
 * {@code @TearDown} methods run at their levels (an invocation's outside the clock; the pairs
 * count as one iteration).
 * {@code --warmup S} (default 3) seconds of pairs are discarded, then {@code --time S}
 * (default 5) seconds are measured, at least 11 pairs. Start the JVM with the flags of
 * {@link BenchDefaults}' forks, as above. Calls go through reflection, tens of nanoseconds
 * each, so the method should take microseconds or more.
 */
public final class PairedRatio {
    private static final String[] PACKAGES = {"", "dev.lethe.bench.", "dev.lethe.cpu."};
    private static final int MIN_PAIRS = 11;

    /** Keeps every result reachable, so no call can be dropped as dead. */
    private static volatile Object sink;

    private final Object state;
    private final Method kernel, baseline;
    private final List<Method> trialSetups, iterationSetups, invocationSetups, invocationTearDowns, iterationTearDowns, trialTearDowns;
    private final Map<String, String> params;

    /** One of the three medians: its value and quartiles. */
    record Median(double median, double lower, double upper) {
        /** The median and quartiles of {@code values} (sorted copy; the midpoint of two middles for even counts). */
        static Median of(double[] values) {
            if (values.length == 0) throw new IllegalArgumentException("no values: expected at least one");
            double[] v = values.clone();
            Arrays.sort(v);
            return new Median(quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75));
        }

        private static double quantile(double[] sorted, double q) {
            double at = q * (sorted.length - 1);
            int i = (int) Math.floor(at);
            return i + 1 < sorted.length ? sorted[i] + (at - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
        }
    }

    /** The measured pairs: each method's time in nanoseconds, and their ratio, per pair. */
    record Result(double[] kernelNanos, double[] baselineNanos) {
        double[] ratios() {
            double[] r = new double[kernelNanos.length];
            for (int i = 0; i < r.length; i++) r[i] = kernelNanos[i] / baselineNanos[i];
            return r;
        }
    }

    PairedRatio(String kernelName, String baselineName, Map<String, String> paramValues) {
        String[] k = split(kernelName), b = split(baselineName);
        if (!k[0].equals(b[0])) {
            throw new IllegalArgumentException("kernel " + kernelName + " and baseline " + baselineName
                    + " are in different classes: expected two benchmarks of one class, sharing its state");
        }
        Class<?> type = findClass(k[0]);
        kernel = benchmark(type, k[1]);
        baseline = benchmark(type, b[1]);
        try {
            state = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getName() + " has no public no-argument constructor: expected a JMH state class", e);
        }
        params = setParams(state, paramValues);
        trialSetups = annotated(type, PairedRatio::setupLevel, Level.Trial);
        iterationSetups = annotated(type, PairedRatio::setupLevel, Level.Iteration);
        invocationSetups = annotated(type, PairedRatio::setupLevel, Level.Invocation);
        invocationTearDowns = annotated(type, PairedRatio::tearDownLevel, Level.Invocation);
        iterationTearDowns = annotated(type, PairedRatio::tearDownLevel, Level.Iteration);
        trialTearDowns = annotated(type, PairedRatio::tearDownLevel, Level.Trial);
    }

    private static String[] split(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new IllegalArgumentException("benchmark '" + name + "': expected Class.method, e.g. ElementwiseBench.copy");
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    private static Class<?> findClass(String name) {
        for (String p : PACKAGES) {
            try {
                return Class.forName(p + name);
            } catch (ClassNotFoundException ignored) {
                // try the next package
            }
        }
        throw new IllegalArgumentException("no benchmark class '" + name + "' as given or in " + String.join(", ",
                Arrays.stream(PACKAGES).filter(s -> !s.isEmpty()).map(s -> s.substring(0, s.length() - 1)).toList()));
    }

    private static Method benchmark(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == 0 && m.isAnnotationPresent(Benchmark.class)) return m;
        }
        throw new IllegalArgumentException(type.getSimpleName() + "." + name + " is not a @Benchmark method without arguments; its benchmarks: "
                + Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).map(Method::getName).sorted().toList());
    }

    /** Sets each {@code @Param} field from {@code values} or its first listed value; returns every param as set. */
    private static Map<String, String> setParams(Object state, Map<String, String> values) {
        Map<String, String> used = new LinkedHashMap<>();
        Map<String, String> left = new LinkedHashMap<>(values);
        for (Field f : state.getClass().getFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p == null) continue;
            String v = left.containsKey(f.getName()) ? left.remove(f.getName()) : p.value().length > 0 ? p.value()[0] : null;
            if (v == null) throw new IllegalArgumentException("@Param " + f.getName() + " lists no value: give it as " + f.getName() + "=VALUE");
            try {
                Class<?> t = f.getType();
                if (t == int.class) f.setInt(state, Integer.parseInt(v));
                else if (t == long.class) f.setLong(state, Long.parseLong(v));
                else if (t == double.class) f.setDouble(state, Double.parseDouble(v));
                else if (t == boolean.class) f.setBoolean(state, Boolean.parseBoolean(v));
                else if (t == String.class) f.set(state, v);
                else throw new IllegalArgumentException("@Param " + f.getName() + " has type " + t.getSimpleName() + ": expected int, long, double, boolean or String");
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("@Param " + f.getName() + "=" + v + ": expected a " + f.getType().getSimpleName(), e);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            used.put(f.getName(), v);
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown @Param " + left.keySet() + " for " + state.getClass().getSimpleName() + ": its params are " + used.keySet());
        }
        return used;
    }

    private static List<Method> annotated(Class<?> type, Function<Method, Level> levelOf, Level level) {
        return Arrays.stream(type.getMethods()).filter(m -> levelOf.apply(m) == level).toList();
    }

    private static Level setupLevel(Method m) {
        Setup a = m.getAnnotation(Setup.class);
        return a == null ? null : a.value();
    }

    private static Level tearDownLevel(Method m) {
        TearDown a = m.getAnnotation(TearDown.class);
        return a == null ? null : a.value();
    }

    /** Runs pairs for {@code warmupNanos} (discarded), then for {@code measureNanos} and at least {@link #MIN_PAIRS}. */
    Result run(long warmupNanos, long measureNanos) {
        callAll(trialSetups);
        callAll(iterationSetups);
        try {
            pairs(warmupNanos, 0);
            return pairs(measureNanos, MIN_PAIRS);
        } finally {
            callAll(iterationTearDowns);
            callAll(trialTearDowns);
        }
    }

    private Result pairs(long forNanos, int atLeast) {
        List<double[]> times = new ArrayList<>();
        long end = System.nanoTime() + forNanos;
        for (int i = 0; i < atLeast || System.nanoTime() < end; i++) {
            double k, b;
            if (i % 2 == 0) {
                k = timed(kernel);
                b = timed(baseline);
            } else {
                b = timed(baseline);
                k = timed(kernel);
            }
            times.add(new double[] {k, b});
        }
        double[] k = new double[times.size()], b = new double[times.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = times.get(i)[0];
            b[i] = times.get(i)[1];
        }
        return new Result(k, b);
    }

    private double timed(Method m) {
        callAll(invocationSetups);
        long start = System.nanoTime();
        Object r = call(m);
        long t = System.nanoTime() - start;
        sink = r;
        callAll(invocationTearDowns);
        return t;
    }

    private void callAll(List<Method> methods) {
        for (Method m : methods) call(m);
    }

    private Object call(Method m) {
        try {
            return m.invoke(state);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(m.getName() + " threw", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The report: each method's median time with quartiles, then the ratio's. */
    String report(Result r) {
        Median k = Median.of(r.kernelNanos()), b = Median.of(r.baselineNanos()), q = Median.of(r.ratios());
        String cls = kernel.getDeclaringClass().getSimpleName();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s.%s against %s.%s %s, %d pairs, %s%n", cls, kernel.getName(), cls, baseline.getName(),
                params, r.kernelNanos().length, machine()));
        int w = Math.max(kernel.getName().length(), baseline.getName().length());
        s.append(line(kernel.getName(), w, k));
        s.append(line(baseline.getName(), w, b));
        s.append(String.format(Locale.ROOT, "  %-" + w + "s  median %.3fx (quartiles %.3f-%.3f), kernel/baseline per pair%n", "ratio", q.median(), q.lower(), q.upper()));
        return s.toString();
    }

    private static String line(String name, int width, Median m) {
        return String.format(Locale.ROOT, "  %-" + width + "s  median %.1f us (quartiles %.1f-%.1f)%n", name, m.median() / 1e3, m.lower() / 1e3, m.upper() / 1e3);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cpus, " + System.getProperty("os.arch") + ", Java " + Runtime.version();
    }

    public static void main(String[] args) {
        try {
            List<String> names = new ArrayList<>();
            Map<String, String> params = new LinkedHashMap<>();
            double warmup = 3, time = 5;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--warmup") || a.equals("--time")) {
                    if (i + 1 == args.length) throw new IllegalArgumentException(a + " needs a number of seconds after it");
                    double s = seconds(a, args[++i]);
                    if (a.equals("--warmup")) warmup = s; else time = s;
                } else if (a.contains("=")) {
                    params.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                } else {
                    names.add(a);
                }
            }
            if (names.size() != 2) {
                throw new IllegalArgumentException("expected KERNEL BASELINE [param=value ...] [--warmup S] [--time S], got " + names.size()
                        + " benchmark names " + names);
            }
            PairedRatio p = new PairedRatio(names.get(0), names.get(1), params);
            System.out.print(p.report(p.run((long) (warmup * 1e9), (long) (time * 1e9))));
        } catch (IllegalArgumentException e) {
            System.err.println("PairedRatio: " + e.getMessage());
            System.exit(2);
        }
    }

    private static double seconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s >= 0 && s <= 3600) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": expected seconds between 0 and 3600");
    }
}
