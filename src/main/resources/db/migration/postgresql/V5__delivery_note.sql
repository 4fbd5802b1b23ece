-- A delivery may carry a note for the chat about why it is sent (a fallback for a dead channel, a resolve the
-- relay confirmed with Alertmanager itself); every channel shows it with the notification.
ALTER TABLE delivery ADD COLUMN note TEXT;
