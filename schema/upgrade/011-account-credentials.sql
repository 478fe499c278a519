-- What a storage provider needs to reach a connected account (a WebDAV URL,
-- user and app password), sealed by the module with AES-256-GCM under
-- SmsCloudCredentialKey and bound to its phone and account (sc_crypt.h):
-- never plain text here. NULL for providers that need none (local,
-- kloudless), which is what every existing row keeps.
ALTER TABLE accounts ADD COLUMN credentials text;
