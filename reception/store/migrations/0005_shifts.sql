-- Schema version 5: shifts and their handover (交接班).
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "shift" ("id" INTEGER NOT NULL PRIMARY KEY, "day" VARCHAR(8) NOT NULL, "number" INTEGER NOT NULL, "started_at" DATETIME NOT NULL, "operator_id" INTEGER NOT NULL, "status" VARCHAR(10) NOT NULL, "handed_over_at" DATETIME, "note" TEXT NOT NULL, "incoming_id" INTEGER, "confirmed_at" DATETIME, "refused_by_id" INTEGER, "refused_at" DATETIME, "refused_reason" TEXT NOT NULL, "version" INTEGER NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"), FOREIGN KEY ("incoming_id") REFERENCES "operator" ("id"), FOREIGN KEY ("refused_by_id") REFERENCES "operator" ("id"));
CREATE INDEX "shift_day" ON "shift" ("day");
CREATE INDEX "shift_started_at" ON "shift" ("started_at");
CREATE INDEX "shift_operator_id" ON "shift" ("operator_id");
CREATE INDEX "shift_status" ON "shift" ("status");
CREATE INDEX "shift_incoming_id" ON "shift" ("incoming_id");
CREATE INDEX "shift_refused_by_id" ON "shift" ("refused_by_id");
CREATE UNIQUE INDEX "shift_day_number" ON "shift" ("day", "number");
