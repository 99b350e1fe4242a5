package dev.lethe.unlearn.report;

import dev.lethe.unlearn.harness.AggregateRow;
import dev.lethe.unlearn.harness.Role;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The report's plots, drawn by XChart and exported as SVG text (VectorGraphics2D) to be
 * inlined into the HTML page. Each row keeps one colour in every plot ({@link #color}); the
 * caller passes the colours along with the rows.
 * Runs headless: the AWT property is set before XChart touches AWT.
 */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 760, HEIGHT = 420;

    /** Colour-blind-safe (Okabe–Ito, then Tol's muted) for methods; references get black, grey, brown. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xD55E00),
        new Color(0xF0E442), new Color(0x332288), new Color(0x44AA99), new Color(0x882255), new Color(0x999933), new Color(0xAA4499)};

    private Charts() {}

    /**
     * The colour of a row: references by role (Retrain black, the noise floor grey, the
     * original brown), a method by its position in {@code methodOrder}, so a method keeps its
     * colour in every section whatever its rank there.
     */
    static Color color(AggregateRow row, List<String> methodOrder) {
        return switch (row.role()) {
            case RETRAIN -> Color.BLACK;
            case NOISE_FLOOR -> new Color(0x777777);
            case ORIGINAL -> new Color(0x8C564B);
            case METHOD -> PALETTE[Math.max(0, methodOrder.indexOf(row.method())) % PALETTE.length];
        };
    }

    /** Colours of {@code rows} by {@link #color}. */
    static List<Color> colors(List<AggregateRow> rows, List<String> methodOrder) {
        return rows.stream().map(r -> color(r, methodOrder)).toList();
    }

    /** UA (x) against RA (y), one point per row at its mean over seeds: the closer to Retrain's point, the better. */
    static String tradeoff(List<AggregateRow> rows, List<Color> colors) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("UA vs RA (closer to retrain is better)")
                .xAxisTitle("UA = 100 − forget accuracy (%)").yAxisTitle("RA = retain accuracy (%)").build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(11);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (int i = 0; i < rows.size(); i++) {
            AggregateRow r = rows.get(i);
            if (r.ua().n() == 0 || r.ra().n() == 0) continue;
            XYSeries s = c.addSeries(r.method(), new double[] {r.ua().mean()}, new double[] {r.ra().mean()});
            s.setMarkerColor(colors.get(i));
            s.setMarker(r.role() == Role.METHOD ? SeriesMarkers.CIRCLE : r.role() == Role.RETRAIN ? SeriesMarkers.DIAMOND : SeriesMarkers.SQUARE);
        }
        return svg(c);
    }

    /** Mean average gap to Retrain per row (Retrain itself, 0 by definition, left out). */
    static String gaps(List<AggregateRow> rows, List<Color> all) {
        List<AggregateRow> shown = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).role() != Role.RETRAIN) {
                shown.add(rows.get(i));
                colors.add(all.get(i));
            }
        }
        CategoryChart c = bars("Average gap to retrain (lower is better)", "percentage points", shown, colors, r -> r.avgGap().mean());
        return svg(c);
    }

    /**
     * Mean unlearning time per row (the original, which is not unlearned, and rows without a
     * positive time left out), log scale when the times span over 100×. One series, one
     * colour: XChart's log axis refuses the empty slots that per-row series would need.
     */
    static String times(List<AggregateRow> rows) {
        List<String> names = new ArrayList<>();
        List<Double> secs = new ArrayList<>();
        for (AggregateRow r : rows) {
            double s = r.seconds().mean();
            if (r.role() != Role.ORIGINAL && Double.isFinite(s) && s > 0) {
                names.add(r.method());
                secs.add(s);
            }
        }
        double min = secs.stream().mapToDouble(Double::doubleValue).min().orElse(1), max = secs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        boolean log = max / min > 100;
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Unlearning time vs retrain" + (log ? " (log scale)" : ""))
                .yAxisTitle("seconds").build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(names.size() > 5 ? 30 : 0);
        c.getStyler().setYAxisLogarithmic(log);
        // bars start at the axis minimum, which XChart puts at 0 unless told: a log axis needs it above 0
        if (log) c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        // Ticks and bar labels to three significant digits: 0.0123 and 41.2, not 41.234 (the
        // labels take the axis's format).
        c.getStyler().setyAxisTickLabelsFormattingFunction(Fmt::significant3);
        valueLabels(c);
        if (names.isEmpty()) {
            names.add("no data");
            secs.add(0.0);
            c.getStyler().setYAxisLogarithmic(false);
        }
        c.addSeries("seconds", names, secs).setFillColor(PALETTE[0]);
        return svg(c);
    }

    /**
     * Per-class test accuracy of θ0 (before) and of each chosen row (after), grouped by class.
     *
     * @param rows       the rows to draw, in report order (the caller picks the few to show)
     * @param classNames one name per class
     */
    static String perClass(List<AggregateRow> rows, List<Color> colors, List<String> classNames) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Per-class test accuracy, before (original) and after")
                .xAxisTitle("class").yAxisTitle("accuracy (%)").build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setXAxisLabelRotation(classNames.stream().anyMatch(n -> n.length() > 4) ? 30 : 0);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(100.0);
        c.getStyler().setAvailableSpaceFill(0.8);
        for (int i = 0; i < rows.size(); i++) {
            double[] acc = rows.get(i).perClassTestAcc();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < classNames.size(); k++) ys.add(k < acc.length && Double.isFinite(acc[k]) ? acc[k] : 0.0);
            CategorySeries s = c.addSeries(rows.get(i).method(), classNames, ys);
            s.setFillColor(colors.get(i));
        }
        return svg(c);
    }

    /** A decimal literal rounded to two fractional digits, trailing zeros dropped ("-4.109375" → "-4.11", "3.0001" → "3"). */
    static String round2(String decimal) {
        String r = new java.math.BigDecimal(decimal).setScale(2, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return r.equals("-0") ? "0" : r;
    }

    interface Value {
        double of(AggregateRow r);
    }

    /**
     * One bar per row, each row its own series (so each keeps its colour), overlapped so every
     * bar sits centred on its own category; rows without a value get no bar.
     */
    private static CategoryChart bars(String title, String yTitle, List<AggregateRow> rows, List<Color> colors, Value value) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setOverlapped(true);
        c.getStyler().setXAxisLabelRotation(rows.size() > 5 ? 30 : 0);
        valueLabels(c);
        List<String> names = rows.stream().map(AggregateRow::method).toList();
        for (int i = 0; i < rows.size(); i++) {
            List<Double> ys = new ArrayList<>(Arrays.asList(new Double[rows.size()]));
            double v = value.of(rows.get(i));
            if (!Double.isFinite(v)) continue;
            ys.set(i, v);
            CategorySeries s = c.addSeries(names.get(i), names, ys);
            s.setFillColor(colors.get(i));
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("none", List.of("no data"), List.of(0.0));
        return c;
    }

    /** Each bar's value printed near its top, light on dark bars and dark on light ones. */
    private static void valueLabels(CategoryChart c) {
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        c.getStyler().setLabelsPosition(0.9);
        c.getStyler().setLabelsFontColorAutomaticEnabled(true);
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setYAxisDecimalPattern("#,##0.##");
    }

    /** A decimal number with three or more fractional digits. */
    private static final java.util.regex.Pattern LONG_DECIMAL = java.util.regex.Pattern.compile("-?\\d+\\.\\d{3,}");

    /**
     * The chart as an inline {@code <svg>} element: XChart's SVG export without the XML
     * declaration and DOCTYPE a standalone file carries (HTML5 does not want them inside a
     * page), with the chart's title as its {@code <title>}, every coordinate rounded to 1/100 pixel. XChart draws its text as glyph outlines,
     * so most of the document is path data printed to six decimals; rounding halves the page
     * and moves nothing by a visible amount.
     */
    static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String s = out.toString(StandardCharsets.UTF_8);
        int start = s.indexOf("<svg");
        if (start < 0) throw new IllegalStateException("XChart's SVG export holds no <svg> element");
        String svg = LONG_DECIMAL.matcher(s.substring(start).strip()).replaceAll(m -> round2(m.group()));
        // the drawn title is glyph outlines; a <title> element gives screen readers and tooltips the words
        int open = svg.indexOf('>') + 1;
        return svg.substring(0, open) + "\n<title>" + Html.escape(chart.getTitle()) + "</title>" + svg.substring(open);
    }
}
