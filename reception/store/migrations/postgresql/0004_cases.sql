-- Schema version 4: the case workflow (deadlines, escalation, return visits, liaison, knowledge base).
-- PostgreSQL form of the SQLite step of the same number (same tables, columns and indexes;
-- SERIAL ids, TIMESTAMP, BOOLEAN). Frozen like it once released.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
ALTER TABLE "case" ADD COLUMN "building" VARCHAR(20) NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "place_key" VARCHAR(100) NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "resolve_due_at" TIMESTAMP;
ALTER TABLE "case" ADD COLUMN "replied_at" TIMESTAMP;
ALTER TABLE "case" ADD COLUMN "reply_text" TEXT NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "close_note" TEXT NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "escalation_level" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "case" ADD COLUMN "utility" VARCHAR(10) NOT NULL DEFAULT '';
ALTER TABLE "case" ADD COLUMN "agency" VARCHAR(100) NOT NULL DEFAULT '';
CREATE INDEX "case_place_key" ON "case" ("place_key");
CREATE INDEX "case_category_place_key" ON "case" ("category", "place_key");
CREATE TABLE "return_visit" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "at" TIMESTAMP NOT NULL, "operator_id" INTEGER NOT NULL, "result" VARCHAR(10) NOT NULL, "comment" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"));
CREATE INDEX "return_visit_case_id" ON "return_visit" ("case_id");
CREATE INDEX "return_visit_operator_id" ON "return_visit" ("operator_id");
CREATE TABLE "liaison_entry" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "at" TIMESTAMP NOT NULL, "operator_id" INTEGER NOT NULL, "agency" VARCHAR(100) NOT NULL, "contact" VARCHAR(100) NOT NULL, "said" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "case" ("id") ON DELETE CASCADE, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id"));
CREATE INDEX "liaison_entry_case_id" ON "liaison_entry" ("case_id");
CREATE INDEX "liaison_entry_operator_id" ON "liaison_entry" ("operator_id");
CREATE TABLE "knowledge_entry" ("id" SERIAL NOT NULL PRIMARY KEY, "title" VARCHAR(100) NOT NULL, "body" TEXT NOT NULL, "tags" VARCHAR(200) NOT NULL, "active" BOOLEAN NOT NULL, "updated_at" TIMESTAMP NOT NULL, "updated_by_id" INTEGER, FOREIGN KEY ("updated_by_id") REFERENCES "operator" ("id"));
CREATE UNIQUE INDEX "knowledge_entry_title" ON "knowledge_entry" ("title");
CREATE INDEX "knowledge_entry_updated_by_id" ON "knowledge_entry" ("updated_by_id");
UPDATE "case" SET
  "building" = COALESCE((SELECT "building" FROM "resident" WHERE "resident"."id" = "case"."resident_id"), ''),
  "place_key" = COALESCE((SELECT CASE WHEN "unit" = '' THEN "building" || '-' || "room"
                                      ELSE "building" || '-' || "unit" || '-' || "room" END
                          FROM "resident" WHERE "resident"."id" = "case"."resident_id"), "location"),
  "resolve_due_at" = "reply_due_at";
