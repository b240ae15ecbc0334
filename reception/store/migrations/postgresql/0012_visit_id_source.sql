-- Schema version 12: where a visitor's ID number came from — typed ('') or read from the card
-- ('reader': the SAM module; 'wedge': a keyboard-output reader).
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
ALTER TABLE "visit" ADD COLUMN "id_source" VARCHAR(10) NOT NULL DEFAULT '';
