package dev.lethe.unlearn.report;

/** Escaping text for HTML: every string a report puts into its page goes through here. */
public final class Html {
    private Html() {}

    /** {@code s} with &amp; &lt; &gt; " ' replaced by entities, safe in element content and quoted attributes; null becomes "". */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
