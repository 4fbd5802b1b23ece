package com.alertrelay.notify;

/**
 * How a template's values are written into its output, chosen by the channel: the literal text of the
 * template is the channel's own (HTML tags for Telegram, JSON structure for a webhook body), every value is
 * escaped so it cannot break out of it.
 */
public enum TemplateEscaping {

    /** Telegram's HTML: {@code & < > "} as entities. */
    HTML {
        @Override
        public String escape(String value) {
            return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    },

    /** Plain text (KakaoTalk): values as they are. */
    PLAIN {
        @Override
        public String escape(String value) {
            return value;
        }
    },

    /**
     * Inside a JSON string literal: {@code "} and {@code \}, every control character below U+0020 (as {@code \n},
     * {@code \t}, … or {@code \}{@code uXXXX}) and U+2028/U+2029 (which break JavaScript parsers). Other
     * characters, Korean and emoji among them, are kept as they are.
     */
    JSON {
        @Override
        public String escape(String value) {
            StringBuilder out = new StringBuilder(value.length() + 8);
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
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }
    };

    public abstract String escape(String value);
}
