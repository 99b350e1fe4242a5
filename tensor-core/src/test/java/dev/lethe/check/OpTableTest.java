package dev.lethe.check;

import dev.lethe.check.OpInfo.ErrorSample;
import dev.lethe.check.OpInfo.Sample;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The op table as a specification: every op class has an entry, every sample passes a
 * float64 gradcheck, the float32 fast path agrees with the float64 reference on every sample,
 * and every error input is refused with a message naming what was wrong.
 */
@Tag("kernels")
class OpTableTest {

    /** Classes in dev.lethe.ops that define a public static {@code apply}: the differentiable ops. */
    static Set<Class<?>> opClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(dev.lethe.ops.Add.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/lethe/ops");
        Set<Class<?>> ops = new java.util.HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) continue;
                Class<?> c = Class.forName("dev.lethe.ops." + file.substring(0, file.length() - 6));
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals("apply") && Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) {
                        ops.add(c);
                    }
                }
            }
        }
        return ops;
    }

    @Test
    void everyOpHasAnEntryWithSamples() throws Exception {
        Set<Class<?>> covered = OpTable.all().stream().map(OpInfo::opClass).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : opClasses()) if (!covered.contains(c)) missing.add(c.getSimpleName());
        assertTrue(missing.isEmpty(), "op classes without an op-table entry: " + missing);
        for (OpInfo info : OpTable.all()) assertFalse(info.samples().isEmpty(), info.name() + " has no samples");
        Set<String> names = new TreeSet<>();
        for (OpInfo info : OpTable.all()) assertTrue(names.add(info.name()), "duplicate op-table name " + info.name());
    }

    @TestFactory
    List<DynamicTest> gradcheckEverySample() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpInfo info : OpTable.all()) {
            for (Sample s : info.samples()) {
                tests.add(DynamicTest.dynamicTest(info.name() + " " + s.description(), () -> {
                    GradCheck.Result r = GradCheck.check(s.fn(), s.inputs(), s.differentiable(),
                            GradCheck.EPS, GradCheck.ATOL, GradCheck.RTOL);
                    assertTrue(r.passed(), info.name() + " " + s.description() + ": " + r.firstFailure());
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> float32AgreesWithFloat64Reference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpInfo info : OpTable.all()) {
            for (Sample s : info.samples()) {
                tests.add(DynamicTest.dynamicTest(info.name() + " " + s.description(), () -> {
                    Float32Check.Result r = Float32Check.check(s);
                    assertTrue(r.passed(), info.name() + " " + s.description() + ": " + r.firstFailure());
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> errorInputsAreRefusedClearly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (OpInfo info : OpTable.all()) {
            for (ErrorSample e : info.errors()) {
                tests.add(DynamicTest.dynamicTest(e.description(), () -> {
                    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.call().run(), e.description());
                    for (String fragment : e.fragments()) {
                        assertTrue(ex.getMessage().contains(fragment),
                                "message \"" + ex.getMessage() + "\" should name " + fragment);
                    }
                }));
            }
        }
        return tests;
    }
}
