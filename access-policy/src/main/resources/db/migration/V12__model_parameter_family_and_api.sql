-- Issue 22: how the gateway talks to a model's server. The parameter family says which output-cap field the model
-- reads (classic chat: max_tokens; reasoning: max_completion_tokens, reasoning_effort, no temperature); the
-- Responses API column says whether its server serves /v1/responses itself or only chat completions, which the
-- gateway then translates to. Existing models keep today's behaviour: classic chat, translated.
ALTER TABLE models
    ADD COLUMN parameter_family text NOT NULL DEFAULT 'CHAT' CHECK (parameter_family IN ('CHAT', 'REASONING')),
    ADD COLUMN responses_api    text NOT NULL DEFAULT 'TRANSLATED' CHECK (responses_api IN ('NATIVE', 'TRANSLATED'));
