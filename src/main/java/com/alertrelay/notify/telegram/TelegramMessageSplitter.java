package com.alertrelay.notify.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Packs blocks (one per alert, or one per group in a digest) into as few messages as fit Telegram's limit,
 * splitting only between blocks. Every part starts with a header; when there is more than one part the
 * header carries its number ({@code (2/3)}), and space for the widest number is reserved up front.
 */
final class TelegramMessageSplitter {

    static final String SEPARATOR = "\n\n";

    private TelegramMessageSplitter() {
    }

    /**
     * @param header  the header of part {@code k} of {@code n} (1-based; {@code n == 1}: no number); sized by
     *                its longest form, {@code (n, n)} with n one more than the number of blocks
     * @param blocks  each must fit after the header of a part other than the first
     * @param limit   the length limit of one message
     */
    static List<Part> split(BiFunction<Integer, Integer, TelegramHtml> header, List<TelegramHtml> blocks,
            int limit) {
        return split(header, blocks, limit, Integer.MAX_VALUE, null);
    }

    /**
     * As {@link #split(BiFunction, List, int)}, but never more than {@code maxParts} messages: when the blocks
     * need more, the last message is {@code rest} applied to its header and the indexes of the blocks that did
     * not get a place of their own (it must return a message within {@code limit}).
     */
    static List<Part> split(BiFunction<Integer, Integer, TelegramHtml> header, List<TelegramHtml> blocks,
            int limit, int maxParts, BiFunction<TelegramHtml, List<Integer>, TelegramHtml> rest) {
        int worst = blocks.size() + 1;
        List<List<Integer>> parts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int length = header.apply(1, worst).length();
        for (int i = 0; i < blocks.size(); i++) {
            TelegramHtml block = blocks.get(i);
            int added = SEPARATOR.length() + block.length();
            if (length + added > limit) {
                parts.add(current);
                current = new ArrayList<>();
                length = header.apply(worst, worst).length();
                if (length + added > limit) {
                    throw new IllegalArgumentException("block of " + block.length() + " does not fit in a part");
                }
            }
            current.add(i);
            length += added;
        }
        parts.add(current);
        List<Integer> left = new ArrayList<>();
        if (parts.size() > maxParts) {
            parts.subList(maxParts - 1, parts.size()).forEach(left::addAll);
            parts = new ArrayList<>(parts.subList(0, maxParts - 1));
        }
        int n = left.isEmpty() ? parts.size() : maxParts;
        List<Part> messages = new ArrayList<>(n);
        for (int k = 1; k <= parts.size(); k++) {
            TelegramHtml message = new TelegramHtml().append(header.apply(k, n));
            for (int i : parts.get(k - 1)) {
                message.raw(SEPARATOR, SEPARATOR.length()).append(blocks.get(i));
            }
            if (message.length() > limit) {
                throw new IllegalStateException("part " + k + " is " + message.length() + " long, over " + limit);
            }
            messages.add(new Part(message, List.copyOf(parts.get(k - 1))));
        }
        if (!left.isEmpty()) {
            TelegramHtml summary = rest.apply(header.apply(n, n), List.copyOf(left));
            if (summary.length() > limit) {
                throw new IllegalStateException("summary part is " + summary.length() + " long, over " + limit);
            }
            messages.add(new Part(summary, List.copyOf(left)));
        }
        return messages;
    }

    /** One message: its text and the indexes of the blocks in it. */
    record Part(TelegramHtml html, List<Integer> blocks) {
    }

    /** The numbering suffix of part {@code k} of {@code n}: empty for a single part. */
    static String number(int k, int n) {
        return n <= 1 ? "" : " (" + k + "/" + n + ")";
    }
}
