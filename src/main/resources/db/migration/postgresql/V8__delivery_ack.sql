-- Who acknowledged a delivered message from the chat (Telegram's 👀 Ack), and when; NULL until someone does.
ALTER TABLE delivery ADD COLUMN acked_by VARCHAR(200);
ALTER TABLE delivery ADD COLUMN acked_at TIMESTAMP WITH TIME ZONE;
