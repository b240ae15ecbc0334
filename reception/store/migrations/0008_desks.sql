-- Schema version 8: several desks — the desk (前台名称) that created each record.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
ALTER TABLE "call" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "visit" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "letter" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "case_event" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "message" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "callback" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "appointment" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "incident" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "shift" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "return_visit" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
ALTER TABLE "liaison_entry" ADD COLUMN "desk" VARCHAR(40) NOT NULL DEFAULT '';
