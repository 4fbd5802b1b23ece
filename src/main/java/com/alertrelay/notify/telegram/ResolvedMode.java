package com.alertrelay.notify.telegram;

/** What a channel does when a group it announced as firing is resolved ({@code resolved-mode}). */
enum ResolvedMode {

    /** Edit the firing message to show it resolved; no new message (the chat is not notified). */
    EDIT,

    /** Edit the firing message and send a short reply to it, so the chat is notified. */
    REPLY,

    /** Send the resolved notification as a new message; leave the firing message as it was. */
    NEW
}
