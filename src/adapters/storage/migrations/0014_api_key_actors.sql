-- Who created and who revoked each API key, as the API key list shows them and the ledger records them
-- (API_KEY_CREATED, API_KEY_REVOKED): an admin key over HTTP, `cli:<OS user>` offline. NULL for keys swx installs
-- itself (the bootstrap admin, a simulated partner's witness key) and for keys from before this migration.
ALTER TABLE api_keys ADD COLUMN created_by TEXT;
ALTER TABLE api_keys ADD COLUMN revoked_by TEXT;
