package com.alertrelay.notify;

/**
 * How a {@link MessageTemplate} escapes the values it inserts, chosen by the channel for what it sends. Literal
 * template text is never escaped here: it is the template author's (a channel may check it, as Telegram does).
 */
public enum TemplateEscaping {

    /**
     * HTML text (Telegram's HTML parse mode): {@code & < > "} become entities, so a value can never open a tag.
     * A line whose values all came out empty is left out, unless that would drop a tag whose partner is on
     * another line.
     */
    HTML(true) {
        @Override
        public String escape(String value) {
            StringBuilder out = null;
            for (int i = 0; i < value.length(); i++) {
                String entity = switch (value.charAt(i)) {
                    case '&' -> "&amp;";
                    case '<' -> "&lt;";
                    case '>' -> "&gt;";
                    case '"' -> "&quot;";
                    default -> null;
                };
                if (entity != null && out == null) {
                    out = new StringBuilder(value.length() + 16).append(value, 0, i);
                }
                if (out != null) {
                    if (entity != null) {
                        out.append(entity);
                    } else {
                        out.append(value.charAt(i));
                    }
                }
            }
            return out == null ? value : out.toString();
        }
    },

    /**
     * Plain chat text (KakaoTalk): values as they are; the channel applies its own length cut afterwards. A line
     * whose values all came out empty is left out.
     */
    PLAIN(true) {
        @Override
        public String escape(String value) {
            return value;
        }
    },

    /**
     * The inside of a JSON string literal (webhook bodies, where the template writes the quotes): {@code "} and
     * {@code \} are escaped, newline, tab and the other control characters below U+0020 too, and U+2028/U+2029
     * and unpaired surrogates as {@code \}{@code uXXXX}; everything else, Korean text included, stays as it is.
     * Lines are kept as written: in JSON they are syntax.
     */
    JSON(false) {
        @Override
        public String escape(String value) {
            StringBuilder out = new StringBuilder(value.length() + 16);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || c == '\u2028' || c == '\u2029' || unpaired(value, i)) {
                            // unpaired surrogates too: raw, they would not survive encoding the body as UTF-8
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }

        private static boolean unpaired(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
            }
            return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
        }
    };

    private final boolean dropsEmptyLines;

    TemplateEscaping(boolean dropsEmptyLines) {
        this.dropsEmptyLines = dropsEmptyLines;
    }

    /** The value as it is inserted into a template of this kind. */
    public abstract String escape(String value);

    /** Chat text leaves out a line whose values all came out empty (see each constant). */
    boolean dropsEmptyLines() {
        return dropsEmptyLines;
    }
}
