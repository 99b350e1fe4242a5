package dev.lethe.unlearn.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What a report says besides the results.
 *
 * @param title           the page title
 * @param data            one line on the data, e.g. {@code Fashion-MNIST, bundled subset: 10 000 train / 2 000 test}
 * @param classNames      one name per class (for the per-class plot and table)
 * @param perClassMethods how many of the best-ranked methods the per-class plot shows next to
 *                        the original and Retrain (the table lists every row)
 */
public record ReportOptions(String title, String data, List<String> classNames, int perClassMethods) {
    public ReportOptions {
        classNames = List.copyOf(classNames);
        if (perClassMethods < 0) throw new IllegalArgumentException("perClassMethods must be ≥ 0, got " + perClassMethods);
    }

    /** Title "Lethe unlearning report", no data line, classes named 0 … K−1, three methods in the per-class plot. */
    public static ReportOptions defaults(int numClasses) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) names.add(Integer.toString(k));
        return new ReportOptions("Lethe unlearning report", "", names, 3);
    }

    /** These options with another data line. */
    public ReportOptions withData(String data) {
        return new ReportOptions(title, data, classNames, perClassMethods);
    }

    /** These options with class names. */
    public ReportOptions withClassNames(List<String> names) {
        return new ReportOptions(title, data, names, perClassMethods);
    }
}
