-- Added by hand on dev while experimenting; no migration has it.
ALTER TABLE users ADD COLUMN beta_opt_in BOOLEAN DEFAULT FALSE;
