package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TelegramMessageSplitterTest {

    private static TelegramHtml block(int i, int length) {
        String prefix = "#" + i + " ";
        return new TelegramHtml().bold(prefix).text("x".repeat(length - prefix.length()));
    }

    @Test
    void blocksThatFitStayInOneUnnumberedMessage() {
        List<TelegramMessageSplitter.Part> parts = TelegramMessageSplitter.split(
                (k, n) -> new TelegramHtml().text("Header" + TelegramMessageSplitter.number(k, n)),
                List.of(block(1, 10), block(2, 10)), 100);

        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).html().html()).isEqualTo("Header\n\n<b>#1 </b>xxxxxxx\n\n<b>#2 </b>xxxxxxx");
        assertThat(parts.get(0).blocks()).containsExactly(0, 1);
    }

    @Test
    void moreThanFitsIsSplitBetweenBlocksIntoNumberedPartsEachWithinTheLimit() {
        List<TelegramHtml> blocks = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            blocks.add(block(i, 30));
        }
        List<TelegramMessageSplitter.Part> parts = TelegramMessageSplitter.split(
                (k, n) -> new TelegramHtml().text("H" + TelegramMessageSplitter.number(k, n)), blocks, 120);

        int n = parts.size();
        assertThat(n).isGreaterThan(5);
        List<Integer> all = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            TelegramMessageSplitter.Part part = parts.get(k - 1);
            assertThat(part.html().length()).isLessThanOrEqualTo(120);
            assertThat(part.html().html()).startsWith("H (" + k + "/" + n + ")\n\n<b>#");
            assertThat(TelegramHtmlValidator.validate(part.html().html()).length()).isEqualTo(part.html().length());
            all.addAll(part.blocks());
        }
        assertThat(all).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 25).boxed().toList());
    }
}
