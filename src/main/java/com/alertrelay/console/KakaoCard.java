package com.alertrelay.console;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A KakaoTalk message (the {@code template_object} JSON Kakao receives) as the parts a chat bubble shows: the text of
 * a {@code text} template, or the header and items of a {@code list} template, and the buttons. The template shows
 * every part with th:text, so nothing in it is markup; links go through {@link ConsoleLinks#safe}.
 *
 * @param type  {@code text}, {@code list}, or whatever else Kakao was sent
 * @param text  a text template's text, or a list template's header
 */
public record KakaoCard(String type, String text, List<Item> items, List<Button> buttons) {

    /** One entry of a list template. */
    public record Item(String title, String description, String url) {
    }

    /** A button under the message; {@code url} where it leads. */
    public record Button(String title, String url) {
    }

    /** The card of a template object, or null when it is not a JSON object (the page then shows the raw text). */
    static KakaoCard parse(JsonMapper json, String templateObject) {
        JsonNode t;
        try {
            t = json.readTree(templateObject);
        } catch (JacksonException e) {
            return null;
        }
        if (t == null || !t.isObject()) {
            return null;
        }
        String type = t.path("object_type").asString("");
        List<Item> items = new ArrayList<>();
        for (JsonNode c : t.path("contents")) {
            items.add(new Item(c.path("title").asString(""), c.path("description").asString(""), url(c.path("link"))));
        }
        List<Button> buttons = new ArrayList<>();
        for (JsonNode b : t.path("buttons")) {
            buttons.add(new Button(b.path("title").asString(""), url(b.path("link"))));
        }
        if (buttons.isEmpty() && t.has("button_title")) {
            // a text template's single button leads where the message does
            buttons.add(new Button(t.path("button_title").asString(""), url(t.path("link"))));
        }
        String text = "list".equals(type) ? t.path("header_title").asString("") : t.path("text").asString("");
        return new KakaoCard(type, text, List.copyOf(items), List.copyOf(buttons));
    }

    private static String url(JsonNode link) {
        String web = link.path("web_url").asString("");
        return web.isEmpty() ? link.path("mobile_web_url").asString("") : web;
    }
}
