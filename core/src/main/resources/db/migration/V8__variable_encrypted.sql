-- Sensitive Variables (keys SensitiveNames marks: password, secret, token, key...) are stored as
-- AES-GCM ciphertext in val_encrypted (see SecretCipher, as connection secrets), with val NULL;
-- the others stay in val. Rows written before this version are encrypted when a scheduler
-- starts (it has the key, a migration does not); until then their plaintext stays readable.
ALTER TABLE variable ALTER COLUMN val DROP NOT NULL;
ALTER TABLE variable ADD COLUMN val_encrypted bytea;
ALTER TABLE variable ADD CONSTRAINT variable_one_value CHECK ((val IS NULL) <> (val_encrypted IS NULL));
