-- Schema version 13: who signed a handover (交班签字人: the operator on duty, or a supervisor who
-- confirmed that operator absent, with the reason), and each operator's short unlock PIN
-- (argon2 hash, own failure count, for the idle lock).
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
ALTER TABLE "shift" ADD COLUMN "handed_over_by_id" INTEGER REFERENCES "operator" ("id");
ALTER TABLE "shift" ADD COLUMN "absent_reason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "operator" ADD COLUMN "pin_hash" VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE "operator" ADD COLUMN "pin_failures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "operator" ADD COLUMN "pin_failed_at" DATETIME;
