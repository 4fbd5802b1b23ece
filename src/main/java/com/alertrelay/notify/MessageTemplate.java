package com.alertrelay.notify;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/**
 * A channel's message template in the one template language of the relay: Mustache (JMustache) over a
 * {@link TemplateModel}. {@code {{name}}} inserts a value escaped as the channel needs ({@link TemplateEscaping});
 * {@code {{#name}}…{{/name}}} shows its content when the value is non-empty, true or a non-zero number, and repeats
 * it for each element of a list ({@code {{#alerts}}}, {@code {{#label_list}}}, with {@code {{-first}}},
 * {@code {{-last}}}, {@code {{-index}}} inside); {@code {{^name}}…{{/name}}} shows it otherwise; {@code {{! … }}} is
 * a comment.
 *
 * <p>Everything is checked by {@link #compile} at startup, so rendering never fails: syntax, every name in the
 * scope it is used in (inside {@code {{#alerts}}} the alert's names too), a list used as a value. Values are
 * always escaped: {@code {{{name}}}} and {@code {{&name}}}, partials, template inheritance and changed delimiters
 * are refused.
 */
public final class MessageTemplate {

    /** Marks a value in the output for the empty-line rule: U+FDD0 an empty one, U+FDD1 a line of a non-empty one. */
    private static final char EMPTY = '\uFDD0';
    private static final char FILLED = '\uFDD1';
    /** Brackets a value inserted unescaped during the check. */
    private static final char RAW_START = '\uFDD2';
    private static final char RAW_END = '\uFDD3';

    private static final Mustache.Collector COLLECTOR = new BasicCollector() {
        // BasicCollector, not the default one: no reflection, so a template can only reach the model's names
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    };
    private static final Pattern TAG_LINE = Pattern.compile("@ line (\\d+)$");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern DELIMITERS = Pattern.compile("\\{\\{\\s*=");
    private static final String ANY_SIGIL = "[#^/&>]?";
    private static final Pattern HTML_TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>");

    private final Template template;
    private final TemplateEscaping escaping;
    private final TemplateModel.Scope scope;

    private MessageTemplate(Template template, TemplateEscaping escaping, TemplateModel.Scope scope) {
        this.template = template;
        this.escaping = escaping;
        this.scope = scope;
    }

    /**
     * Compiles and checks a whole-message template ({@link TemplateModel.Scope#GROUP}, e.g. a webhook body):
     * {@link #compile(String, String, TemplateEscaping, TemplateModel.Scope)}.
     */
    public static MessageTemplate compile(String property, String source, TemplateEscaping escaping) {
        return compile(property, source, escaping, TemplateModel.Scope.GROUP);
    }

    /**
     * Compiles and checks a template.
     *
     * @param property where the template came from, for messages ({@code relay.channels.x.template})
     * @param escaping how values are escaped, chosen by the channel
     * @param scope    the model it is rendered with: one alert, or the whole notification
     * @throws IllegalStateException {@code "<property>: <what is wrong> (line L, column C)…"} for a syntax error,
     *                               an unknown name (listing the valid ones) or a construct that is not allowed
     */
    public static MessageTemplate compile(String property, String source, TemplateEscaping escaping,
            TemplateModel.Scope scope) {
        String text = source.replace("\r\n", "\n");
        Matcher delimiters = DELIMITERS.matcher(text);
        if (delimiters.find()) {
            throw invalid(property, "changing the delimiters ({{=… …=}}) is not supported", text, delimiters.start());
        }
        Template checked = parse(property, text, Mustache.compiler().withCollector(COLLECTOR).strictSections(true)
                .emptyStringIsFalse(true).zeroIsFalse(true).withFormatter(Schema::format).withEscaper(raw -> ""));
        checkTags(property, text, checked);
        checkNames(property, text, checked, scope);
        Template runtime = parse(property, text, Mustache.compiler().withCollector(COLLECTOR)
                .emptyStringIsFalse(true).zeroIsFalse(true)
                // every name was checked above; a model without one (only ever a partial model) shows it empty
                .defaultValue("")
                .withFormatter(MessageTemplate::format)
                .withEscaper(raw -> escaping.dropsEmptyLines() ? mark(escaping.escape(unmarked(raw))) : escaping.escape(raw)));
        return new MessageTemplate(runtime, escaping, scope);
    }

    public TemplateEscaping escaping() {
        return escaping;
    }

    public TemplateModel.Scope scope() {
        return scope;
    }

    /**
     * The template filled with {@code model}: an alert's model (its group's names behind it) for an
     * {@link TemplateModel.Scope#ALERT} template, a group's for a {@link TemplateModel.Scope#GROUP} one.
     */
    public String render(TemplateModel model) {
        if (model.scope() != scope) {
            throw new IllegalArgumentException("a " + scope + " template needs a " + scope + " model, got " + model.scope());
        }
        StringWriter out = new StringWriter();
        if (model.scope() == TemplateModel.Scope.ALERT) {
            template.execute(new Context(model), new Context(model.group()), out);
        } else {
            template.execute(new Context(model), out);
        }
        return escaping.dropsEmptyLines() ? dropEmptyLines(out.toString()) : out.toString();
    }

    // ---- rendering

    private static String format(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : "";
    }

    /** Marks a value so that {@link #dropEmptyLines} knows which lines it is on and whether it was empty. */
    private static String mark(String escaped) {
        return escaped.isEmpty() ? String.valueOf(EMPTY) : FILLED + escaped.replace("\n", "\n" + FILLED);
    }

    /** The marks are noncharacters (not for interchange); where lines are dropped, a value's own become U+FFFD. */
    private static String unmarked(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= EMPTY && c <= RAW_END) {
                return value.replaceAll("[\uFDD0-\uFDD3]", "\uFFFD");
            }
        }
        return value;
    }

    /**
     * Leaves out each line that has values and whose values all came out empty, unless in HTML it would take a
     * tag away from its partner on another line; then removes the marks.
     */
    private String dropEmptyLines(String marked) {
        StringBuilder out = new StringBuilder(marked.length());
        boolean first = true;
        for (String line : marked.split("\n", -1)) {
            boolean empty = line.indexOf(EMPTY) >= 0 && line.indexOf(FILLED) < 0;
            if (empty && (escaping != TemplateEscaping.HTML || balanced(line))) {
                continue;
            }
            if (!first) {
                out.append('\n');
            }
            first = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c != EMPTY && c != FILLED) {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    private static boolean balanced(String line) {
        Deque<String> open = new ArrayDeque<>();
        Matcher tag = HTML_TAG.matcher(line);
        while (tag.find()) {
            if (!tag.group(3).isEmpty()) {
                continue; // <br/>
            }
            if (tag.group(1).isEmpty()) {
                open.push(tag.group(2));
            } else if (!tag.group(2).equals(open.poll())) {
                return false;
            }
        }
        return open.isEmpty();
    }

    /** A model as JMustache sees it: its names, lists of models as lists of contexts. */
    private record Context(TemplateModel model) implements Mustache.CustomContext {

        @Override
        public Object get(String name) {
            Object value = model.lookup(name);
            if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof TemplateModel) {
                return list.stream().map(m -> new Context((TemplateModel) m)).toList();
            }
            return value;
        }
    }

    // ---- checks at compile time

    private static Template parse(String property, String text, Mustache.Compiler compiler) {
        try {
            return compiler.compile(text);
        } catch (RuntimeException e) {
            // MustacheParseException, or JMustache tripping over something like an empty tag {{}}
            String message = e instanceof MustacheException && e.getMessage() != null ? e.getMessage() : "a tag it cannot read";
            Matcher at = TAG_LINE.matcher(message);
            int line = at.find() ? Integer.parseInt(at.group(1)) : 0;
            String what = at.replaceFirst("").trim();
            List<String> names = QUOTED.matcher(what).results().map(r -> r.group(1)).toList();
            String name = names.isEmpty() ? null : names.get(0);
            // JMustache's messages, in the words of the README, and the tag they are about
            if (what.startsWith("Section missing close tag") || what.startsWith("Inverted section missing close tag")) {
                throw invalid(property, "{{#" + name + "}} is never closed with {{/" + name + "}}", text,
                        position(text, line, "[#^]", name));
            }
            if (what.startsWith("Section close tag with mismatched open tag") && names.size() == 2) {
                throw invalid(property, "{{/" + name + "}} while {{#" + names.get(1) + "}} is still open: close the "
                        + "inner section first", text, position(text, line, "/", name));
            }
            if (what.startsWith("Section close tag with no open tag")) {
                throw invalid(property, "{{/" + name + "}} closes no section", text, position(text, line, "/", name));
            }
            throw invalid(property, "not a valid template: " + what, text, position(text, line, ANY_SIGIL, null));
        }
    }

    private static void checkTags(String property, String text, Template template) {
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String literal) {
            }

            @Override
            public void visitVariable(String name) {
            }

            @Override
            public boolean visitInclude(String name) {
                throw invalid(property, "partials ({{>" + name + "}}) are not supported", text, find(text, ">", name));
            }

            @Override
            public boolean visitParent(String name) {
                throw invalid(property, "template inheritance ({{<" + name + "}}) is not supported", text, find(text, "<", name));
            }

            @Override
            public boolean visitBlock(String name) {
                throw invalid(property, "blocks ({{$" + name + "}}) are not supported", text, find(text, "\\$", name));
            }

            @Override
            public boolean visitSection(String name) {
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                return true;
            }
        });
    }

    /**
     * Runs the template over a schema of the scope's names in which every section is entered: every name is
     * looked up where it is used, in the context it will have. Twice: lists have two elements the first time
     * (so {@code {{#-first}}} and {@code {{^-last}}} are entered too) and none the second (so {@code {{^alerts}}}
     * is); sections of texts, numbers and flags are entered both ways each time.
     */
    private static void checkNames(String property, String text, Template template, TemplateModel.Scope scope) {
        for (boolean listsFilled : new boolean[] {true, false}) {
            String output;
            try {
                StringWriter out = new StringWriter();
                if (scope == TemplateModel.Scope.ALERT) {
                    template.execute(Schema.of(TemplateModel.Scope.ALERT, listsFilled),
                            Schema.of(TemplateModel.Scope.GROUP, listsFilled), out);
                } else {
                    template.execute(Schema.of(TemplateModel.Scope.GROUP, listsFilled), out);
                }
                output = out.toString();
            } catch (Schema.Misuse e) {
                throw invalid(property, e.getMessage(), text, find(text, "[#^&{]?", e.name));
            } catch (MustacheException.Context e) {
                throw invalid(property, "unknown name " + written(text, e.lineNo, e.key) + " (known: "
                        + validNames(scope) + ")", text, position(text, e.lineNo, ANY_SIGIL, e.key));
            }
            int raw = output.indexOf(RAW_START);
            if (raw >= 0) {
                String name = output.substring(raw + 1, output.indexOf(RAW_END, raw));
                throw invalid(property, "{{{" + name + "}}} and {{&" + name + "}} are not allowed: values are always "
                        + "escaped for the channel; write {{" + name + "}}", text, find(text, "[{&]", name));
            }
        }
    }

    private static String validNames(TemplateModel.Scope scope) {
        String alert = names(TemplateModel.Scope.ALERT);
        String group = names(TemplateModel.Scope.GROUP);
        return scope == TemplateModel.Scope.ALERT
                ? alert + "; of the whole notification: " + group + "; in a {{#…_list}}: name, value"
                : group + "; inside {{#alerts}}: " + alert + "; in a {{#…_list}}: name, value";
    }

    private static String names(TemplateModel.Scope scope) {
        return TemplateModel.NAMES.get(scope).stream().map(TemplateModel.Name::written).collect(Collectors.joining(", "));
    }

    /** The tag that uses {@code name} on that line, as written, or {@code {{name}}}. */
    private static String written(String text, int line, String name) {
        int at = position(text, line, ANY_SIGIL, name);
        if (at >= 0) {
            int end = text.indexOf("}}", at);
            if (end > 0) {
                return text.substring(at, end + 2 + (text.startsWith("}", end + 2) ? 1 : 0));
            }
        }
        return "{{" + name + "}}";
    }

    /**
     * Where the first tag {@code {{<sigil> name}} starts on a line (1-based; 0 for anywhere), else where the line
     * starts; -1 when there is no such line.
     */
    private static int position(String text, int line, String sigil, String name) {
        int start = 0;
        for (int l = 1; l < line && start >= 0; l++) {
            start = text.indexOf('\n', start);
            start = start < 0 ? -1 : start + 1;
        }
        if (start < 0) {
            return -1;
        }
        int end = line <= 0 ? text.length() : text.indexOf('\n', start) < 0 ? text.length() : text.indexOf('\n', start);
        Pattern tag = name == null ? Pattern.compile("\\{\\{")
                : Pattern.compile("\\{\\{\\{?\\s*" + sigil + "\\s*" + Pattern.quote(name) + "\\s*}?}}");
        Matcher m = tag.matcher(text).region(start, end);
        return m.find() ? m.start() : start;
    }

    /** Where the first tag {@code {{<sigil> name} starts, or -1. */
    private static int find(String text, String sigil, String name) {
        Matcher m = Pattern.compile("\\{\\{" + sigil + "\\s*" + Pattern.quote(name) + "\\s*[}|]").matcher(text);
        return m.find() ? m.start() : -1;
    }

    /**
     * The startup error for a template: {@code "<property>: <what> (line L, column C)"}, the position that of
     * {@code offset} in {@code source} (none when negative). For a channel's own checks on top of the language.
     */
    public static IllegalStateException invalid(String property, String what, String text, int offset) {
        if (offset < 0) {
            return new IllegalStateException(property + ": " + what);
        }
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new IllegalStateException(property + ": " + what + " (line " + line + ", column " + (offset - lineStart + 1) + ")");
    }

    /**
     * The names of a scope for the check: texts, numbers and flags resolve to a probe that, used as a section,
     * enters its content (inverted too); lists to two elements, or none.
     */
    private static final class Schema implements Mustache.CustomContext {

        private final Map<String, Object> names = new LinkedHashMap<>();
        private final List<String> prefixes;

        private Schema(List<TemplateModel.Name> names, boolean listsFilled) {
            this.prefixes = names.stream().filter(n -> n.kind() == TemplateModel.Kind.MAP).map(n -> n.name() + ".").toList();
            for (TemplateModel.Name name : names) {
                switch (name.kind()) {
                    case TEXT, NUMBER, FLAG -> this.names.put(name.name(), new Probe(name.name(), name.kind() != TemplateModel.Kind.FLAG));
                    case LIST -> this.names.put(name.name(), new ListProbe(name.name(),
                            listsFilled ? of(TemplateModel.Scope.ALERT, true) : null));
                    case PAIRS -> this.names.put(name.name(), new ListProbe(name.name(),
                            listsFilled ? new Schema(TemplateModel.PAIR_NAMES, true) : null));
                    case MAP -> { }
                }
            }
        }

        static Schema of(TemplateModel.Scope scope, boolean listsFilled) {
            return new Schema(TemplateModel.NAMES.get(scope), listsFilled);
        }

        @Override
        public Object get(String name) {
            Object probe = names.get(name);
            if (probe == null && prefixes.stream().anyMatch(p -> name.startsWith(p) && name.length() > p.length())) {
                probe = new Probe(name, true);
            }
            return probe;
        }

        /** Variables print as a bracketed name, which only an unescaped variable lets through (the escaper drops it). */
        static String format(Object value) {
            if (value instanceof Probe probe) {
                return RAW_START + probe.name + RAW_END;
            }
            if (value instanceof ListProbe list) {
                throw new Misuse(list.name, "{{" + list.name + "}} is a list: write {{#" + list.name + "}}…{{/"
                        + list.name + "}}");
            }
            if (value instanceof Schema) {
                throw new Misuse(".", "{{.}} names no value here (only inside a section of a text or number)");
            }
            return String.valueOf(value);
        }

        /** A name used where it cannot work. */
        static final class Misuse extends RuntimeException {

            final String name;

            Misuse(String name, String message) {
                super(message, null, false, false);
                this.name = name;
            }
        }

        private record Probe(String name, boolean nests) implements Mustache.InvertibleLambda {

            @Override
            public void execute(Template.Fragment fragment, Writer out) throws IOException {
                // a text or number section has the value as its context ({{.}}), a flag leaves the context as it is
                if (nests) {
                    fragment.execute(this, out);
                } else {
                    fragment.execute(out);
                }
            }

            @Override
            public void executeInverse(Template.Fragment fragment, Writer out) {
                fragment.execute(out);
            }
        }

        /** A list of two elements, or of none. */
        private record ListProbe(String name, Schema element) implements Iterable<Schema> {

            @Override
            public java.util.Iterator<Schema> iterator() {
                return (element == null ? List.<Schema>of() : List.of(element, element)).iterator();
            }
        }
    }
}
