package dev.lethe.cli;

import dev.lethe.data.FashionMnist;
import dev.lethe.unlearn.harness.ExperimentResult;
import dev.lethe.unlearn.harness.ResultsJsonReader;
import dev.lethe.unlearn.harness.ResultsMerge;
import dev.lethe.unlearn.report.ReportOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lethe merge}: one table (mean ± std over seeds) from the results JSON of several
 * {@code lethe unlearn} runs of the same grid with different seeds — so seeds can run as
 * separate processes, side by side, and still be reported together. Every file is read and
 * checked before anything is written.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the results JSON of 'lethe unlearn' runs that differ only in --seed into one grid:",
                "prints the tables (mean ± std over all seeds) and writes JSON and a report like 'lethe unlearn'."})
final class MergeCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Results JSON written by 'lethe unlearn --json' (or a report's results.json), in seed order.")
    List<Path> files;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the merged results as JSON here (atomically).")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.html, report.md and results.json into this folder.")
    Path report;

    @Option(names = "--data-line", paramLabel = "TEXT", description = "What the report says about the data (default: the files merged).")
    String dataLine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> names = new ArrayList<>();
        List<ExperimentResult> parts = new ArrayList<>();
        for (Path f : files) {
            names.add(f.toString());
            parts.add(ResultsJsonReader.read(f));
        }
        ExperimentResult merged = ResultsMerge.merge(names, parts);
        int k = merged.numClasses();
        ReportOptions options = ReportOptions.defaults(k).withData(dataLine != null ? dataLine : "merged from " + String.join(", ", names));
        if (k == FashionMnist.CLASSES.size()) options = options.withClassNames(FashionMnist.CLASSES);
        ExperimentRunner.publish("merge", merged, options, report, json, spec.commandLine().getOut());
        return 0;
    }
}
