-- Earshot store, version 3: tokens for an agent's desk (docs/store.md, docs/dashboard.md).
-- An AGENT token names one agent and opens only that agent's nudges on the dashboard.

ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens
    ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('SUPERVISOR', 'ANALYST', 'ADMIN', 'AGENT')),
    ADD COLUMN agent_id text,               -- the agent of an AGENT token; null for the other roles
    ADD CONSTRAINT api_tokens_agent_scope CHECK ((role = 'AGENT') = (agent_id IS NOT NULL));
