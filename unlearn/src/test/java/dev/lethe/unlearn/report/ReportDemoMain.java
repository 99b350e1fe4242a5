package dev.lethe.unlearn.report;

import dev.lethe.data.Dataset;
import dev.lethe.data.FashionMnist;
import dev.lethe.train.Recipe;
import dev.lethe.unlearn.harness.Experiment;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.Harness;
import dev.lethe.unlearn.harness.HarnessListener;
import dev.lethe.unlearn.harness.Phase;
import dev.lethe.unlearn.scenario.Scenarios;

import java.nio.file.Path;
import java.util.List;

import static dev.lethe.unlearn.harness.TestMethods.*;

/**
 * Writes a sample report from the test-only methods (identity, FT, Retrain, a failing one) on
 * 2 000 bundled training images: {@code java -cp ... dev.lethe.unlearn.report.ReportDemoMain DIR [scenario ...]}.
 * For looking at the page (tools/screenshot-report.sh), not a test.
 */
public final class ReportDemoMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/report-demo");
        List<String> specs = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("class:3", "random:0.1");
        FashionMnist f = FashionMnist.bundled();
        Dataset train = f.train().subset(Dataset.firstPerClass(f.train().labels(), 200));
        Recipe recipe = new Recipe(3, 64, 0.05, Recipe.Schedule.CONSTANT, 0.9, 0, 0);
        Experiment e = Experiment.of("mlp", recipe, train, f.test(), 10, specs.stream().map(Scenarios::parse).toList(),
                List.of(identity(), finetune(), retrain(), broken()), List.of(0L, 1L), true);
        ExperimentResult r = Harness.run(e, new HarnessListener() {
            @Override
            public void phaseFinished(Phase p, double seconds) {
                System.err.printf("[%d/%d] %s %.2f s%n", p.index() + 1, p.total(), p.describe(), seconds);
            }
        });
        ReportWriter.Written w = ReportWriter.write(dir, r, ReportOptions.defaults(10).withClassNames(FashionMnist.CLASSES)
                .withData("Fashion-MNIST bundled subset: 2 000 training images (200 per class), 2 000 test images"));
        System.out.println(w.html().toAbsolutePath());
    }
}
