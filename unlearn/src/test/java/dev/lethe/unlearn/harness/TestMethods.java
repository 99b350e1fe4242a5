package dev.lethe.unlearn.harness;

import dev.lethe.autograd.NoGrad;
import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.nn.Module;
import dev.lethe.train.Recipe;
import dev.lethe.train.Trainer;
import dev.lethe.unlearn.Method;
import dev.lethe.unlearn.UnlearnContext;
import dev.lethe.unlearn.Unlearned;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small methods and data for harness and report tests (the real methods live in another package). */
public final class TestMethods {
    private TestMethods() {}

    /** 300 training (30 per class) and 100 test (10 per class) samples of the bundled Fashion-MNIST. */
    public static final Dataset TRAIN, TEST;

    static {
        try {
            FashionMnist f = FashionMnist.bundled();
            TRAIN = f.train().subset(Dataset.firstPerClass(f.train().labels(), 30));
            TEST = f.test().subset(Dataset.firstPerClass(f.test().labels(), 10));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One epoch, batch 32: enough to be better than chance, fast enough for a unit test. */
    public static final Recipe RECIPE = new Recipe(1, 32, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 0);

    /** Returns θ0 unchanged (a copy): what "doing nothing" scores. */
    public static Method identity() {
        return method("identity", ctx -> new Unlearned(ctx.copyOfOriginal(), Map.of("what", "nothing")));
    }

    /** Trains a fresh model from θ_init on D_r with the original recipe, reporting each step. */
    public static Method retrain() {
        return method(Harness.RETRAIN, ctx -> {
            Module m = ctx.freshModel();
            new Trainer(m, ctx.split().retain(), ctx.recipe()).fit(null, s -> ctx.onStep().run(), r -> {});
            return Unlearned.of(m);
        });
    }

    /** FT: θ0 trained one more epoch on D_r with the recipe at a tenth of its learning rate. */
    public static Method finetune() {
        return method("ft", ctx -> {
            Module m = ctx.copyOfOriginal();
            Recipe r = ctx.recipe();
            Recipe ft = new Recipe(1, r.batchSize(), r.lr() / 10, r.schedule(), r.momentum(), r.weightDecay(), ctx.seed() + 1);
            new Trainer(m, ctx.split().retain(), ft).fit(null, s -> ctx.onStep().run(), e -> {});
            return new Unlearned(m, Map.of("lr", Double.toString(ft.lr()), "epochs", "1"));
        });
    }

    /** Always throws. */
    public static Method broken() {
        return method("broken", ctx -> {
            throw new IllegalStateException("diverged on purpose");
        });
    }

    /** Returns a copy of θ0 with one weight set to NaN, as a method whose loss blew up does. */
    public static Method nan() {
        return method("nan", ctx -> {
            Module m = ctx.copyOfOriginal();
            try (NoGrad g = NoGrad.enter()) {
                m.parameters().get(0).narrow(0, 0, 1).fill_(Float.NaN);
            }
            return Unlearned.of(m);
        });
    }

    /** Writes into the model it was handed: a contract violation. */
    public static Method vandal() {
        return method("vandal", ctx -> {
            try (NoGrad g = NoGrad.enter()) {
                ctx.original().parameters().get(0).fill_(0);
            }
            return Unlearned.of(ctx.copyOfOriginal());
        });
    }

    /** Identity that remembers every context it saw. */
    public static Method recorder(List<UnlearnContext> seen) {
        return method("recorder", ctx -> {
            seen.add(ctx);
            return Unlearned.of(ctx.copyOfOriginal());
        });
    }

    public interface Body {
        Unlearned unlearn(UnlearnContext ctx);
    }

    public static Method method(String name, Body body) {
        return new Method() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Unlearned unlearn(UnlearnContext ctx) {
                return body.unlearn(ctx);
            }
        };
    }

    /** Records every listener call as a line, e.g. {@code start 3/12 UNLEARN retrain -1}. */
    public static final class Log implements HarnessListener {
        final List<String> lines = new ArrayList<>();
        final List<Phase> phases = new ArrayList<>();
        int planned = -1;
        long steps;

        @Override
        public void planned(int phases) {
            planned = phases;
        }

        @Override
        public void phaseStarted(Phase phase, long totalSteps) {
            phases.add(phase);
            lines.add("start " + phase.index() + "/" + phase.total() + " " + phase.kind() + " " + phase.method() + " " + totalSteps);
        }

        @Override
        public void step(long done) {
            steps++;
        }

        @Override
        public void methodFailed(Phase phase, RuntimeException error) {
            lines.add("failed " + phase.method() + " " + error.getMessage());
        }
    }
}
