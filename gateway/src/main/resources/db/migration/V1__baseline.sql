-- gateway owns this schema; Flyway creates it and records its history in it.
COMMENT ON SCHEMA gateway IS 'gateway: the front door: portal and the OpenAI-compatible model API';
