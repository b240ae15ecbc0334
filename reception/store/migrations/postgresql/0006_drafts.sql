-- Schema version 6: drafts of half-filled forms.
-- PostgreSQL form of the SQLite step of the same number (same tables, columns and indexes;
-- SERIAL ids, TIMESTAMP, BOOLEAN). Frozen like it once released.
-- Frozen SQL: never edit a released migration; add a new numbered step instead.
CREATE TABLE "draft" ("id" SERIAL NOT NULL PRIMARY KEY, "operator_id" INTEGER NOT NULL, "form" VARCHAR(30) NOT NULL, "data" TEXT NOT NULL, "saved_at" TIMESTAMP NOT NULL, FOREIGN KEY ("operator_id") REFERENCES "operator" ("id") ON DELETE CASCADE);
CREATE INDEX "draft_operator_id" ON "draft" ("operator_id");
CREATE UNIQUE INDEX "draft_operator_id_form" ON "draft" ("operator_id", "form");
