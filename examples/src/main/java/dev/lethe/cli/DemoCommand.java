package dev.lethe.cli;

import dev.lethe.data.FashionMnist;
import dev.lethe.unlearn.harness.Experiment;
import dev.lethe.unlearn.methods.Methods;
import dev.lethe.unlearn.report.ReportOptions;
import dev.lethe.unlearn.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lethe demo}: the whole story in one command. On the bundled Fashion-MNIST subset it
 * trains the original MLP with the reference recipe, forgets class 0 and then a random 10 %
 * with Retrain, FT, GA, RL, ℓ1-sparse, SalUn and SSD, retrains once more from another seed
 * (the noise floor), prints both tables and writes the report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train an MLP on the bundled Fashion-MNIST subset, forget class 0 and a random 10% with seven methods,",
                "compare each with retraining from scratch, print the tables and write an HTML report."})
final class DemoCommand implements Callable<Integer> {
    /** The deletion requests the demo makes. */
    static final List<String> SCENARIOS = List.of("class:0", "random:0.1");
    /** The methods it compares, Retrain first. */
    static final String METHODS = "retrain,ft,ga,rl,l1sparse,salun,ssd";

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--report", defaultValue = "lethe-demo", paramLabel = "DIR",
            description = "Folder for report.html, report.md and results.json (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        dataOptions.applyThreads();
        FashionMnist fm = dataOptions.load();
        Experiment e = Experiment.of("mlp", recipeOptions.recipe(), fm.train(), fm.test(), FashionMnist.CLASSES.size(),
                SCENARIOS.stream().map(Scenarios::parse).toList(), Methods.parseList(METHODS),
                List.of(seed), true);
        System.err.println("lethe demo: mlp on " + dataOptions.describe(fm) + "; forgetting " + String.join(" and ", SCENARIOS)
                + " with " + METHODS + ", plus a second Retrain from another seed as the noise floor");
        ReportOptions options = new ReportOptions("Lethe demo: unlearning on Fashion-MNIST", dataOptions.describe(fm), FashionMnist.CLASSES, 3);
        ExperimentRunner.run("demo", e, options, report, null, quiet, spec.commandLine().getOut());
        return 0;
    }
}
