-- Schema version 11: the desk phone (来电弹屏) — every ring the line reported, answered or missed.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "ring" ("id" INTEGER NOT NULL PRIMARY KEY, "desk" VARCHAR(40) NOT NULL, "source" VARCHAR(20) NOT NULL, "external_id" VARCHAR(80) NOT NULL, "line" VARCHAR(40) NOT NULL, "number" VARCHAR(40) NOT NULL, "number_kind" VARCHAR(12) NOT NULL, "rang_at" DATETIME NOT NULL, "answered_at" DATETIME, "ended_at" DATETIME, "answered_by_id" INTEGER, "call_id" INTEGER, "callback_id" INTEGER, FOREIGN KEY ("answered_by_id") REFERENCES "operator" ("id"), FOREIGN KEY ("call_id") REFERENCES "call" ("id") ON DELETE SET NULL, FOREIGN KEY ("callback_id") REFERENCES "callback" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "ring_source_external_id" ON "ring" ("source", "external_id");
CREATE INDEX "ring_rang_at" ON "ring" ("rang_at");
CREATE INDEX "ring_answered_by_id" ON "ring" ("answered_by_id");
CREATE INDEX "ring_call_id" ON "ring" ("call_id");
CREATE INDEX "ring_callback_id" ON "ring" ("callback_id");
