-- Earshot store, version 4: how ingest redacted each call's transcript (docs/store.md).

ALTER TABLE calls
    ADD COLUMN redaction text;   -- "off", or the rules applied ("card,phone,email,id,digits>=8,trailing>=4"); null when not transcribed or stored before
