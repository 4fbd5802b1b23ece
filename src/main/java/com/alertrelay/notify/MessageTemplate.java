package com.alertrelay.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;

/**
 * The one template language of every channel: Mustache ({@code {{name}}}, {@code {{#alerts}}…{{/alerts}}},
 * {@code {{^summary}}…{{/summary}}}), rendered by JMustache with the channel's {@link TemplateEscaping} for
 * every value. The names are those of {@link TemplateModel}, the same for every channel. A template is checked
 * when it is compiled — at startup — and an error names the property and what is wrong; an unknown name is an
 * error, so a typo never renders as an empty line at 3 a.m.
 */
public final class MessageTemplate {

    private final Template template;

    private MessageTemplate(Template template) {
        this.template = template;
    }

    /**
     * @param property the setting the template comes from, named in every error (e.g.
     *                 {@code relay.channels.oncall.template})
     * @throws IllegalStateException when the template cannot be parsed or uses a name the model does not have
     */
    public static MessageTemplate compile(String property, String source, TemplateEscaping escaping) {
        Template template;
        try {
            template = Mustache.compiler()
                    .withEscaper(escaping::escape)
                    .defaultValue("")
                    .emptyStringIsFalse(true)
                    .zeroIsFalse(true)
                    .compile(source);
        } catch (MustacheException e) {
            throw new IllegalStateException(property + ": " + e.getMessage());
        }
        List<String> unknown = new ArrayList<>();
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
            }

            @Override
            public void visitVariable(String name) {
                check(name);
            }

            @Override
            public boolean visitInclude(String name) {
                unknown.add("{{>" + name + "}} (partials are not supported)");
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                check(name);
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                check(name);
                return true;
            }

            private void check(String name) {
                if (!TemplateModel.knows(name)) {
                    unknown.add("{{" + name + "}}");
                }
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(property + ": unknown name " + String.join(", ", unknown) + " (known: "
                    + TemplateModel.describeNames() + ")");
        }
        return new MessageTemplate(template);
    }

    /** Renders with a model from {@link TemplateModel}. */
    public String render(Map<String, Object> model) {
        return template.execute(model);
    }
}
